"""Intervals allow for authors who post many times, and the answer says by how much: a design
effect per voice and period (JSON and CSV), per reaction side, and the estimates behind them."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from scipy import stats

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.sources import get_or_create_source
from tests.api.conftest import client_for
from tests.databases import DatabaseFactory
from tests.factories import make_source

DAY = datetime(2025, 3, 4, tzinfo=UTC)
PARAMS = {"entity": "northwind-air", "since": "2025-03-04", "until": "2025-03-06"}


def _record(key: str, voice: str, author: str, at: datetime, compound: float) -> DocumentRecord:
    return DocumentRecord(
        external_id=key, entity_id=1, voice=voice, text=f"document {key}", author=author,
        published_at=at, neg=0.1, neu=0.8, pos=0.1, compound=compound, sentences=1,
        scorer_version="test",
    )  # fmt: skip


@pytest.fixture(scope="module")
def client(databases: DatabaseFactory) -> Iterator[TestClient]:
    """Three days: ten public authors post eight times a day each, every author in a mood of
    their own (ρ near 0.9); the company's one account speaks six times a day."""
    url = databases.migrated()
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        _, public = make_source(session)
        corporate = get_or_create_source(
            session, name="test-corporate", kind="file", voice="corporate", entity_id=1
        ).id
        posts = [  # author a's mood: −0.8 + 0.16·a
            _record(f"{d}-{a}-{i}", "public", f"user{a}", DAY + timedelta(days=d, hours=2 * i),
                    round(-0.8 + 0.16 * a + 0.01 * i, 4))
            for d in range(3) for a in range(10) for i in range(8)
        ]  # fmt: skip
        statements = [
            _record(f"{d}-s{i}", "corporate", "Northwind Air", DAY + timedelta(days=d, hours=3 * i),
                    round(0.1 * i, 4))
            for d in range(3) for i in range(6)
        ]  # fmt: skip
        upsert_documents(session, source_id=public, records=posts)
        upsert_documents(session, source_id=corporate, records=statements)
    engine.dispose()
    with client_for(url) as test_client:
        yield test_client


def test_each_voice_and_period_reports_the_design_effect_its_interval_allows_for(
    client: TestClient,
) -> None:
    body = client.get("/api/v1/ravine", params=PARAMS).json()
    public, corporate = body["clustering"]["public"], body["clustering"]["corporate"]
    assert public["rho"] > 0.8 and public["pair_share"] == pytest.approx(7 / 79)  # 10 × 8
    assert (public["documents"], public["clusters"]) == (240, 30)
    assert corporate["pair_share"] == 1 and corporate["rho"] == 0  # one account: nothing to tell
    assert body["duplicates"] == "counted"
    for period in body["periods"]:
        voice = period["public"]
        deff = 1 + public["rho"] * public["pair_share"] * (voice["n"] - 1)
        assert voice["deff"] == pytest.approx(deff) and deff > 7
        half = (
            stats.t.ppf(0.975, voice["n"] / deff - 1) * voice["sd"] * math.sqrt(deff / voice["n"])
        )
        assert voice["ci_high"] - voice["value"] == pytest.approx(half)
        assert period["corporate"]["deff"] == 1


def test_the_sheet_has_each_voices_design_effect(client: TestClient) -> None:
    sheet = client.get("/api/v1/ravine", params={**PARAMS, "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert len(rows) == 3 and float(rows[0]["public_deff"]) > 7
    assert float(rows[0]["corporate_deff"]) == 1


def test_reaction_sides_report_their_design_effects(client: TestClient) -> None:
    params = {**PARAMS, "since": "2025-03-05", "until": "2025-03-05", "window_days": 1}
    (first, *_) = client.get("/api/v1/ravine/reactions", params=params).json()["reactions"]
    assert first["before_deff"] > 1 and first["after_deff"] > 1
