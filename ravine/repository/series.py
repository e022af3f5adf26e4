"""What every series is computed from: an entity's hourly roll-ups (never raw documents), and
its corporate statements for markers and reaction windows, with the public documents of the
hours those windows only partly cover."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from operator import itemgetter

import numpy as np
from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from ravine.analytics.hours import HourColumns
from ravine.models import Document, RollupDay
from ravine.repository.bulk import binary_rows
from ravine.repository.rollup_days import RECORD
from ravine.rollup import COLUMNS

EntityHours = dict[str, HourColumns]
"""An entity's roll-up hours per voice."""


PACKED = np.dtype([("hour", "u1"), ("sums", "<i8", (len(COLUMNS),))])
assert PACKED.itemsize == RECORD.size  # the layout ravine.repository.rollup_days writes
_EPOCH = date(1970, 1, 1)
_HOUR = timedelta(hours=1)


def hour_columns(session: Session, *, entity_id: int) -> EntityHours:
    """Every roll-up hour of the entity, per voice, as columns (voices without hours absent):
    read from the packed days (:mod:`ravine.repository.rollup_days`), a row per day."""
    query = select(RollupDay.voice, RollupDay.day, RollupDay.hours).where(
        RollupDay.entity_id == entity_id
    )  # sorted here: PostgreSQL would sort the wide rows (a few MB) to follow an ORDER BY
    found: defaultdict[str, tuple[list[date], list[bytes]]] = defaultdict(lambda: ([], []))
    for voice, day, blob in sorted(binary_rows(session, query), key=itemgetter(0, 1)):
        found[voice][0].append(day)
        found[voice][1].append(blob)
    return {voice: unpack(days, blobs) for voice, (days, blobs) in found.items()}


def unpack(days: list[date], blobs: list[bytes]) -> HourColumns:
    """One voice's packed days (ascending) as hour columns."""
    if not blobs:
        return HourColumns.empty()
    records = np.frombuffer(b"".join(blobs), dtype=PACKED)
    counts = np.array([len(blob) // PACKED.itemsize for blob in blobs])
    day_starts = np.array([(day - _EPOCH).days * 86_400 for day in days], dtype=np.int64)
    starts = np.repeat(day_starts, counts) + records["hour"].astype(np.int64) * 3600
    return HourColumns(starts, np.ascontiguousarray(records["sums"]))


def _statement_conditions(
    entity_id: int, since: datetime, until: datetime
) -> tuple[ColumnElement[bool], ...]:
    return (
        Document.entity_id == entity_id,
        Document.voice == "corporate",
        Document.deleted_at.is_(None),
        Document.published_at >= since,
        Document.published_at < until,
    )


def statements(
    session: Session,
    *,
    entity_id: int,
    since: datetime,
    until: datetime,
    limit: int,
    text_chars: int,
    after: tuple[datetime, int] | None = None,
) -> list[tuple[int, datetime, str | None, str]]:
    """Corporate statements in [since, until): (id, published_at, title, the first
    ``text_chars`` characters of the text), oldest first: enough to name an untitled one
    without reading every statement's whole text. ``after`` (a statement's published_at and
    id) starts past it, so pages keyed on it never skip or repeat a statement."""
    head = func.substr(Document.text, 1, text_chars)
    where = list(_statement_conditions(entity_id, since, until))
    if after is not None:
        where.append(tuple_(Document.published_at, Document.id) > after)
    query = (
        select(Document.id, Document.published_at, Document.title, head)
        .where(*where)
        .order_by(Document.published_at, Document.id)
        .limit(limit)
    )
    return [(i, published, title, text) for i, published, title, text in session.execute(query)]


def count_statements(session: Session, *, entity_id: int, since: datetime, until: datetime) -> int:
    """How many corporate statements [since, until) holds: what a page of them is out of."""
    query = select(func.count()).where(*_statement_conditions(entity_id, since, until))
    return session.scalar(query) or 0


ScoredRow = tuple[str, datetime, float, int | None, int | None, int | None]
"""(voice, published_at, compound, likes, reposts, replies): what a roll-up is summed from."""


def scores_in(
    session: Session,
    *,
    entity_id: int,
    hours: Sequence[datetime],
    voices: Sequence[str] = ("public",),
) -> list[ScoredRow]:
    """The counted documents (scored, live, no near-duplicate) of ``voices`` published in
    these hours (each [h, h + 1 h)).

    Hours a reaction side or a period only partly covers (a statement's own hour; the hour a
    half-hour zone's midnight cuts) are read document by document, so each ends at its exact
    instant. Consecutive hours are read as one range, and up to :data:`RANGES_PER_QUERY`
    ranges in one query.
    """
    ranges: list[list[datetime]] = []
    for hour in sorted(set(hours)):
        if ranges and ranges[-1][1] == hour:
            ranges[-1][1] = hour + _HOUR
        else:
            ranges.append([hour, hour + _HOUR])
    if not ranges:
        return []
    # Each range repeats the entity and voice, so each is a search of the index on (entity,
    # voice, published_at): with them outside the OR, SQLite read every post of the entity
    # (1.7 s for 500 statements at 1M documents).
    columns = Document.__table__.c  # table columns: quicker to build hundreds of terms from
    entity, voice, at = (
        columns.entity_id == entity_id,
        columns.voice.in_(voices) if len(voices) > 1 else columns.voice == voices[0],
        columns.published_at,
    )
    found: list[ScoredRow] = []
    for first in range(0, len(ranges), RANGES_PER_QUERY):
        chunk = ranges[first : first + RANGES_PER_QUERY]
        query = select(
            Document.voice, Document.published_at, Document.compound, Document.likes,
            Document.reposts, Document.replies,
        ).where(
            or_(*(and_(entity, voice, at >= lo, at < hi) for lo, hi in chunk)),
            Document.compound.is_not(None),
            Document.deleted_at.is_(None),
            Document.is_duplicate.is_(False),
        )  # fmt: skip
        found.extend(
            (voice, at, x, likes, reposts, replies)
            for voice, at, x, likes, reposts, replies in session.execute(query)
            if x is not None
        )
    return found


RANGES_PER_QUERY = 200
"""SQLite parses a chain of ORs as a tree as deep as the chain and refuses one deeper than
1,000: a page of 500 statements has up to 1,500 partly covered hours, three years of
Asia/Kolkata's days 1,100."""
