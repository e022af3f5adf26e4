"""Idempotent document writes that keep the hourly roll-ups exact in the same transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ARRAY, Row, String, Table, any_, bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from ravine.duplicates import text_key
from ravine.models import Document
from ravine.records import DocumentRecord, UpsertCounts, content_hash
from ravine.repository.bulk import datetime_binder, insert_many, json_binder, text_array_literal
from ravine.repository.duplicates import GroupKey, collapsing, settle
from ravine.repository.rollups import add_inserted, apply_delta, latest_document_id
from ravine.repository.text_search import index_inserted
from ravine.repository.totals import TotalsDelta, apply_totals
from ravine.rollup import RollupDelta, engagement_weight

_table = cast(Table, Document.__table__)  # a mapped class always has a Table
_KEY_CHUNK = 900  # keys per IN (…) lookup, well under every backend's parameter limit
_SOURCE_LOCK_CLASS = 0x52415656  # "RAVV": namespace of Ravine's PostgreSQL advisory locks

# Columns a re-fetch may change; a document whose values all match is left untouched.
_COMPARED = (
    "entity_id",
    "voice",
    "author",
    "url",
    "title",
    "text",
    "lang",
    "published_at",
    "likes",
    "reposts",
    "replies",
    "content_hash",
    "neg",
    "neu",
    "pos",
    "compound",
    "sentences",
    "scorer_version",
    "unscored_reason",
    "deleted_at",
)
# raw follows an edit but is no reason for one: an API's record changes with every fetch.
# An edit may change the text key, and whether the document repeats another is decided again.
_UPDATED = (*_COMPARED, "raw", "updated_at", "text_key", "is_duplicate")
_RECORD_FIELDS = tuple(item.name for item in fields(DocumentRecord))
_INSERTED = (
    "source_id", "external_id", "entity_id", "voice", "text", "author", "url", "title", "lang",
    "likes", "reposts", "replies", "neg", "neu", "pos", "compound", "sentences",
    "scorer_version", "unscored_reason", "published_at", "content_hash", "fetched_at",
    "updated_at", "raw", "text_key",
)  # fmt: skip
# Where a new row's entity, voice and compound sit in _INSERTED (its totals are counted).
_TOTALS_KEY = tuple(_INSERTED.index(name) for name in ("entity_id", "voice", "compound"))


def _insert_row(
    r: DocumentRecord,
    *,
    source_id: int,
    published_at: Any,
    digest: str,
    now: Any,
    raw: Any,
    key: int | None,
) -> tuple[Any, ...]:
    """A new document's values in :data:`_INSERTED` order (spelled out: this is the hot path)."""
    return (
        source_id, r.external_id, r.entity_id, r.voice, r.text, r.author, r.url, r.title,
        r.lang, r.likes, r.reposts, r.replies, r.neg, r.neu, r.pos, r.compound, r.sentences,
        r.scorer_version, r.unscored_reason, published_at, digest, now, now, raw, key,
    )  # fmt: skip


