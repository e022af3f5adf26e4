"""Idempotent upserts keep documents and hourly roll-ups exact, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.models import Document, Entity, HourlyStat, RollupDay, Source
from ravine.records import DocumentRecord
from ravine.repository.documents import (
    count_documents,
    count_into,
    mark_deleted,
    upsert_documents,
)
from ravine.repository.entities import upsert_entity
from ravine.repository.rollups import rebuild
from ravine.repository.series import hour_columns
from ravine.repository.sources import get_or_create_source
from ravine.repository.totals import TotalsDelta
from ravine.rollup import SCALE, RollupDelta
from tests.factories import make_records, make_source


def rollup_rows(session: Session) -> list[tuple[object, ...]]:
    rows = session.scalars(
        select(HourlyStat).order_by(HourlyStat.entity_id, HourlyStat.voice, HourlyStat.hour)
    )
    return [
        (
            r.entity_id,
            r.voice,
            r.hour,
            r.n,
            r.n_pos,
            r.n_neg,
            r.sum,
            r.sum_sq,
            r.w,
            r.w_sq,
            r.w_sum,
            r.w_sum_sq,
            r.w_pos,
            r.w_neg,
        )
        for r in rows
    ]


def packed_days(session: Session) -> list[tuple[object, ...]]:
    rows = session.scalars(
        select(RollupDay).order_by(RollupDay.entity_id, RollupDay.voice, RollupDay.day)
    )
    return [(r.entity_id, r.voice, r.day, bytes(r.hours)) for r in rows]


def assert_rollups_match_a_rebuild(factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    """The roll-ups kept batch by batch equal those rebuilt from the documents: the hourly
    rows, their packed days, and the hours read back from those days."""
    with session_scope(factory) as session:
        incremental = rollup_rows(session), packed_days(session)
    with session_scope(factory, write=True) as session:
        rebuild(session)
    with session_scope(factory) as session:
        rebuilt = rollup_rows(session), packed_days(session)
        for entity_id in {row[0] for row in rebuilt[0]}:
            hours = hour_columns(session, entity_id=entity_id)
            from_days = sorted(
                (voice, int(start), tuple(sums))
                for voice, columns in hours.items()
                for start, sums in zip(columns.starts, columns.sums.tolist(), strict=True)
            )
            stored = sorted(
                (row[1], int(row[2].timestamp()), tuple(row[3:]))  # type: ignore[attr-defined]
                for row in rebuilt[0]
                if row[0] == entity_id
            )
            assert from_days == stored
    assert incremental == rebuilt
    return rebuilt[0]


def test_a_second_identical_batch_changes_nothing(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        first = upsert_documents(session, source_id=source_id, records=make_records(entity_id, 50))
    assert (first.inserted, first.updated, first.unchanged) == (50, 0, 0)
    with session_scope(session_factory, write=True) as session:
        again = upsert_documents(session, source_id=source_id, records=make_records(entity_id, 50))
        assert count_documents(session, source_id=source_id) == 50
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 50)
    rows = assert_rollups_match_a_rebuild(session_factory)
    assert sum(row[3] for row in rows) == 50  # type: ignore[misc]


def test_edits_and_rescores_move_the_rollups_exactly(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        records = make_records(entity_id, 40)
        upsert_documents(session, source_id=source_id, records=records)
    edited = [
        dataclasses.replace(records[0], text="edited text", compound=-0.9),
        dataclasses.replace(records[1], likes=1000),
        dataclasses.replace(records[2], compound=None, unscored_reason="language 'fr' (given)"),
        dataclasses.replace(records[3], published_at=records[30].published_at),
        *make_records(entity_id, 45)[40:],
    ]
    with session_scope(session_factory, write=True) as session:
        counts = upsert_documents(session, source_id=source_id, records=edited)
    assert (counts.inserted, counts.updated, counts.unchanged) == (5, 4, 0)
    rows = assert_rollups_match_a_rebuild(session_factory)
    assert sum(row[3] for row in rows) == 44  # type: ignore[misc]  # one now unscored
    with session_scope(session_factory) as session:
        stored = session.scalars(select(Document).where(Document.external_id == "post-0")).one()
        assert stored.text == "edited text"
        assert stored.updated_at >= stored.fetched_at
    expected_sum = sum(round(r.compound * SCALE) for r in make_records(entity_id, 45) if r.compound)
    expected_sum += round(-0.9 * SCALE) - round(records[0].compound * SCALE)  # type: ignore[operator]
    expected_sum -= round(records[2].compound * SCALE)  # type: ignore[operator]
    assert sum(row[6] for row in rows) == expected_sum  # type: ignore[misc]


def test_a_failed_batch_leaves_nothing_behind(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
    try:
        with session_scope(session_factory, write=True) as session:
            upsert_documents(session, source_id=source_id, records=make_records(entity_id, 30))
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    with session_scope(session_factory) as session:
        assert count_documents(session) == 0
        assert rollup_rows(session) == []


def test_deletions_purge_text_and_leave_the_rollups_exact(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        upsert_documents(session, source_id=source_id, records=make_records(entity_id, 30))
    with session_scope(session_factory, write=True) as session:
        gone = mark_deleted(session, source_id=source_id, external_ids=["post-1", "post-2", "x"])
        again = mark_deleted(session, source_id=source_id, external_ids=["post-1"])
    assert (gone, again) == (2, 0)
    rows = assert_rollups_match_a_rebuild(session_factory)
    assert sum(row[3] for row in rows) == 28  # type: ignore[misc]
    with session_scope(session_factory) as session:
        deleted = session.scalars(select(Document).where(Document.external_id == "post-1")).one()
    assert deleted.deleted_at is not None and deleted.text == "" and deleted.author is None


def test_ids_with_quotes_braces_and_backslashes_are_found_again(
    session_factory: sessionmaker[Session],
) -> None:
    """PostgreSQL looks keys up through a text[] literal: its quoting must hold for any id."""
    odd_ids = ['a"b', "c\\d", "e,f", "{g}", "NULL", " h ", "", "é✓", "i'j", "k\tl\nm", '\\"']
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        records = make_records(entity_id, len(odd_ids))
        for record, odd in zip(records, odd_ids, strict=True):
            record.external_id = odd
        first = upsert_documents(session, source_id=source_id, records=records)
    with session_scope(session_factory, write=True) as session:
        again = upsert_documents(session, source_id=source_id, records=records)
        stored = set(session.scalars(select(Document.external_id)))
    assert (first.inserted, again.unchanged, again.inserted) == (len(odd_ids), len(odd_ids), 0)
    assert stored == set(odd_ids)


def test_expecting_new_rows_falls_back_to_comparing_when_some_are_stored(
    session_factory: sessionmaker[Session],
) -> None:
    """The insert-first path leaves nothing behind when a key exists: counts, rows and
    roll-ups come out as the compare-first path gives them."""
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        first = upsert_documents(
            session, source_id=source_id, records=make_records(entity_id, 30), expect_new=True
        )
    assert (first.inserted, first.updated, first.unchanged) == (30, 0, 0)
    records = make_records(entity_id, 50)  # 0-29 stored, 30-49 new
    records[3] = dataclasses.replace(records[3], text="edited", compound=-0.9)
    with session_scope(session_factory, write=True) as session:
        second = upsert_documents(session, source_id=source_id, records=records, expect_new=True)
    assert (second.inserted, second.updated, second.unchanged) == (20, 1, 29)
    with session_scope(session_factory) as session:
        assert count_documents(session, source_id=source_id) == 50
        edited = session.scalars(select(Document).where(Document.external_id == "post-3")).one()
        assert (edited.text, edited.compound) == ("edited", -0.9)
    rebuilt = assert_rollups_match_a_rebuild(session_factory)
    assert sum(row[3] for row in rebuilt) == 50  # n over every hour


def test_raw_records_are_stored_follow_edits_and_are_purged_on_deletion(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        records = make_records(entity_id, 3)
        records[0].raw = {"id": 0, "text": "post number 0", "nested": {"é": [1, None]}}
        upsert_documents(session, source_id=source_id, records=records)
    edited = dataclasses.replace(records[0], text="edited", raw={"id": 0, "text": "edited"})
    with session_scope(session_factory, write=True) as session:
        upsert_documents(session, source_id=source_id, records=[edited, records[1]])
    with session_scope(session_factory) as session:
        raw = dict(session.execute(select(Document.external_id, Document.raw)).all())
    assert raw == {"post-0": {"id": 0, "text": "edited"}, "post-1": None, "post-2": None}
    with session_scope(session_factory, write=True) as session:
        assert mark_deleted(session, source_id=source_id, external_ids=["post-0"]) == 1
    with session_scope(session_factory) as session:
        assert session.scalar(select(Document.raw).where(Document.external_id == "post-0")) is None
        nulls = session.scalar(select(func.count()).where(Document.raw.is_(None)))
    assert nulls == 3  # SQL NULL, not JSON null


def test_nothing_to_mark_deleted_is_no_error(session_factory: sessionmaker[Session]) -> None:
    with session_scope(session_factory, write=True) as session:
        _, source_id = make_source(session)
        assert mark_deleted(session, source_id=source_id, external_ids=[]) == 0


def expected_rollups(records: list[DocumentRecord]) -> dict[tuple[object, ...], tuple[int, ...]]:
    """The roll-ups computed here, document by document, with the pure arithmetic."""
    delta = RollupDelta()
    for record in records:
        count_into(delta, TotalsDelta(), record, compound=record.compound, sign=+1)
    return {(entity_id, voice, hour): sums for (entity_id, voice, hour), sums in delta.items()}


def stored_rollups(session: Session) -> dict[tuple[object, ...], tuple[int, ...]]:
    stored = {}
    for row in rollup_rows(session):
        hour = row[2]
        assert isinstance(hour, datetime)
        key = (row[0], row[1], hour if hour.tzinfo else hour.replace(tzinfo=UTC))
        stored[key] = tuple(int(value) for value in row[3:])  # type: ignore[call-overload]
    return stored


def test_inserted_rows_are_rolled_up_as_the_pure_arithmetic_says(
    session_factory: sessionmaker[Session],
) -> None:
    """The database sums new rows itself; its hours and sums must equal contribution()'s,
    at the ±0.05 thresholds, for unscored rows and for counts whose sum passes 2³¹ (a 32-bit
    sum would overflow)."""
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        other, _ = upsert_entity(session, name="Other Co")
        records = make_records(entity_id, 120) + make_records(other.id, 30, voice="corporate")
        for i, record in enumerate(records):
            record.external_id = f"{record.entity_id}-{i}"
        edge = [0.05, 0.0499, -0.05, -0.0499, None, 1.0, -1.0]
        for record, compound in zip(records, edge, strict=False):
            record.compound = compound
        records[7].likes, records[7].reposts, records[7].replies = 10**9, 10**9, 10**9
        upsert_documents(session, source_id=source_id, records=records[:100], expect_new=True)
        upsert_documents(session, source_id=source_id, records=records[100:])
    with session_scope(session_factory) as session:
        assert stored_rollups(session) == expected_rollups(records)
    assert_rollups_match_a_rebuild(session_factory)


@pytest.mark.parametrize(
    ("case", "keys"),
    [("missing entity", range(5, 8)), ("missing source", range(5, 8)), ("edit", range(5))],
)
def test_documents_must_refer_to_an_existing_entity_and_source(
    session_factory: sessionmaker[Session], case: str, keys: range
) -> None:
    """Checked per row by SQLite's foreign keys, per statement by PostgreSQL's triggers: new
    rows naming a missing entity or source, or an edit moving rows to a missing entity, are
    refused whole. (Unscored rows: no roll-up, whose own key would refuse them too.)"""
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        upsert_documents(session, source_id=source_id, records=make_records(entity_id, 5))
    records = [make_records(entity_id, 8)[key] for key in keys]
    for record in records:
        record.compound = None
        if case != "missing source":
            record.entity_id = 999_999
    target = 999_999 if case == "missing source" else source_id
    for expect_new in (True, False):
        with pytest.raises(IntegrityError), session_scope(session_factory, write=True) as s:
            upsert_documents(s, source_id=target, records=records, expect_new=expect_new)
    with session_scope(session_factory) as session:
        assert count_documents(session) == 5
        stored = session.scalars(select(Document.entity_id).distinct()).all()
        assert stored == [entity_id]


def test_deleting_an_entity_or_source_deletes_its_documents(
    session_factory: sessionmaker[Session],
) -> None:
    with session_scope(session_factory, write=True) as session:
        entity_id, source_id = make_source(session)
        other, _ = upsert_entity(session, name="Other Co")
        other_source = get_or_create_source(
            session, name="other", kind="file", voice="public", entity_id=other.id
        )
        upsert_documents(session, source_id=source_id, records=make_records(entity_id, 6))
        upsert_documents(session, source_id=other_source.id, records=make_records(other.id, 4))
    with session_scope(session_factory, write=True) as session:
        session.execute(delete(Source).where(Source.id == source_id))
    with session_scope(session_factory) as session:
        assert count_documents(session) == 4
    with session_scope(session_factory, write=True) as session:
        session.execute(delete(Entity).where(Entity.id == other.id))
    with session_scope(session_factory) as session:
        assert count_documents(session) == 0
