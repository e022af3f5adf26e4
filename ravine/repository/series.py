"""What every series is computed from: an entity's hourly roll-ups (never raw documents), and
its corporate statements for markers and reaction windows."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import BigInteger, Integer, Text, cast, func, literal, select
from sqlalchemy.orm import Session

from ravine.analytics.hours import HourColumns
from ravine.models import Document, HourlyStat
from ravine.rollup import COLUMNS

VOICES = ("corporate", "public")
EntityHours = dict[str, HourColumns]
"""An entity's roll-up hours per voice."""


def hour_columns(session: Session, *, entity_id: int) -> EntityHours:
    """Every roll-up hour of the entity, per voice, as columns (voices without hours absent).

    The database joins each column's values into one text per voice: two rows cross over
    instead of one Python row per hour, a third of the time for an entity with years of hours.
    """
    sums = [getattr(HourlyStat, c) for c in COLUMNS]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        start = cast(func.extract("epoch", HourlyStat.hour), BigInteger)
        in_order = aggregate_order_by(literal(","), HourlyStat.hour)
        joined = [func.string_agg(cast(value, Text), in_order) for value in (start, *sums)]
    else:
        start = cast(func.strftime("%s", HourlyStat.hour), Integer)
        joined = [func.group_concat(value) for value in (start, *sums)]
    query = (
        select(HourlyStat.voice, *joined)
        .where(HourlyStat.entity_id == entity_id, HourlyStat.voice.in_(VOICES))
        .group_by(HourlyStat.voice)
    )
    return {voice: _parse(texts) for voice, *texts in session.execute(query)}


def _parse(texts: list[str]) -> HourColumns:
    starts, *sums = (np.array(text.split(","), dtype=np.int64) for text in texts)
    order = np.argsort(starts, kind="stable")  # SQLite's group_concat keeps no promised order
    return HourColumns(starts[order], np.column_stack(sums)[order])


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