def lock_source(session: Session, source_id: int) -> None:
    """Serialise writers of one source: a PostgreSQL advisory lock held until commit.

    SQLite needs none: write sessions start with ``BEGIN IMMEDIATE``, one writer at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, :key)"),
            {"cls": _SOURCE_LOCK_CLASS, "key": source_id},
        )


def _key_array(keys: list[str]) -> ColumnElement[Any]:
    """``CAST(:keys AS VARCHAR[])`` over an untyped text literal: the server parses it once at
    planning. (A typed text parameter would be cast row by row, a quadratic import.)"""
    return bindparam("keys", text_array_literal(keys), type_=NullType()).cast(ARRAY(String))


def _existing(session: Session, *, source_id: int, keys: Sequence[str]) -> dict[str, Row[Any]]:
    """The stored versions of these keys. PostgreSQL gets one array parameter (``= ANY``):
    planning an IN list of hundreds of parameters costs more than the lookups themselves."""
    found: dict[str, Row[Any]] = {}
    if not keys:
        return found
    columns = [
        _table.c.id, _table.c.external_id, *(_table.c[name] for name in _COMPARED),
        _table.c.text_key, _table.c.is_duplicate,
    ]  # fmt: skip
    postgres = session.get_bind().dialect.name == "postgresql"
    chunk_size = len(keys) if postgres else _KEY_CHUNK
    for start in range(0, len(keys), chunk_size):
        chunk = list(keys[start : start + chunk_size])
        matches = (
            _table.c.external_id == any_(_key_array(chunk))
            if postgres
            else _table.c.external_id.in_(chunk)
        )
        query = select(*columns).where(_table.c.source_id == source_id, matches)
        found.update((row.external_id, row) for row in session.execute(query))
    return found


def count_into(
    delta: RollupDelta,
    totals: TotalsDelta,
    row: Any,
    *,
    compound: float | None,
    sign: int,
) -> None:
    """Add (+1) or remove (−1) one document's share of its hour's roll-up and of its totals.

    ``row`` is anything with the document's entity_id, voice, published_at, engagement counts and
    deleted_at: a stored row (with is_duplicate) or the new values. A near-duplicate counts in
    the totals but in no roll-up.
    """
    if getattr(row, "deleted_at", None) is not None:  # new records are never deleted
        return
    totals.add(row.entity_id, row.voice, scored=compound is not None, sign=sign)
    if getattr(row, "is_duplicate", False):
        return
    delta.add(
        entity_id=row.entity_id,
        voice=row.voice,
        published_at=row.published_at,
        compound=compound,
        weight=engagement_weight(likes=row.likes, reposts=row.reposts, replies=row.replies),
        sign=sign,
    )


def upsert_documents(
    session: Session,
    *,
    source_id: int,
    records: Iterable[DocumentRecord],
    expect_new: bool = False,
) -> UpsertCounts:
    """Insert new documents, update changed ones, skip identical ones; roll-ups follow exactly.

    The key is ``(source_id, external_id)``; when a batch repeats a key the last record wins.
    ``expect_new`` (a file read for the first time, say) inserts the batch without looking its
    keys up first; if any key is already stored, nothing of that attempt remains and the batch
    is compared with what is stored, as without it.
    """
    latest = {record.external_id: record for record in records}
    if not latest:
        return UpsertCounts()
    lock_source(session, source_id)
    if expect_new:
        try:
            with session.begin_nested():  # a savepoint: a key conflict undoes only the attempt
                return _write(session, source_id=source_id, latest=latest, stored={})
        except IntegrityError:
            pass
    stored = _existing(session, source_id=source_id, keys=list(latest))
    return _write(session, source_id=source_id, latest=latest, stored=stored)


def _write(
    session: Session,
    *,
    source_id: int,
    latest: dict[str, DocumentRecord],
    stored: dict[str, Row[Any]],
) -> UpsertCounts:
    """Insert the records not in ``stored``, update those that differ from it."""
    connection = session.connection()
    bind_time, bind_json = datetime_binder(connection), json_binder(connection)
    now = datetime.now(UTC)
    bound_now = bind_time(now)
    delta, totals, inserts, updates = RollupDelta(), TotalsDelta(), [], []
    collapse = collapsing(session)  # text keys are kept only while duplicates collapse
    groups: set[GroupKey] = set()  # the text keys whose duplicates are decided again
    for key, record in latest.items():
        digest = content_hash(title=record.title, text=record.text, url=record.url)
        group = text_key(record.text, record.author) if collapse else None
        old = stored.get(key)
        if old is None:
            published_at = bind_time(record.published_at)
            inserts.append(
                _insert_row(
                    record,
                    source_id=source_id,
                    published_at=published_at,
                    digest=digest,
                    now=bound_now,
                    raw=None if record.raw is None else bind_json(record.raw),
                    key=group,
                )
            )
            groups.add((record.entity_id, record.voice, group))
            continue
        values = {name: getattr(record, name) for name in _RECORD_FIELDS}
        values.update(content_hash=digest, deleted_at=None)
        if any(getattr(old, name) != values[name] for name in _COMPARED):
            values.update(updated_at=now, text_key=group, is_duplicate=False)
            groups.add((old.entity_id, old.voice, old.text_key))
            groups.add((record.entity_id, record.voice, group))
            updates.append({"_id": old.id, **{f"new_{k}": values[k] for k in _UPDATED}})
            count_into(delta, totals, old, compound=old.compound, sign=-1)
            count_into(delta, totals, record, compound=record.compound, sign=+1)
            totals.touch(old.entity_id, old.voice)  # an edit of a deleted row undeletes it
    if inserts:
        after_id = latest_document_id(session)
        insert_many(connection, table=_table, columns=_INSERTED, rows=inserts)
        batch = {"source_id": source_id, "after_id": after_id, "upto": latest_document_id(session)}
        add_inserted(session, **batch)
        index_inserted(session, **batch)
        e, v, c = _TOTALS_KEY
        totals.add_counted(Counter((row[e], row[v], row[c] is not None) for row in inserts).items())
    if updates:
        statement = (
            update(_table)
            .where(_table.c.id == bindparam("_id"))
            .values({name: bindparam(f"new_{name}") for name in _UPDATED})
        )
        connection.execute(statement, updates)
    if collapse:
        settle(session, groups, delta)
    apply_delta(session, delta)
    apply_totals(session, totals)
    return UpsertCounts(
        inserted=len(inserts),
        updated=len(updates),
        unchanged=len(latest) - len(inserts) - len(updates),
    )


def count_documents(session: Session, *, source_id: int | None = None) -> int:
    query = select(func.count()).select_from(Document)
    if source_id is not None:
        query = query.where(Document.source_id == source_id)
    return session.scalar(query) or 0


def recent_external_ids(
    session: Session, *, source_id: int, since: datetime, limit: int
) -> list[str]:
    """Ids of a source's live documents published since ``since``, newest first."""
    query = (
        select(Document.external_id)
        .where(
            Document.source_id == source_id,
            Document.published_at >= since,
            Document.deleted_at.is_(None),
        )
        .order_by(Document.published_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_deleted(session: Session, *, source_id: int, external_ids: Sequence[str]) -> int:
    """Mark documents deleted at their origin: text purged, out of every series and roll-up.

    Returns how many were newly marked; already-deleted and unknown ids are skipped.
    """
    stored = _existing(session, source_id=source_id, keys=list(dict.fromkeys(external_ids)))
    live = [row for row in stored.values() if row.deleted_at is None]
    if not live:
        return 0
    delta, totals = RollupDelta(), TotalsDelta()
    for row in live:
        count_into(delta, totals, row, compound=row.compound, sign=-1)
    now = datetime.now(UTC)
    statement = (
        update(_table)
        .where(_table.c.id == bindparam("_id"))
        .values(
            deleted_at=now, updated_at=now, text="", title=None, author=None, raw=None,
            text_key=None, is_duplicate=False,
        )
    )  # fmt: skip
    session.connection().execute(statement, [{"_id": row.id} for row in live])
    if collapsing(session):  # a copy of a deleted document may count in its place
        settle(session, {(row.entity_id, row.voice, row.text_key) for row in live}, delta)
    apply_delta(session, delta)
    apply_totals(session, totals)
    return len(live)
