"""Keep ``hourly_stats`` exact: apply per-batch deltas, or rebuild it from ``documents``."""

from __future__ import annotations

import functools
import typing
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Executable,
    Select,
    Table,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ravine.models import Document, HourlyStat
from ravine.repository.bulk import add_many, datetime_binder, upsert_into
from ravine.repository.rollup_days import merge_hours, rebuild_days, repack
from ravine.rollup import COLUMNS, NEGATIVE_MAX, POSITIVE_MIN, SCALE, RollupDelta

_table = typing.cast(Table, HourlyStat.__table__)  # a mapped class always has a Table
_documents = typing.cast(Table, Document.__table__)
_KEY = ("entity_id", "voice", "hour")  # an hourly_stats row's key
_UTC_ORIGIN = literal(datetime(2000, 1, 1, tzinfo=UTC), DateTime(timezone=True))


def apply_delta(session: Session, delta: RollupDelta) -> None:
    """Add a batch's signed sums to the stored roll-ups, drop hours left with no documents, and
    repack the days it touched."""
    connection = session.connection()
    bind_time = datetime_binder(connection)
    changes = list(delta.items())
    if not changes:
        return
    add_many(
        connection,
        table="hourly_stats",
        keys={"entity_id": "integer", "voice": "text", "hour": "timestamptz"},
        columns=COLUMNS,
        rows=[(key[0], key[1], bind_time(key[2]), *sums) for key, sums in changes],
    )
    fallen = [key for key, sums in changes if sums[0] < 0]  # n fell: the hour may be empty
    if fallen:
        key = tuple_(HourlyStat.entity_id, HourlyStat.voice, HourlyStat.hour)
        session.execute(delete(HourlyStat).where(key.in_(fallen), HourlyStat.n <= 0))
    repack(session, {(e, v, hour.astimezone(UTC).date()) for (e, v, hour), _ in changes})


def _hour_expression(dialect: str, published_at: ColumnElement[Any]) -> ColumnElement[Any]:
    """The UTC hour of a timestamp, as the roll-up's ``hour`` key stores it."""
    if dialect == "postgresql":
        # Whole hours counted from a UTC origin: date_trunc's time-zone form gives the same
        # instants with two time-zone conversions per row.
        return func.date_bin(text("interval '1 hour'"), published_at, _UTC_ORIGIN)
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC): the hour is its first 13 characters.
    return func.substr(published_at, 1, 13).concat(":00:00.000000")


def weight_expression(engagement: ColumnElement[Any]) -> ColumnElement[Any]:
    """:func:`ravine.rollup.engagement_weight` in SQL: the bit length of engagement + 1 (at
    least 1), as a ladder of comparisons that neither backend can round differently."""
    return case(
        *((engagement < 2**bits, bits) for bits in range(1, 63)), else_=literal(63, BigInteger)
    )


def _sums(dialect: str, *where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """Each hour's roll-up columns summed over the scored, live documents matching ``where``:
    the same arithmetic as :func:`ravine.rollup.contribution`, done by the database."""
    c = _documents.c
    # Each count widened before the sum: three counts near 2³¹ overflow a 32-bit sum.
    likes, reposts, replies = (
        cast(func.coalesce(count, 0), BigInteger) for count in (c.likes, c.reposts, c.replies)
    )
    per_document = select(
        c.entity_id,
        c.voice,
        _hour_expression(dialect, c.published_at).label("hour"),
        cast(func.round(c.compound * SCALE), BigInteger).label("x"),  # 64-bit: x², w·x² grow
        weight_expression(likes + reposts + replies + 1).label("w"),
    ).where(c.compound.is_not(None), c.deleted_at.is_(None), *where)
    if dialect == "sqlite":
        # Kept a subquery: flattened into the sums, x and w are computed again for each sum
        # that uses them (a third of the statement's time).
        per_document = per_document.limit(-1)
    d = per_document.subquery()
    positive = case((d.c.x >= POSITIVE_MIN, 1), else_=0)
    negative = case((d.c.x <= NEGATIVE_MAX, 1), else_=0)
    sums = select(
        d.c.entity_id,
        d.c.voice,
        d.c.hour,
        func.count().label("n"),
        func.sum(positive),
        func.sum(negative),
        func.sum(d.c.x),
        func.sum(d.c.x * d.c.x),
        func.sum(d.c.w),
        func.sum(d.c.w * d.c.w),
        func.sum(d.c.w * d.c.x),
        func.sum(d.c.w * d.c.x * d.c.x),
        func.sum(d.c.w * positive),
        func.sum(d.c.w * negative),
    )
    return sums.group_by(d.c.entity_id, d.c.voice, d.c.hour)


def latest_document_id(session: Session) -> int:
    """The largest document id so far (0 for none): read before and after a batch's insert,
    it brackets the batch's rows for :func:`add_inserted`."""
    return session.scalar(select(func.max(Document.id))) or 0


def add_inserted(session: Session, *, source_id: int, after_id: int, upto: int) -> None:
    """Count the documents a batch just inserted for ``source_id`` into their hours: one
    aggregate run by the database instead of a sum per document here.

    The batch's rows are those of the source with ids in (``after_id``, ``upto``] (the largest
    ids before and after the insert): writers of one source are serialised (``lock_source``).
    They are found by id range alone: allowed the source's index, planners walk all of the
    source's rows (every earlier batch too) for each new batch.
    """
    dialect = session.get_bind().dialect.name
    params = {"source_id": source_id, "after_id": after_id, "upto": upto}
    # The upsert returns each hour it wrote, as it now stands: what the packed days need.
    written = session.connection().execute(_add_range_statement(dialect), params)
    merge_hours(session, written)


@functools.cache
def _add_range_statement(dialect: str) -> Executable:
    """The upsert :func:`add_inserted` runs, built once per dialect (building it each batch
    cost as much as running it on SQLite)."""
    # "+ 0": the source's own index must not be used, only the id range.
    recent = (
        Document.id > bindparam("after_id"),
        Document.id <= bindparam("upto"),
        Document.source_id + 0 == bindparam("source_id"),
    )
    columns = [*_KEY, *COLUMNS]
    statement = upsert_into(dialect, _table).from_select(columns, _sums(dialect, *recent))
    return statement.on_conflict_do_update(
        index_elements=_KEY,
        set_={name: _table.c[name] + statement.excluded[name] for name in COLUMNS},
    ).returning(*(_table.c[name] for name in columns))


def rebuild(session: Session) -> int:
    """Recompute every roll-up row (and packed day) from the documents table, near-duplicates
    left out (none are flagged unless they collapse); returns the number of hourly rows."""
    session.execute(delete(HourlyStat))
    columns = [*_KEY, *COLUMNS]
    sums = _sums(session.get_bind().dialect.name, _documents.c.is_duplicate.is_(False))
    session.execute(insert(HourlyStat).from_select(columns, sums))
    rebuild_days(session)
    return session.scalar(select(func.count()).select_from(HourlyStat)) or 0
