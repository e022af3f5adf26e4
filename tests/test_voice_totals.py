"""voice_totals and entities.data_version follow every write, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.models import Document, Entity
from ravine.records import ScoreFields
from ravine.repository.documents import mark_deleted, upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.rescoring import ScoreUpdate, apply_scores
from ravine.repository.sources import get_or_create_source
from ravine.repository.totals import rebuild_totals, voice_totals
from tests.factories import make_records, make_source

Totals = dict[tuple[int, str], tuple[int, int, object, object]]


def kept(session: Session) -> Totals:
    return {
        pair: (t.documents, t.scored, t.first_at, t.last_at)
        for pair, t in voice_totals(session).items()
        if t.documents
    }


def recounted(session: Session) -> Totals:
    """The totals counted from documents, as a listing scanned them before."""
    live = Document.deleted_at.is_(None)
    rows = session.execute(
        select(
            Document.entity_id, Document.voice, func.count(), func.count(Document.compound),
            func.min(Document.published_at), func.max(Document.published_at),
        ).where(live).group_by(Document.entity_id, Document.voice)
    )  # fmt: skip
    return {(e, v): (n, s, first, last) for e, v, n, s, first, last in rows}


def versions(session: Session) -> dict[int, int]:
    return {int(i): int(v) for i, v in session.execute(select(Entity.id, Entity.data_version))}


def test_totals_equal_a_recount_after_inserts_edits_rescores_and_deletions(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        other = upsert_entity(session, name="Other Co")[0].id
        corporate = get_or_create_source(session, name="statements", kind="file", voice="corporate")
        records = make_records(entity_id, 60)
        records[3].compound = None  # unscored
        upsert_documents(session, source_id=source_id, records=records, expect_new=True)
        statements = make_records(other, 5, voice="corporate")
        upsert_documents(session, source_id=corporate.id, records=statements)
    with session_scope(session_factory) as session:
        assert kept(session) == recounted(session)
        assert kept(session)[entity_id, "public"][:2] == (60, 59)
    with session_scope(session_factory, write=True) as session:
        week = timedelta(days=9)
        edited = [
            dataclasses.replace(records[0], published_at=records[0].published_at - week),
            dataclasses.replace(records[59], published_at=records[59].published_at + week),
            dataclasses.replace(records[5], compound=None),
            dataclasses.replace(records[6], entity_id=other, text="moved to another entity"),
        ]  # fmt: skip
        upsert_documents(session, source_id=source_id, records=edited)
        gone = [records[0].external_id, records[59].external_id, records[3].external_id]
        mark_deleted(session, source_id=source_id, external_ids=gone)
        unscored = session.scalars(select(Document.id).where(Document.compound.is_(None))).all()
        scores = ScoreFields(
            neg=0.0, neu=1.0, pos=0.0, compound=0.5, sentences=1, scorer_version="new",
            lang="en", unscored_reason=None,
        )  # fmt: skip
        apply_scores(session, [ScoreUpdate(id=i, fields=scores) for i in unscored])
    with session_scope(session_factory) as session:
        assert kept(session) == recounted(session)
        assert kept(session)[entity_id, "public"][:2] == (56, 56)
        assert kept(session)[other, "public"][:2] == (1, 1)
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=source_id, records=[records[0]])  # fetched again
        mark_deleted(
            session, source_id=corporate.id, external_ids=[r.external_id for r in statements]
        )
    with session_scope(session_factory) as session:
        assert kept(session) == recounted(session)
        assert (other, "corporate") not in kept(session)
        assert voice_totals(session)[other, "corporate"].first_at is None


def test_a_rebuild_recounts_the_totals_and_moves_every_version(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        upsert_documents(session, source_id=source_id, records=make_records(entity_id, 20))
        before = versions(session)
        session.execute(Document.__table__.update().values(compound=None))  # edited by hand
        assert rebuild_totals(session) == 1
        assert kept(session) == recounted(session)
        assert kept(session)[entity_id, "public"][:2] == (20, 0)
        assert all(versions(session)[e] > v for e, v in before.items())


def test_a_write_moves_the_version_of_its_entities_only(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        other = upsert_entity(session, name="Other Co")[0].id
        records = make_records(entity_id, 10)
        upsert_documents(session, source_id=source_id, records=records)
    with session_scope(session_factory, write=True) as session:
        start = versions(session)
        upsert_documents(session, source_id=source_id, records=records)  # nothing new
        assert versions(session) == start
        edited = dataclasses.replace(records[2], text="edited text, same score")
        upsert_documents(session, source_id=source_id, records=[edited])
        assert versions(session) == {entity_id: start[entity_id] + 1, other: start[other]}
        mark_deleted(session, source_id=source_id, external_ids=[records[4].external_id])
        assert versions(session)[entity_id] == start[entity_id] + 2
        assert versions(session)[other] == start[other]
