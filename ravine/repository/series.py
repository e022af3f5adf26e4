"""Sums behind every series, aggregated in SQL from the hourly roll-ups (never raw documents).

Each roll-up hour is labelled with its local day, week or month in the requested time zone
(DST included) and summed per label: the same integers on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ravine.models import Document, HourlyStat
from ravine.rollup import COLUMNS
from ravine.timebuckets import SQLITE_FUNCTION

VOICES = ("corporate", "public")


def _local_period(dialect: str, *, tz: str, freq: str) -> ColumnElement[str]:
    """SQL for the local period label of each roll-up hour (see :mod:`ravine.timebuckets`)."""
    if dialect == "postgresql":
        unit = {"day": "day", "week": "week", "month": "month"}[freq]
        local = func.date_trunc(unit, func.timezone(tz, HourlyStat.hour))
        return func.to_char(local, "YYYY-MM" if freq == "month" else "YYYY-MM-DD")
    return getattr(func, SQLITE_FUNCTION)(HourlyStat.hour, tz, freq)  # type: ignore[no-any-return]


def period_sums(
    session: Session,
    *,
    entity_id: int,
    tz: str,
    freq: str,
    since: datetime,
    until: datetime,
) -> list[tuple[Any, ...]]:
    """Rows of (local period label, voice, *COLUMNS) for hours in [since, until) with documents.

    ``since`` and ``until`` are the UTC bounds of the first and last period; PostgreSQL's
    time-zone rules and Python's zoneinfo agree on the labels, so both backends give the same
    integers.
    """
    label = _local_period(session.get_bind().dialect.name, tz=tz, freq=freq).label("period")
    query = (
        select(label, HourlyStat.voice, *(func.sum(getattr(HourlyStat, c)) for c in COLUMNS))
        .where(
            HourlyStat.entity_id == entity_id,
            HourlyStat.voice.in_(VOICES),  # lets the (entity, voice, hour) key serve the range
            HourlyStat.hour >= since,
            HourlyStat.hour < until,
        )
        .group_by(label, HourlyStat.voice)
    )
    return [tuple(row) for row in session.execute(query)]


def hourly_sums(
    session: Session, *, entity_id: int, voice: str, since: datetime, until: datetime
) -> list[tuple[Any, ...]]:
    """Rows of (hour, *COLUMNS) of one voice in [since, until), for reaction windows."""
    query = (
        select(HourlyStat.hour, *(getattr(HourlyStat, name) for name in COLUMNS))
        .where(
            HourlyStat.entity_id == entity_id,
            HourlyStat.voice == voice,
            HourlyStat.hour >= since,
            HourlyStat.hour < until,
        )
        .order_by(HourlyStat.hour)
    )
    return [tuple(row) for row in session.execute(query)]


def statements(
    session: Session,
    *,
    entity_id: int,
    since: datetime,
    until: datetime,
    limit: int,
    titled_only: bool = False,
) -> list[tuple[int, datetime, str | None, str]]:
    """Corporate statements in [since, until): (id, published_at, title, text), oldest first.

    ``titled_only`` keeps releases and leaves out untitled posts of official accounts."""
    query = (
        select(Document.id, Document.published_at, Document.title, Document.text)
        .where(
            Document.entity_id == entity_id,
            Document.voice == "corporate",
            Document.deleted_at.is_(None),
            Document.published_at >= since,
            Document.published_at < until,
        )
        .order_by(Document.published_at, Document.id)
        .limit(limit)
    )
    if titled_only:
        query = query.where(Document.title.is_not(None))
    return [(i, published, title, text) for i, published, title, text in session.execute(query)]
