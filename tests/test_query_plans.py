"""Every page of the document search is read from an index in its order, on both backends.

A plan that reads all of an entity's documents and sorts them (what listing an entity without
a voice did before it had its own index) grows with the entity; these tests read the plans
each backend chooses and fail when one turns into a scan or a sort.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.records import DocumentRecord
from ravine.repository.document_queries import DocumentFilter, encode_cursor, page_query
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source

START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
def seeded(session_factory: sessionmaker[Session], engine: Engine) -> Engine:
    """Three entities, 12,000 documents: enough for planners to prefer indexes where they can."""
    rng = random.Random(5)
    with session_scope(session_factory, write=True) as session:
        for name in ("Acme", "Globex", "Initech"):
            entity = upsert_entity(session, name=name)[0]
            for voice, count in (("corporate", 200), ("public", 3800)):
                source = get_or_create_source(
                    session, name=f"{name}-{voice}", kind="file", voice=voice
                )
                records = [
                    DocumentRecord(
                        external_id=str(i), entity_id=entity.id, voice=voice, text=f"post {i}",
                        published_at=START + timedelta(minutes=rng.randrange(500_000)),
                        compound=round(rng.uniform(-1, 1), 4), neg=0.1, neu=0.8, pos=0.1,
                        sentences=1, scorer_version="test",
                    )
                    for i in range(count)
                ]  # fmt: skip
                upsert_documents(session, source_id=source.id, records=records)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return engine


def plan(engine: Engine, **page: Any) -> list[str]:
    """The plan's steps, one line each: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's node types
    with the relation or index they read."""
    query = page_query(engine.dialect.name, limit=51, **page)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
            return [row[3] for row in rows]
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", params)
        return list(_nodes(explained.scalar_one()))


def _nodes(found: Any) -> Any:
    for item in found if isinstance(found, list) else [found]:
        node = item.get("Plan", item)
        yield f"{node['Node Type']} {node.get('Relation Name', '')} {node.get('Index Name', '')}"
        yield from _nodes(node.get("Plans", []))


def cases() -> list[dict[str, Any]]:
    time_cursor = encode_cursor(START + timedelta(days=170), 10**9)
    found = []
    for voice, sort, descending, deep in itertools.product(
        (None, "public", "corporate"), ("published_at", "compound"), (True, False), (False, True)
    ):
        start = time_cursor if sort == "published_at" else encode_cursor(0.1, 10**9)
        cursor = start if deep else None
        found.append({
            "where": DocumentFilter(entity_id=2, voice=voice), "sort": sort,
            "descending": descending, "cursor": cursor,
        })  # fmt: skip
    return found


def test_each_page_reads_an_index_in_order(seeded: Engine) -> None:
    for page in cases():
        steps = plan(seeded, **page)
        if seeded.dialect.name == "sqlite":
            documents = [s for s in steps if " documents " in f" {s} "]
            assert any(s.startswith("SEARCH documents USING INDEX") for s in documents), steps
            assert not any(s.startswith("SCAN documents") for s in documents), (page, steps)
            assert not any("TEMP B-TREE FOR ORDER BY" in s for s in steps), (page, steps)
        else:
            scans = ("Seq Scan documents", "Sort", "Bitmap Heap Scan documents")
            assert not any(s.startswith(scans) for s in steps), (page, steps)
            assert any(s.startswith("Index Scan") and "documents" in s for s in steps), steps


def test_searches_across_entities_read_the_time_index(seeded: Engine) -> None:
    steps = plan(seeded, where=DocumentFilter(), sort="published_at", descending=True, cursor=None)
    assert any("ix_documents_published_at_id" in s for s in steps), steps
    assert not any("TEMP B-TREE FOR ORDER BY" in s or s.startswith("Sort") for s in steps), steps
