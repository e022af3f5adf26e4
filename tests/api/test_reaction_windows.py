"""Reaction windows through the API, on both backends: each side is exactly the public posts of
[t − w, t) and [t, t + w), whatever hours they share with the statement or the window's ends,
and every statement of the range is listed, page by page, exactly once."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.models import Document
from ravine.records import DocumentRecord
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.sources import get_or_create_source
from ravine.rollup import engagement_weight
from tests.api.conftest import client_for
from tests.factories import make_source

T = datetime(2025, 3, 10, 10, 30, tzinfo=UTC)  # the statement: half past an hour
W = timedelta(days=1)
DAY = {"entity": "northwind-air", "since": "2025-03-10", "until": "2025-03-10"}
SECOND, MICROSECOND = timedelta(seconds=1), timedelta(microseconds=1)
# Posts in the hours a side only partly covers, each a step either side of a bound.
EDGE_POSTS = [
    T - timedelta(minutes=20),  # 10:10, the statement's own hour: before
    T + timedelta(minutes=20),  # 10:50, the statement's own hour: after
    T - MICROSECOND,  # before
    T,  # after
    T - W - MICROSECOND,  # just before the window: neither
    T - W,  # before
    T - W + timedelta(minutes=25),  # before
    T + W - SECOND,  # after
    T + W,  # neither
    T + W + timedelta(minutes=5),  # neither
]


def public_record(i: int, at: datetime, entity_id: int) -> DocumentRecord:
    return DocumentRecord(
        external_id=f"post-{i}", entity_id=entity_id, voice="public", text=f"post {i}",
        published_at=at, likes=(i * 7) % 11, reposts=i % 3, replies=None, neg=0.1, neu=0.8,
        pos=0.1, compound=round(((i * 37) % 200 - 100) / 100, 4), sentences=1,
        scorer_version="test",
    )  # fmt: skip


def store(
    factory: sessionmaker[Session], statements: list[datetime], posts: list[datetime]
) -> None:
    """The statements, the posts, and in the statement's hour a deleted and an unscored post,
    which count on no side."""
    with session_scope(factory, write=True) as session:
        entity_id, public_id = make_source(session, voice="public")
        corporate_id = get_or_create_source(
            session, name="test-corporate", kind="file", voice="corporate", entity_id=entity_id
        ).id
        records = [public_record(i, at, entity_id) for i, at in enumerate(posts)]
        gone = public_record(len(posts), T + timedelta(minutes=5), entity_id)
        unscored = replace(
            public_record(len(posts) + 1, T + timedelta(minutes=6), entity_id),
            compound=None, unscored_reason="empty",
        )  # fmt: skip
        upsert_documents(session, source_id=public_id, records=[*records, gone, unscored])
        mark_deleted(session, source_id=public_id, external_ids=[gone.external_id])
        said = [
            DocumentRecord(
                external_id=f"statement-{i}", entity_id=entity_id, voice="corporate",
                text=f"statement {i}", title=f"Statement {i}", published_at=at, neg=0.0,
                neu=1.0, pos=0.0, compound=0.0, sentences=1, scorer_version="test",
            )
            for i, at in enumerate(statements)
        ]  # fmt: skip
        upsert_documents(session, source_id=corporate_id, records=said)


def brute_force(factory: sessionmaker[Session], lo: datetime, hi: datetime) -> dict[str, Any]:
    """n and the plain and engagement-weighted mean of the stored public posts in [lo, hi)."""
    with factory() as session:
        rows = session.execute(
            select(Document.published_at, Document.compound, Document.likes, Document.reposts,
                   Document.replies)
            .where(Document.voice == "public", Document.compound.is_not(None),
                   Document.deleted_at.is_(None))
        ).all()  # fmt: skip
    inside = [
        (x, engagement_weight(likes, reposts, replies))
        for at, x, likes, reposts, replies in rows
        if x is not None and lo <= (at if at.tzinfo else at.replace(tzinfo=UTC)) < hi
    ]
    weights = sum(w for _, w in inside)
    return {
        "n": len(inside),
        "none": math.fsum(x for x, _ in inside) / len(inside),
        "engagement": math.fsum(w * x for x, w in inside) / weights,
    }


def test_each_side_is_exactly_the_posts_before_and_after_the_statement(
    session_factory: sessionmaker[Session], db_url: str
) -> None:
    whole_hours = [T - 2 * W + timedelta(minutes=167 * i) for i in range(35)]  # 4 days
    store(session_factory, [T], [*EDGE_POSTS, *whole_hours])
    with client_for(db_url) as client:
        for weighting in ("none", "engagement"):
            response = client.get(
                "/api/v1/ravine/reactions",
                params={**DAY, "window_days": 1, "min_n": 1, "weighting": weighting},
            )
            assert response.status_code == 200, response.text
            (row,) = response.json()["reactions"]
            for side, lo, hi in (("before", T - W, T), ("after", T, T + W)):
                expected = brute_force(session_factory, lo, hi)
                assert row[f"{side}_n"] == expected["n"], (side, weighting)
                assert row[f"{side}_value"] == pytest.approx(expected[weighting], abs=1e-12)
            assert row["before_n"] > 10 and row["after_n"] > 10
            assert row["change"] == pytest.approx(
                row["after_value"] - row["before_value"], abs=1e-12
            )


def test_every_statement_is_listed_once_page_by_page(
    session_factory: sessionmaker[Session], db_url: str
) -> None:
    at = [T + timedelta(minutes=m) for m in (0, 0, 0, 40, 90, 300, 301, 600)]  # ties share a time
    store(session_factory, at, [T + timedelta(minutes=m) for m in range(0, 600, 7)])
    with client_for(db_url) as client:
        seen: list[int] = []
        pages: list[tuple[int, bool]] = []
        cursor = None
        while True:
            params = {**DAY, "limit": 3, **({"cursor": cursor} if cursor else {})}
            response = client.get("/api/v1/ravine/reactions", params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["total"] == len(at)
            seen += [r["id"] for r in body["reactions"]]
            pages.append((len(body["reactions"]), body["truncated"]))
            cursor = body["next_cursor"]
            assert (cursor is not None) == body["truncated"]
            if cursor is None:
                break
        assert pages == [(3, True), (3, True), (2, False)]
        assert len(seen) == len(set(seen)) == len(at)
        whole = client.get("/api/v1/ravine/reactions", params=DAY).json()
        assert [r["id"] for r in whole["reactions"]] == seen
        assert (whole["total"], whole["truncated"], whole["next_cursor"]) == (len(at), False, None)
        refused = client.get("/api/v1/ravine/reactions", params={**DAY, "cursor": "not-a-cursor"})
        assert refused.status_code == 422
