"""Keep ``hourly_stats`` exact: apply per-batch deltas, or rebuild it from ``documents``."""

from __future__ import annotations

import typing

from sqlalchemy import BigInteger, Table, case, cast, delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ravine.models import Document, HourlyStat
from ravine.repository.bulk import add_many, datetime_binder
from ravine.rollup import COLUMNS, NEGATIVE_MAX, POSITIVE_MIN, SCALE, RollupDelta

_table = typing.cast(Table, HourlyStat.__table__)  # a mapped class always has a Table


def apply_delta(session: Session, delta: RollupDelta) -> None:
    """Add a batch's signed sums to the stored roll-ups, then drop hours left with no documents."""
    connection = session.connection()
    bind_time = datetime_binder(connection)
    rows = [(key[0], key[1], bind_time(key[2]), *sums) for key, sums in delta.items()]
    if not rows:
        return
    add_many(
        connection,
        table="hourly_stats",
        keys={"entity_id": "integer", "voice": "text", "hour": "timestamptz"},
        columns=COLUMNS,
        rows=rows,
    )
    if any(row[3] < 0 for row in rows):  # n fell somewhere: drop hours left empty
        session.execute(delete(HourlyStat).where(HourlyStat.n <= 0))


def _hour_expression(dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        # The three-argument form truncates in UTC whatever the session's TimeZone is.
        return func.date_trunc("hour", Document.published_at, "UTC")
    return func.strftime("%Y-%m-%d %H:00:00.000000", Document.published_at)


def rebuild(session: Session) -> int:
    """Recompute every roll-up row from the documents table; returns the number of rows."""
    dialect = session.get_bind().dialect.name
    hour = _hour_expression(dialect).label("hour")
    x = cast(func.round(Document.compound * SCALE), BigInteger)  # 64-bit: x² and w·x² grow
    weight = cast(
        func.coalesce(Document.likes, 0)
        + func.coalesce(Document.reposts, 0)
        + func.coalesce(Document.replies, 0)
        + 1,
        BigInteger,
    )
    positive = case((x >= POSITIVE_MIN, 1), else_=0)
    negative = case((x <= NEGATIVE_MAX, 1), else_=0)
    sums = select(
        Document.entity_id,
        Document.voice,
        hour,
        func.count().label("n"),
        func.sum(positive),
        func.sum(negative),
        func.sum(x),
        func.sum(x * x),
        func.sum(weight),
        func.sum(weight * weight),
        func.sum(weight * x),
        func.sum(weight * x * x),
        func.sum(weight * positive),
        func.sum(weight * negative),
    ).where(Document.compound.is_not(None), Document.deleted_at.is_(None))
    sums = sums.group_by(Document.entity_id, Document.voice, hour)
    session.execute(delete(HourlyStat))
    session.execute(insert(HourlyStat).from_select(["entity_id", "voice", "hour", *COLUMNS], sums))
    return session.scalar(select(func.count()).select_from(HourlyStat)) or 0
