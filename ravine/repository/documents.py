"""Idempotent document writes that keep the hourly roll-ups exact in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from ravine.models import Document
from ravine.records import DocumentRecord, UpsertCounts, content_hash
from ravine.repository.rollups import apply_delta
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
_UPDATED = (*_COMPARED, "updated_at")


def lock_source(session: Session, source_id: int) -> None:
    """Serialise writers of one source: a PostgreSQL advisory lock held until commit.

    SQLite needs none: write sessions start with ``BEGIN IMMEDIATE``, one writer at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, :key)"),
            {"cls": _SOURCE_LOCK_CLASS, "key": source_id},
        )


def _existing(session: Session, source_id: int, keys: Sequence[str]) -> dict[str, Row[Any]]:
    found: dict[str, Row[Any]] = {}
    columns = [_table.c.id, _table.c.external_id, *(_table.c[name] for name in _COMPARED)]
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = keys[start : start + _KEY_CHUNK]
        query = select(*columns).where(
            _table.c.source_id == source_id, _table.c.external_id.in_(chunk)
        )
        found.update((row.external_id, row) for row in session.execute(query))
    return found


def count_into(delta: RollupDelta, row: Any, *, compound: float | None, sign: int) -> None:
    """Add (+1) or remove (−1) one document's share of its hour's roll-up.

    ``row`` is anything with the document's entity_id, voice, published_at, engagement counts and
    deleted_at: a stored row or the new values.
    """
    if row.deleted_at is not None:
        return
    delta.add(
        entity_id=row.entity_id,
        voice=row.voice,
        published_at=row.published_at,
        compound=compound,
        weight=engagement_weight(row.likes, row.reposts, row.replies),
        sign=sign,
    )


def upsert_documents(
    session: Session, *, source_id: int, records: Iterable[DocumentRecord]
) -> UpsertCounts:
    """Insert new documents, update changed ones, skip identical ones; roll-ups follow exactly.

    The key is ``(source_id, external_id)``; when a batch repeats a key the last record wins.
    """
    latest = {record.external_id: record for record in records}
    if not latest:
        return UpsertCounts()
    lock_source(session, source_id)
    stored = _existing(session, source_id, list(latest))
    now = datetime.now(UTC)
    delta, inserts, updates = RollupDelta(), [], []
    for key, record in latest.items():
        values = asdict(record)
        values["content_hash"] = content_hash(title=record.title, text=record.text, url=record.url)
        values["deleted_at"] = None
        old = stored.get(key)
        if old is None:
            values.update(source_id=source_id, fetched_at=now, updated_at=now)
            inserts.append(values)
            count_into(delta, SimpleNamespace(**values), compound=record.compound, sign=+1)
        elif any(getattr(old, name) != values[name] for name in _COMPARED):
            values["updated_at"] = now
            updates.append({"_id": old.id, **{f"new_{k}": values[k] for k in _UPDATED}})
            count_into(delta, old, compound=old.compound, sign=-1)
            count_into(delta, SimpleNamespace(**values), compound=record.compound, sign=+1)
    connection = session.connection()
    if inserts:
        connection.execute(insert(_table), inserts)
    if updates:
        statement = (
            update(_table)
            .where(_table.c.id == bindparam("_id"))
            .values({name: bindparam(f"new_{name}") for name in _UPDATED})
        )
        connection.execute(statement, updates)
    apply_delta(session, delta)
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
