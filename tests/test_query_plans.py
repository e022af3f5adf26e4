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
from ravine.repository.authors import sample_query
from ravine.repository.document_queries import DocumentFilter, encode_cursor, page_query
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source

START = datetime(2024, 1, 1, tzinfo=UTC)
LIMIT = 51  # a page of 50 and the row that says there is a next page


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


def _compiled(engine: Engine, **page: Any) -> tuple[str, Any]:
    query = page_query(engine.dialect.name, limit=LIMIT, **page)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    return str(compiled), params


def sqlite_plan(engine: Engine, **page: Any) -> list[tuple[int, int, str]]:
    """EXPLAIN QUERY PLAN: (id, parent, step) rows."""
    sql, params = _compiled(engine, **page)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        return [(row[0], row[1], row[3]) for row in rows]


def sqlite_steps(engine: Engine, sql: str, params: Any) -> int:
    """How many SQLite virtual machine instructions (in hundreds) a query takes."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.set_progress_handler(count, 100)
        connection.exec_driver_sql(sql, params).fetchall()
        raw.set_progress_handler(None, 0)
    return steps


def postgres_reads(engine: Engine, **page: Any) -> list[tuple[str, int]]:
    """EXPLAIN ANALYZE: each node that reads documents, with the rows it went through."""
    sql, params = _compiled(engine, **page)
    with engine.connect() as connection:
        found = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        return list(_reads(found.scalar_one()))


def _reads(found: Any) -> Any:
    for item in found if isinstance(found, list) else [found]:
        node = item.get("Plan", item)
        if node.get("Relation Name") == "documents":
            loops = node["Actual Loops"]
            read = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * loops
            yield f"{node['Node Type']} {node.get('Index Name', '')}", read
        yield from _reads(node.get("Plans", []))


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


def test_each_page_reads_a_range_of_an_index_in_order(seeded: Engine) -> None:
    """A page reads about ``limit`` rows of each voice's range, never the entity's rows."""
    for page in cases():
        if seeded.dialect.name == "postgresql":
            reads = postgres_reads(seeded, **page)
            assert reads and not any(step.startswith("Seq Scan") for step, _ in reads), reads
            assert all(read <= 2 * LIMIT + 2 for _, read in reads), (page, reads)
            continue
        steps = sqlite_plan(seeded, **page)
        documents = [step for _, _, step in steps if " documents " in f" {step} "]
        assert documents and all(step.startswith("SEARCH documents USING") for step in documents)
        # One voice is one range in index order; both voices sort what two ranges gave.
        sorts = [step for _, _, step in steps if "TEMP B-TREE" in step]
        assert not sorts or page["where"].voice is None, (page, steps)
        page_steps = sqlite_steps(seeded, *_compiled(seeded, **page))
        entity = "SELECT * FROM documents WHERE entity_id = 2 ORDER BY text"
        assert page_steps * 10 < sqlite_steps(seeded, entity, ()), (page, page_steps)


def test_searches_across_entities_read_the_time_index(seeded: Engine) -> None:
    page = {"where": DocumentFilter(), "sort": "published_at", "descending": True, "cursor": None}
    if seeded.dialect.name == "postgresql":
        reads = postgres_reads(seeded, **page)
        assert reads == [("Index Scan ix_documents_published_at_id", LIMIT)], reads
    else:
        steps = [step for _, _, step in sqlite_plan(seeded, **page)]
        assert any("ix_documents_published_at_id" in step for step in steps), steps
        assert not any("TEMP B-TREE" in step for step in steps), steps


def test_an_author_sample_reads_the_latest_of_one_voices_range_backwards(seeded: Engine) -> None:
    """The sample behind a voice's design effects (:mod:`ravine.repository.authors`) reads
    ``limit`` rows of the (entity, voice, time) index from the end, never the whole voice."""
    query = sample_query(
        seeded.dialect.name, entity_id=2, voice="public", since=START,
        until=START + timedelta(days=400), limit=LIMIT,
    )  # fmt: skip
    compiled = query.compile(dialect=seeded.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    index = "ix_documents_entity_id_voice_published_at_id"
    with seeded.connect() as connection:
        if seeded.dialect.name == "postgresql":
            found = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}", params)
            assert list(_reads(found.scalar_one())) == [(f"Index Scan {index}", LIMIT)]
            return
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        steps = [row[3] for row in plan]
    assert steps == [f"SEARCH documents USING INDEX {index} (entity_id=? AND voice=? AND "
                     "published_at>? AND published_at<?)"], steps  # fmt: skip
