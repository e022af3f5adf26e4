"""Per-entity, per-voice document counts and date ranges, for entity listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.models import Document


@dataclass(frozen=True, slots=True)
class VoiceOverview:
    documents: int
    scored: int
    first: datetime | None
    last: datetime | None


def voice_overview(
    session: Session, *, entity_ids: list[int] | None = None
) -> dict[tuple[int, str], VoiceOverview]:
    """(entity_id, voice) → counts and first/last publication time of undeleted documents."""
    query = (
        select(
            Document.entity_id,
            Document.voice,
            func.count(),
            func.count(Document.compound),
            func.min(Document.published_at),
            func.max(Document.published_at),
        )
        .where(Document.deleted_at.is_(None))
        .group_by(Document.entity_id, Document.voice)
    )
    if entity_ids is not None:
        query = query.where(Document.entity_id.in_(entity_ids))
    return {
        (entity_id, voice): VoiceOverview(documents=n, scored=scored, first=first, last=last)
        for entity_id, voice, n, scored, first, last in session.execute(query)
    }
