"""Per-entity, per-voice document counts and date ranges, for entity listings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, func, literal, select, true, union_all
from sqlalchemy.orm import Session

from ravine.models import Document, Entity, HourlyStat, Voice


@dataclass(frozen=True, slots=True)
class VoiceOverview:
    documents: int
    scored: int
    first: datetime | None
    last: datetime | None


def voice_overview(
    session: Session, *, entity_ids: list[int] | None = None
) -> dict[tuple[int, str], VoiceOverview]:
    """(entity_id, voice) → counts and first/last publication time of undeleted documents.

    Nothing here reads every document through the index, which costs a table lookup per
    document: first and last are two index seeks per voice, scored counts come from the
    roll-ups, and unscored documents (non-English ones, usually few) are found in a single
    sequential read, since no index holds them.
    """
    voices = union_all(*(select(literal(v.value).label("voice")) for v in Voice)).subquery()
    pairs = select(
        Entity.id,
        voices.c.voice,
        _edge(voices.c.voice, last=False),
        _edge(voices.c.voice, last=True),
    ).join(voices, true())  # every entity with each voice
    scored = select(HourlyStat.entity_id, HourlyStat.voice, func.sum(HourlyStat.n)).group_by(
        HourlyStat.entity_id, HourlyStat.voice
    )
    unscored = select(Document.entity_id, Document.voice).where(
        Document.compound.is_(None), Document.deleted_at.is_(None)
    )
    if entity_ids is not None:
        pairs = pairs.where(Entity.id.in_(entity_ids))
        scored = scored.where(HourlyStat.entity_id.in_(entity_ids))
        unscored = unscored.where(Document.entity_id.in_(entity_ids))
    counts = {(e, v): int(n or 0) for e, v, n in session.execute(scored)}
    others = Counter((e, v) for e, v in session.execute(unscored))
    return {
        (entity_id, voice): VoiceOverview(
            documents=counts.get((entity_id, voice), 0) + others[entity_id, voice],
            scored=counts.get((entity_id, voice), 0),
            first=first,
            last=last,
        )
        for entity_id, voice, first, last in session.execute(pairs)
        if first is not None
    }


def _edge(voice: ColumnElement[str], *, last: bool) -> ScalarSelect[datetime]:
    """An entity's first (or last) publication time of a voice's undeleted documents: a seek,
    as the index is walked in order only until an undeleted document turns up."""
    order = Document.published_at.desc() if last else Document.published_at.asc()
    return (
        select(Document.published_at)
        .where(
            Document.entity_id == Entity.id,
            Document.voice == voice,
            Document.deleted_at.is_(None),
        )
        .order_by(order)
        .limit(1)
        .scalar_subquery()
    )


def newest_scored_hour(session: Session, *, entity_id: int) -> datetime | None:
    """The hour of the entity's newest scored document (a cheap default end for series)."""
    return session.scalar(
        select(func.max(HourlyStat.hour)).where(
            HourlyStat.entity_id == entity_id, HourlyStat.voice.in_(("corporate", "public"))
        )
    )
