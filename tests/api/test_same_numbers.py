"""The columnar read path sends the same numbers as the per-row path it replaced.

A random database (two entities over six months that cross both DST changes of New York, of
Sydney's Lord Howe Island with its half-hour shift, and India's half-hour offset) is read
through the API and through :mod:`tests.api.legacy` for every frequency, metric, weighting,
view and zone; the answers must be equal to the last decimal sent, on both backends.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.ravine_schemas import Comparison
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.models import Entity
from ravine.records import DocumentRecord
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source
from tests.api import legacy
from tests.api.conftest import client_for
from tests.databases import DatabaseFactory

START = datetime(2024, 10, 20, tzinfo=UTC)
DAYS = 180
RANGE = {"since": "2024-10-26", "until": "2025-04-12"}
ZONES = ("UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
FREQS = ("day", "week", "month")
METRICS = ("compound", "net", "negative_share")


def _records(rng: random.Random, entity_id: int, voice: str, count: int) -> list[DocumentRecord]:
    found = []
    for i in range(count):
        heavy = rng.random() < 0.02  # a few viral posts, so weighted sums grow large
        found.append(
            DocumentRecord(
                external_id=f"{voice}-{i}", entity_id=entity_id, voice=voice,
                text=f"document {i}", title=f"Statement {i}" if voice == "corporate" else None,
                published_at=START + timedelta(seconds=rng.randrange(DAYS * 86_400)),
                likes=rng.randrange(10**6) if heavy else rng.choice((0, 1, 2, 5)),
                reposts=rng.choice((None, 0, 3)), replies=rng.choice((None, 1)),
                neg=0.1, neu=0.8, pos=0.1,
                compound=rng.choice((0.0, 0.05, -0.05, 0.9999, -1.0, round(rng.uniform(-1, 1), 4))),
                sentences=1, scorer_version="test",
            )
        )  # fmt: skip
    return found


@pytest.fixture(scope="module")
def random_url(databases: DatabaseFactory) -> str:
    url = databases.migrated()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(2026)
    with session_scope(factory, write=True) as session:
        for name, corporate, public in (("Acme", 400, 3000), ("Globex", 60, 900)):
            entity = upsert_entity(session, name=name)[0]
            for voice, count in (("corporate", corporate), ("public", public)):
                source = get_or_create_source(
                    session, name=f"{name}-{voice}", kind="file", voice=voice
                )
                records = _records(rng, entity.id, voice, count)
                upsert_documents(session, source_id=source.id, records=records)
                gone = [r.external_id for r in rng.sample(records, count // 20)]
                mark_deleted(session, source_id=source.id, external_ids=gone)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def new(random_url: str) -> Iterator[TestClient]:
    with client_for(random_url) as client:
        yield client


@pytest.fixture
def session(random_url: str) -> Iterator[Session]:
    engine = make_engine(random_url)
    with make_session_factory(engine)() as opened:
        yield opened
    engine.dispose()


def _query(session: Session, slug: str, **params: Any) -> tuple[Any, Any]:
    entity = session.scalars(select(Entity).where(Entity.slug == slug)).one()
    query = legacy.query_for(
        entity.id, since=date.fromisoformat(RANGE["since"]),
        until=date.fromisoformat(RANGE["until"]), freq=params["freq"], tz=params["tz"],
        metric=params["metric"], min_n=params["min_n"], smooth=params["smooth"],
        weighted=params["weighting"] == "engagement", view=params["view"],
    )  # fmt: skip
    return entity, query


def _cases() -> Iterator[dict[str, Any]]:
    grid = itertools.product(FREQS, METRICS, ("none", "engagement"), ("raw", "baseline"), ZONES)
    for i, (freq, metric, weighting, view, tz) in enumerate(grid):
        yield {
            "freq": freq, "metric": metric, "weighting": weighting, "view": view, "tz": tz,
            "min_n": (1, 5, 30)[i % 3], "smooth": (1, 1, 3, 7)[i % 4],
        }  # fmt: skip


@pytest.mark.slow
def test_series_are_equal_to_the_last_decimal(new: TestClient, session: Session) -> None:
    compared = 0
    for params in _cases():
        _, query = _query(session, "acme", **params)
        sent = new.get("/api/v1/ravine", params={"entity": "acme", **RANGE, **params})
        assert sent.status_code == 200, sent.text
        expected = legacy.series_json(session, query, slug="acme", weighting=params["weighting"])
        assert sent.json() == expected, params
        compared += len(expected["periods"])
    assert compared > 9_000


@pytest.mark.parametrize("tz", ZONES)
def test_sheets_are_equal_cell_by_cell(new: TestClient, session: Session, tz: str) -> None:
    for freq, view in itertools.product(FREQS, ("raw", "baseline")):
        params = {"freq": freq, "tz": tz, "metric": "net", "min_n": 2, "smooth": 2,
                  "weighting": "engagement", "view": view}  # fmt: skip
        _, query = _query(session, "globex", **params)
        sent = new.get("/api/v1/ravine", params={"entity": "globex", "format": "csv", **RANGE,
                                                 **params})  # fmt: skip
        assert sent.status_code == 200
        rows = list(csv.reader(io.StringIO(sent.text)))
        assert rows == list(csv.reader(io.StringIO(legacy.series_csv(session, query))))
        assert len(rows) > 3


def _mean(comparison: dict[str, Any], slug: str) -> float | None:
    entry = next(e for e in comparison["entities"] if e["entity"] == slug)
    value: float | None = entry["summary"]["mean_ravine"]["value"]
    return value


@pytest.mark.slow
def test_summaries_comparisons_and_reactions_are_equal(new: TestClient, session: Session) -> None:
    for params in itertools.islice(_cases(), 0, None, 5):
        _, acme = _query(session, "acme", **params)
        _, globex = _query(session, "globex", **params)
        query = {**RANGE, **params}
        summary = new.get("/api/v1/ravine/summary", params={"entity": "acme", **query})
        assert summary.json() == legacy.summary_json(session, acme, slug="acme"), params
        compared = new.get("/api/v1/compare", params={"entities": "acme,globex", **query})
        entries = legacy.compare_entries(session, [("acme", acme), ("globex", globex)])
        assert compared.json()["entities"] == entries, params
        board = Comparison.model_validate(compared.json()).leaderboard  # the documented shape
        means = {slug: _mean(compared.json(), slug) for slug in ("acme", "globex")}
        assert [row.entity for row in board] == sorted(  # highest mean ravine first
            means, key=lambda slug: (means[slug] is None, -(means[slug] or 0.0))
        )
    for window, tz in itertools.product((0.5, 3, 10), ZONES):
        params = {"freq": "day", "tz": tz, "metric": "compound", "min_n": 3, "smooth": 1,
                  "weighting": "engagement" if window == 3 else "none", "view": "raw"}  # fmt: skip
        _, query = _query(session, "acme", **params)
        sent = new.get(
            "/api/v1/ravine/reactions",
            params={"entity": "acme", "window_days": window, **RANGE, **params},
        )
        expected = legacy.reactions_json(session, query, slug="acme", window_days=window)
        assert sent.json() == expected, (window, tz)
        assert len(expected["reactions"]) > 100
