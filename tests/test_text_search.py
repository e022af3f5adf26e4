"""q= is word search through a full-text index that every write keeps in step, on both backends."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text
from sqlalchemy.orm import Session, sessionmaker

from ravine import migrate
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.models import Entity
from ravine.repository.apikeys import create_key
from ravine.repository.document_queries import DocumentFilter, find_documents
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.entities import upsert_entity
from tests.api.conftest import client_for
from tests.databases import DatabaseFactory
from tests.factories import make_records, make_source

TEXTS = {
    "gate": "Rude staff at the gate!",
    "oil": "crude oil prices, again",
    "shout": "They were RUDE. So rude.",
    "checkin": "check-in took 3.5 hours",
    "cafe": "Café closed early",
    "late": "my bag was delivered late",
    "delay": "Delivery delayed by a week",
}


@pytest.fixture
def stored(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        records = make_records(entity_id, len(TEXTS))
        for record, (key, words) in zip(records, TEXTS.items(), strict=True):
            record.external_id, record.text = key, words
        upsert_documents(session, source_id=source_id, records=records)
    return entity_id, source_id


def found(factory: sessionmaker[Session], q: str, **where: object) -> set[str]:
    with session_scope(factory) as session:
        rows, _ = find_documents(session, where=DocumentFilter(text=q, **where), limit=100)  # type: ignore[arg-type]
        return {row.document.external_id for row in rows}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rude", {"gate", "shout"}),  # a whole word in any case, not "crude"
        ("RUDE staff", {"gate"}),  # every word
        ("deliver*", {"late", "delay"}),  # a prefix
        ("check-in", {"checkin"}),  # punctuation splits words, in texts and in q
        ("3.5", {"checkin"}),
        ("café", {"cafe"}),
        ("cafe", set()),  # accents count
        ("rud", set()),
        ("gate, staff!", {"gate"}),
    ],
)
def test_words_match_whole_in_any_case(
    session_factory: sessionmaker[Session], stored: tuple[int, int], q: str, expected: set[str]
) -> None:
    assert found(session_factory, q) == expected
    assert found(session_factory, q, entity_id=stored[0], voice="public") == expected
    assert found(session_factory, q, entity_id=stored[0] + 1) == set()
    assert found(session_factory, q, voice="corporate") == set()


def test_edits_deletions_moves_and_cascades_keep_the_index_in_step(
    session_factory: sessionmaker[Session], stored: tuple[int, int]
) -> None:
    entity_id, source_id = stored
    with session_scope(session_factory, write=True) as session:
        other = upsert_entity(session, name="Other Co")[0].id
        records = make_records(entity_id, len(TEXTS))
        for record, key in zip(records, TEXTS, strict=True):
            record.external_id, record.text = key, TEXTS[key]
        edits = [
            dataclasses.replace(records[0], text="Polite staff at the gate"),  # gate
            dataclasses.replace(records[2], entity_id=other),  # shout moves entity
        ]
        upsert_documents(session, source_id=source_id, records=edits)
        mark_deleted(session, source_id=source_id, external_ids=["late"])
    assert found(session_factory, "rude") == {"shout"}
    assert found(session_factory, "polite") == {"gate"}
    assert found(session_factory, "rude", entity_id=other) == {"shout"}
    assert found(session_factory, "rude", entity_id=entity_id) == set()
    assert found(session_factory, "delivered") == set()
    with session_scope(session_factory, write=True) as session:
        session.execute(delete(Entity).where(Entity.id == other))
        if session.get_bind().dialect.name == "sqlite":  # its rows leave the FTS5 index too
            left = "SELECT count(*) FROM document_search WHERE document_search MATCH :q"
            assert session.scalar(text(left), {"q": f'scope : "e{other}"'}) == 0
    assert found(session_factory, "rude") == set()


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    with client_for(db_url) as client:
        yield client


def test_pushed_documents_are_found_and_a_search_without_words_is_refused(
    api: TestClient, session_factory: sessionmaker[Session]
) -> None:
    with session_scope(session_factory, write=True) as session:
        upsert_entity(session, name="United")
        _, key = create_key(session, name="tests")
    documents = [{"external_id": "p1", "text": "Lost my bag AGAIN", "created_at": 1740500000}]
    body = {"entity": "united", "voice": "public", "documents": documents}
    pushed = api.post("/api/v1/documents", json=body, headers={"X-API-Key": key})
    assert pushed.status_code == 200, pushed.text
    page = api.get("/api/v1/documents", params={"entity": "united", "q": "again bag"}).json()
    assert [item["external_id"] for item in page["items"]] == ["p1"]
    refused = api.get("/api/v1/documents", params={"q": " !!! "})
    assert refused.status_code == 422
    assert "no word to search for" in refused.json()["detail"]


def test_the_migration_indexes_documents_stored_before_it(databases: DatabaseFactory) -> None:
    url = databases.empty()
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, "8d41f0b7c2e5")  # the revision before the text index
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO entities (id, slug, name, aliases, created_at) "
                "VALUES (1, 'acme', 'Acme', '[]', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO sources (id, name, kind, entity_id, voice, settings, cursor, enabled,"
                " created_at) VALUES (1, 'old', 'file', 1, 'public', '{}', '{}', true, "
                "CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO documents (source_id, external_id, entity_id, voice, text, "
                "published_at, fetched_at, updated_at, content_hash, compound) VALUES "
                "(1, 'a', 1, 'public', 'Rude staff', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 'h', 0.5), (1, 'b', 1, 'public', 'kind staff', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'h', NULL)"
            ))  # fmt: skip
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        assert found(factory, "rude") == {"a"}
        assert found(factory, "staff", entity_id=1, voice="public") == {"a", "b"}
        with session_scope(factory) as session:
            totals = session.execute(text("SELECT documents, scored FROM voice_totals")).all()
            assert [tuple(row) for row in totals] == [(2, 1)]
    finally:
        engine.dispose()


def test_long_and_odd_texts_are_indexed(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        base = make_records(entity_id, 1)[0]
        odd = [
            dataclasses.replace(base, external_id="long", text="word " * 20_000 + "needle"),
            dataclasses.replace(base, external_id="quotes", text='say "hello" \\ O\'Brien'),
            dataclasses.replace(base, external_id="emoji", text="😡 #fail @united"),
        ]
        upsert_documents(session, source_id=source_id, records=odd)
    assert found(session_factory, "needle") == {"long"}
    assert found(session_factory, "o brien") == {"quotes"}
    assert found(session_factory, '"hello"') == {"quotes"}
    assert found(session_factory, "fail united") == {"emoji"}
