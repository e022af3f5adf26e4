"""GET /ravine, /ravine/summary, /ravine/reactions and /compare over real databases."""

from __future__ import annotations

import csv
import io
import math

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.repository.apikeys import create_key
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for, load_sample_into
from tests.databases import DatabaseFactory

YEAR = {"since": "2025-01-01", "until": "2025-12-31"}


def series(client: TestClient, **params: object) -> dict[str, object]:
    response = client.get("/api/v1/ravine", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_monthly_series_counts_every_scored_document(client: TestClient) -> None:
    body = series(client, entity="northwind-air", freq="month", **YEAR)
    periods = body["periods"]
    assert isinstance(periods, list) and [p["period"] for p in periods][:2] == [
        "2025-01",
        "2025-02",
    ]
    overview = client.get("/api/v1/entities/northwind-air").json()
    for voice in ("corporate", "public"):
        assert sum(p[voice]["n"] for p in periods) == overview[voice]["scored"]
    july = periods[6]
    assert july["corporate"]["value"] > 0.5 > 0 > july["public"]["value"]
    gap = july["ravine"]
    assert gap["value"] == pytest.approx(july["corporate"]["value"] - july["public"]["value"])
    assert gap["ci_low"] < gap["value"] < gap["ci_high"]
    assert "Welch" in body["definitions"]["ravine"]  # type: ignore[index]


def test_periods_under_min_n_are_null_with_a_reason_never_zero(client: TestClient) -> None:
    body = series(client, entity="helio-bank", freq="day", min_n=5, **YEAR)
    days = body["periods"]
    assert isinstance(days, list) and len(days) == 365
    corporate_nulls = [d for d in days if d["corporate"]["value"] is None]
    assert corporate_nulls and all(d["corporate"]["null_reason"] for d in corporate_nulls)
    assert all(d["ravine"]["value"] is None for d in corporate_nulls)
    assert any("fewer than 5 documents" in d["corporate"]["null_reason"] for d in corporate_nulls)
    assert any(d["corporate"]["null_reason"] == "no documents" for d in corporate_nulls)


def test_csv_has_a_header_and_one_row_per_period(client: TestClient) -> None:
    response = client.get(
        "/api/v1/ravine",
        params={"entity": "northwind-air", "freq": "week", "format": "csv", **YEAR},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(series(client, entity="northwind-air", freq="week", **YEAR)["periods"])  # type: ignore[arg-type]
    assert {"period", "corporate_n", "public_value", "ravine", "ravine_ci_low"} <= set(rows[0])


def test_metrics_weighting_smoothing_and_baseline_all_answer(client: TestClient) -> None:
    base = {"entity": "northwind-air", "freq": "month", **YEAR}
    net = series(client, metric="net", **base)["periods"][6]  # type: ignore[index]
    share = series(client, metric="negative_share", **base)["periods"][6]  # type: ignore[index]
    assert -1 <= net["public"]["value"] <= 1 and 0 <= share["public"]["value"] <= 1
    weighted = series(client, weighting="engagement", **base)["periods"][6]  # type: ignore[index]
    assert weighted["public"]["value"] != series(client, **base)["periods"][6]["public"]["value"]  # type: ignore[index]
    smooth = series(client, smooth=3, **base)["periods"]
    assert smooth[2]["public"]["n"] == sum(
        p["public"]["n"] for p in series(client, **base)["periods"][:3]
    )  # type: ignore[index]
    baseline = series(client, view="baseline", freq="week", entity="northwind-air", **YEAR)
    values = [p["public"]["value"] for p in baseline["periods"] if p["public"]["value"] is not None]  # type: ignore[union-attr]
    assert values and all(math.isfinite(v) for v in values)


def test_summary_reactions_and_compare(client: TestClient) -> None:
    summary = client.get(
        "/api/v1/ravine/summary", params={"entity": "northwind-air", "freq": "month", **YEAR}
    ).json()
    assert summary["periods"] == 12
    mean = summary["mean_ravine"]
    assert mean["ci_low"] < mean["value"] < mean["ci_high"]
    assert next(w["period"] for w in summary["widest"]) in {"2025-07", "2025-08", "2025-09"}
    reactions = client.get(
        "/api/v1/ravine/reactions",
        params={"entity": "brightleaf-foods", "since": "2025-10-01", "until": "2025-10-31"},
    ).json()
    assert reactions["reactions"] and reactions["window_days"] == 3
    first = reactions["reactions"][0]
    assert first["before_n"] > 0 and first["after_n"] > 0
    compare = client.get("/api/v1/compare", params={"freq": "month", **YEAR}).json()
    board = [row["entity"] for row in compare["leaderboard"]]
    assert board[0] == "northwind-air" and set(board) == {
        "northwind-air",
        "helio-bank",
        "brightleaf-foods",
    }
    assert all(len(e["periods"]) == len(compare["labels"]) == 12 for e in compare["entities"])


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"entity": "nobody"}, 404, "no entity"),
        ({"entity": "helio-bank", "since": "2025-05-01", "until": "2025-01-01"}, 422, "after"),
        ({"entity": "helio-bank", "since": "2000-01-01", "until": "2025-01-01"}, 422, "limit"),
        ({"entity": "helio-bank", "tz": "Mars/Olympus"}, 422, "IANA"),
        ({"entity": "helio-bank", "metric": "vibes"}, 422, "metric"),
        ({"entity": "helio-bank", "min_n": 0}, 422, "min_n"),
        ({}, 422, "entity"),
    ],
)
def test_bad_requests_are_problems(
    client: TestClient, params: dict[str, object], status: int, fragment: str
) -> None:
    response = client.get("/api/v1/ravine", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert fragment in response.json()["detail"]


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_numbers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    bodies = []
    for backend in ("sqlite", "postgresql"):
        factory = DatabaseFactory(backend, tmp_path_factory.mktemp(backend))
        try:
            url = factory.migrated()
            load_sample_into(url)
            with client_for(url) as client:
                bodies.append(
                    [
                        series(client, entity="northwind-air", freq=freq, tz=tz, **YEAR)
                        for freq, tz in (
                            ("day", "America/New_York"),
                            ("week", "UTC"),
                            ("month", "Asia/Kolkata"),
                        )
                    ]
                )
        finally:
            factory.cleanup()
    assert bodies[0] == bodies[1]


def test_days_follow_the_time_zone_across_dst(
    db_url: str, session_factory: sessionmaker[Session]
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="Acme")
        _, key = create_key(session, name="dst")
    moments = {  # UTC instant → local New York day
        "2025-03-09T04:30:00Z": "2025-03-08",  # 23:30 EST, before the spring change
        "2025-03-09T05:30:00Z": "2025-03-09",  # 00:30 EST
        "2025-03-10T03:30:00Z": "2025-03-09",  # 23:30 EDT: the 23-hour day
        "2025-03-10T04:30:00Z": "2025-03-10",  # 00:30 EDT
        "2025-11-02T04:30:00Z": "2025-11-02",  # 00:30 EDT
        "2025-11-03T04:30:00Z": "2025-11-02",  # 23:30 EST: the 25-hour day
    }
    documents = [{"external_id": t, "text": "good service", "created_at": t} for t in moments]
    with client_for(db_url) as client:
        pushed = client.post(
            "/api/v1/documents",
            headers={"X-API-Key": key},
            json={"entity": "acme", "voice": "public", "documents": documents},
        )
        assert pushed.json()["inserted"] == 6
        for since, until in (("2025-03-08", "2025-03-10"), ("2025-11-01", "2025-11-03")):
            body = series(
                client,
                entity="acme",
                freq="day",
                tz="America/New_York",
                min_n=1,
                since=since,
                until=until,
            )
            counts = {p["period"]: p["public"]["n"] for p in body["periods"]}  # type: ignore[union-attr]
            expected = {day: list(moments.values()).count(day) for day in counts}
            assert counts == expected
            assert sum(counts.values()) > 0
