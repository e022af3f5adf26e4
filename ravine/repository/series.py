"""What every series is computed from: an entity's hourly roll-ups (never raw documents), and
its corporate statements for markers and reaction windows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from operator import itemgetter

import numpy as np
from sqlalchemy import func, select
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


def statements(
    session: Session,
    *,
    entity_id: int,
    since: datetime,
    until: datetime,
    limit: int,
    text_chars: int,
) -> list[tuple[int, datetime, str | None, str]]:
    """Corporate statements in [since, until): (id, published_at, title, the first
    ``text_chars`` characters of the text), oldest first: enough to name an untitled one
    without reading every statement's whole text."""
    head = func.substr(Document.text, 1, text_chars)
    query = (
        select(Document.id, Document.published_at, Document.title, head)
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
    return [(i, published, title, text) for i, published, title, text in session.execute(query)]
