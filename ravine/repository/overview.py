"""Per-entity, per-voice document counts and date ranges, for entity listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.models import HourlyStat
from ravine.repository.totals import voice_totals


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

    Read from ``voice_totals`` (a row per entity and voice, kept by every write), so the cost
    does not grow with the number of documents. Pairs without live documents are absent.
    """
    return {
        pair: VoiceOverview(
            documents=total.documents,
            scored=total.scored,
            first=total.first_at,
            last=total.last_at,
        )
        for pair, total in voice_totals(session, entity_ids).items()
        if total.documents > 0
    }


def newest_scored_hour(session: Session, *, entity_id: int) -> datetime | None:
    """The hour of the entity's newest scored document (a cheap default end for series)."""
    return session.scalar(
        select(func.max(HourlyStat.hour)).where(
            HourlyStat.entity_id == entity_id, HourlyStat.voice.in_(("corporate", "public"))
        )
    )
