"""Effective n through the API: one viral post among a dozen weighs as a few documents, and
among two as under two (no interval)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from tests.api.conftest import client_for
from tests.databases import DatabaseFactory
from tests.factories import make_source

DAY = datetime(2025, 3, 4, 9, tzinfo=UTC)
NEXT_DAY = DAY + timedelta(days=1)
VIRAL = 5_000  # weighs 1 + ⌊log₂ 5,001⌋ = 13; an unliked post weighs 1
LIKES = {DAY: [0] * 12 + [VIRAL], NEXT_DAY: [0, 0, VIRAL]}
N_EFF = (12 + 13) ** 2 / (12 + 13**2)  # 3.45, under min_n 5
N_EFF_NEXT_DAY = (2 + 13) ** 2 / (2 + 13**2)  # 1.32: under 2, no interval
PARAMS = {"entity": "northwind-air", "since": "2025-03-04", "until": "2025-03-04",
          "weighting": "engagement"}  # fmt: skip


@pytest.fixture(scope="module")
def client(databases: DatabaseFactory) -> Iterator[TestClient]:
    url = databases.migrated()
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        entity_id, source_id = make_source(session)
        records = [
            DocumentRecord(
                external_id=f"{day:%d}-post-{i}", entity_id=entity_id, voice="public",
                text=f"post {i}", published_at=day + timedelta(minutes=i), likes=likes,
                reposts=None, replies=None, neg=0.1, neu=0.8, pos=0.1,
                compound=0.9 if likes else 0.1, sentences=1, scorer_version="test",
            )
            for day, day_likes in LIKES.items()
            for i, likes in enumerate(day_likes)
        ]  # fmt: skip
        upsert_documents(session, source_id=source_id, records=records)
    engine.dispose()
    with client_for(url) as test_client:
        yield test_client


def test_min_n_applies_to_the_effective_n_and_says_so(client: TestClient) -> None:
    (period,) = client.get("/api/v1/ravine", params=PARAMS).json()["periods"]
    public = period["public"]
    assert public["n"] == 13 and public["n_eff"] == pytest.approx(N_EFF)
    assert public["value"] is None and public["ci_low"] is None
    assert public["null_reason"] == "effective n 3.45 below 5 (13 documents, a few weigh most)"


def test_engagement_weights_grow_with_its_logarithm(client: TestClient) -> None:
    (period,) = client.get("/api/v1/ravine", params={**PARAMS, "min_n": 1}).json()["periods"]
    public = period["public"]
    assert public["value"] == pytest.approx((12 * 0.1 + 13 * 0.9) / 25)
    assert public["ci_low"] < public["value"] < public["ci_high"]


def test_under_two_effective_documents_a_mean_has_no_interval(client: TestClient) -> None:
    params = {**PARAMS, "since": "2025-03-05", "until": "2025-03-05", "min_n": 1}
    (period,) = client.get("/api/v1/ravine", params=params).json()["periods"]
    public = period["public"]
    assert public["n_eff"] == pytest.approx(N_EFF_NEXT_DAY)
    assert public["value"] == pytest.approx((2 * 0.1 + 13 * 0.9) / 15)
    assert public["sd"] is None and public["ci_low"] is None and public["ci_high"] is None
    assert public["null_reason"].startswith("effective n 1.32: too few for a CI")


def test_unweighted_the_effective_n_is_the_count_in_json_and_csv(client: TestClient) -> None:
    plain = {**PARAMS, "weighting": "none"}
    (period,) = client.get("/api/v1/ravine", params=plain).json()["periods"]
    assert period["public"]["n_eff"] == period["public"]["n"] == 13
    sheet = client.get("/api/v1/ravine", params={**plain, "format": "csv"}).text
    (row,) = csv.DictReader(io.StringIO(sheet))
    assert float(row["public_n_eff"]) == 13 and row["corporate_n_eff"] == ""
