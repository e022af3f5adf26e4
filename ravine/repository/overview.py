"""Per-entity, per-voice document counts and date ranges, for entity listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.models import Document, HourlyStat


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

    Counts and dates come from the (entity, voice, published_at) index alone; the scored
    counts from the roll-ups, so a million documents cost an index scan, not a table scan.
    """
    documents = (
        select(
            Document.entity_id,
            Document.voice,
            func.count(),
            func.min(Document.published_at),
            func.max(Document.published_at),
        )
        .where(Document.deleted_at.is_(None))
        .group_by(Document.entity_id, Document.voice)
    )
    scored = select(HourlyStat.entity_id, HourlyStat.voice, func.sum(HourlyStat.n)).group_by(
        HourlyStat.entity_id, HourlyStat.voice
    )
    if entity_ids is not None:
        documents = documents.where(Document.entity_id.in_(entity_ids))
        scored = scored.where(HourlyStat.entity_id.in_(entity_ids))
    counts = {(e, v): int(n or 0) for e, v, n in session.execute(scored)}
    return {
        (entity_id, voice): VoiceOverview(
            documents=n, scored=counts.get((entity_id, voice), 0), first=first, last=last
        )
        for entity_id, voice, n, first, last in session.execute(documents)
    }


def newest_scored_hour(session: Session, *, entity_id: int) -> datetime | None:
    """The hour of the entity's newest scored document (a cheap default end for series)."""
    return session.scalar(
        select(func.max(HourlyStat.hour)).where(
            HourlyStat.entity_id == entity_id, HourlyStat.voice.in_(("corporate", "public"))
        )
    )
