"""Effective n through the API: one viral post among a dozen is about one document's worth."""

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
LIKES = [0] * 12 + [5_000]  # weights 1 and 5,001
N_EFF = sum(k + 1 for k in LIKES) ** 2 / sum((k + 1) ** 2 for k in LIKES)
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
                external_id=f"post-{i}", entity_id=entity_id, voice="public", text=f"post {i}",
                published_at=DAY + timedelta(minutes=i), likes=likes, reposts=None,
                replies=None, neg=0.1, neu=0.8, pos=0.1, compound=0.9 if likes else 0.1,
                sentences=1, scorer_version="test",
            )
            for i, likes in enumerate(LIKES)
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
    assert public["null_reason"] == "effective n 1.00 below 5 (13 documents, a few weigh most)"


def test_under_two_effective_documents_a_mean_has_no_interval(client: TestClient) -> None:
    (period,) = client.get("/api/v1/ravine", params={**PARAMS, "min_n": 1}).json()["periods"]
    public = period["public"]
    assert public["value"] == pytest.approx((12 * 0.1 + 5_001 * 0.9) / 5_013)
    assert public["sd"] is None and public["ci_low"] is None and public["ci_high"] is None
    assert public["null_reason"].startswith("effective n 1.00: too few for a CI")


def test_unweighted_the_effective_n_is_the_count_in_json_and_csv(client: TestClient) -> None:
    plain = {**PARAMS, "weighting": "none"}
    (period,) = client.get("/api/v1/ravine", params=plain).json()["periods"]
    assert period["public"]["n_eff"] == period["public"]["n"] == 13
    sheet = client.get("/api/v1/ravine", params={**plain, "format": "csv"}).text
    (row,) = csv.DictReader(io.StringIO(sheet))
    assert float(row["public_n_eff"]) == 13 and row["corporate_n_eff"] == ""
