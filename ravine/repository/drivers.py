"""The documents a drivers answer reads: a voice's range, or an even spread over it, text
included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ravine.models import Document
from ravine.repository.counted import counted_in

MAX_DOCUMENTS = 2_000
"""Documents read per side of a drivers answer: each is scored again, so the cost grows with
them (about 0.1 ms a document). A range holding more is read as an even spread over it in time
(every k-th document), and the answer says how many the range holds."""


@dataclass(frozen=True, slots=True)
class DriverDocument:
    id: int
    published_at: datetime
    title: str | None
    text: str
    url: str | None
    compound: float


@dataclass(frozen=True, slots=True)
class DriverDocuments:
    """The documents read, oldest first, and how many the range counts in all."""

    documents: list[DriverDocument]
    total: int


def voice_documents(
    session: Session,
    *,
    entity_id: int,
    voice: str,
    since: datetime,
    until: datetime,
    limit: int = MAX_DOCUMENTS,
) -> DriverDocuments:
    """The counted documents (scored, live, no near-duplicate) of the voice published in
    [since, until); of a range holding more than ``limit``, every k-th in time, so that a
    quarter is not read as its last week. The ids come from the (entity, voice,
    published_at) index, then the chosen rows."""
    c = Document.__table__.c
    ids = session.scalars(
        select(c.id)
        .where(*counted_in(entity_id=entity_id, voice=voice, since=since, until=until))
        .order_by(c.published_at, c.id)
    ).all()
    step = len(ids) / limit
    chosen = ids if step <= 1 else [ids[int(i * step)] for i in range(limit)]
    rows = session.execute(
        select(c.id, c.published_at, c.title, c.text, c.url, c.compound)
        .where(c.id.in_(chosen))
        .order_by(c.published_at, c.id)
    ).all()
    return DriverDocuments([DriverDocument(*row) for row in rows], len(ids))
