"""Zones whose midnights fall inside a UTC hour: each local day counts exactly its documents.

Asia/Kolkata (+05:30) and Asia/Kathmandu (+05:45) start their days at 18:30 and 18:15 UTC;
posts on both sides of those instants, within one UTC hour, must land on their own local
days, in the series, its CSV, a corporate window and the baseline view, on both backends.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from tests.api.conftest import client_for
from tests.databases import DatabaseFactory
from tests.factories import make_source

FIRST = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 6
# Minutes past 18:00 UTC: before and after both zones' midnights, all in the 18:00 hour.
MINUTES = (5, 14, 16, 29, 31, 44, 46, 59)
ZONES = ("Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe")
RANGE = {"entity": "northwind-air", "since": "2025-03-02", "until": "2025-03-06", "min_n": 1}


def _records(entity_id: int) -> list[DocumentRecord]:
    found = []
    for day in range(DAYS):
        for i, minute in enumerate(MINUTES):
            for voice in ("corporate", "public"):
                at = FIRST + timedelta(days=day, hours=18, minutes=minute)
                found.append(
                    DocumentRecord(
                        external_id=f"{voice}-{day}-{minute}", entity_id=entity_id, voice=voice,
                        text=f"{voice} {day} {minute}", published_at=at, likes=i, reposts=None,
                        replies=None, neg=0.0, neu=1.0, pos=0.0,
                        compound=round((i - 3.5) / 4 + day / 20, 4),
                        sentences=1, scorer_version="test",
                    )
                )  # fmt: skip
    return found


RECORDS = _records(entity_id=1)


def _serve(databases: DatabaseFactory, records: list[DocumentRecord]) -> Iterator[TestClient]:
    """The API over a new database holding ``records`` (of the first entity made)."""
    url = databases.migrated()
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        entity_id, source_id = make_source(session)
        assert entity_id == 1
        upsert_documents(session, source_id=source_id, records=records)
    engine.dispose()
    with client_for(url) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def client(databases: DatabaseFactory) -> Iterator[TestClient]:
    yield from _serve(databases, RECORDS)


def _by_local_day(tz: str, voice: str) -> dict[str, list[float]]:
    days: dict[str, list[float]] = {}
    for record in RECORDS:
        if record.voice == voice:
            day = record.published_at.astimezone(ZoneInfo(tz)).date().isoformat()
            days.setdefault(day, []).append(float(record.compound or 0))
    return days


@pytest.mark.parametrize("tz", ZONES)
def test_each_local_day_holds_exactly_its_documents(client: TestClient, tz: str) -> None:
    periods = client.get("/api/v1/ravine", params={**RANGE, "tz": tz}).json()["periods"]
    for voice in ("corporate", "public"):
        expected = _by_local_day(tz, voice)
        for period in periods:
            scores = expected.get(period["period"], [])
            assert period[voice]["n"] == len(scores), (tz, voice, period["period"])
            assert period[voice]["value"] == pytest.approx(sum(scores) / len(scores))
    # Kolkata's days split the 18:00 hour: half its posts are on each side.
    if tz == "Asia/Kolkata":
        assert {p["public"]["n"] for p in periods} == {len(MINUTES)}


@pytest.mark.parametrize("tz", ZONES)
def test_the_sheet_a_window_and_the_baseline_count_local_days_too(
    client: TestClient, tz: str
) -> None:
    sheet = client.get("/api/v1/ravine", params={**RANGE, "tz": tz, "format": "csv"}).text
    counts = {
        row["period"]: int(row["public_documents"]) for row in csv.DictReader(io.StringIO(sheet))
    }
    expected = {day: len(scores) for day, scores in _by_local_day(tz, "public").items()}
    assert counts == {day: expected.get(day, 0) for day in counts}
    windowed = client.get("/api/v1/ravine", params={**RANGE, "tz": tz, "corporate_window": 2})
    local = Counter(day for day, scores in _by_local_day(tz, "corporate").items() for _ in scores)
    for period in windowed.json()["periods"]:
        end = datetime.fromisoformat(period["period"]).date()
        window = [(end - timedelta(days=k)).isoformat() for k in range(2)]
        assert period["corporate"]["n"] == sum(local[day] for day in window), period["period"]
    params = {**RANGE, "tz": tz, "view": "baseline", "format": "csv"}
    baseline = csv.DictReader(io.StringIO(client.get("/api/v1/ravine", params=params).text))
    assert {row["period"]: int(row["public_documents"]) for row in baseline} == counts


YEARS = 3
LONG_FIRST = datetime(2023, 1, 1, tzinfo=UTC)


def _long_records(entity_id: int) -> list[DocumentRecord]:
    """Every day for three years: posts at 18:20 and 18:40 UTC (either side of Kolkata's
    midnight) and a statement at 18:40."""
    found = []
    for day in range(365 * YEARS):
        for voice, minute in (("public", 20), ("public", 40), ("corporate", 40)):
            found.append(
                DocumentRecord(
                    external_id=f"{voice}-{day}-{minute}", entity_id=entity_id, voice=voice,
                    text=f"{voice} {day}", published_at=LONG_FIRST + timedelta(
                        days=day, hours=18, minutes=minute),
                    likes=None, reposts=None, replies=None, neg=0.0, neu=1.0, pos=0.0,
                    compound=0.5 if minute == 20 else -0.5, sentences=1, scorer_version="test",
                )
            )  # fmt: skip
    return found


@pytest.fixture(scope="module")
def long_client(databases: DatabaseFactory) -> Iterator[TestClient]:
    yield from _serve(databases, _long_records(entity_id=1))


def test_years_of_cut_days_and_pages_of_statements_are_read_whole(
    long_client: TestClient,
) -> None:
    """A thousand cut hours, or 500 statements' partly covered hours, are more terms than
    SQLite takes in one query: they are read in several, and every day and side is exact."""
    span = {"entity": "northwind-air", "since": "2023-01-02", "until": "2025-12-30", "min_n": 1}
    periods = long_client.get("/api/v1/ravine", params={**span, "tz": "Asia/Kolkata"})
    assert periods.status_code == 200, periods.text
    days = periods.json()["periods"]
    assert len(days) > 1000
    assert {(p["public"]["n"], p["public"]["value"]) for p in days} == {(2, 0.0)}
    reactions = long_client.get("/api/v1/ravine/reactions", params={**span, "window_days": 1})
    assert reactions.status_code == 200, reactions.text
    listed = reactions.json()["reactions"]
    assert len(listed) == 500
    assert {(r["before_n"], r["after_n"]) for r in listed} == {(2, 2)}
