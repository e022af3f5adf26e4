"""Why a voice's sentiment is what it is in a range: its documents read again with the current
scorer, their compounds apportioned to terms, and the words that set the range apart from the
previous range of equal length or from the other voice (docs/design.md, "Metrics": Drivers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ravine.analytics.drivers import (
    Distinctive,
    TermDriver,
    apportion,
    count_features,
    log_odds,
    mean_compound,
    most_distinctive,
    term_drivers,
    top_documents,
)
from ravine.masking import masker
from ravine.repository.drivers import MAX_DOCUMENTS, DriverDocument, DriverDocuments
from ravine.repository.drivers import voice_documents as read_documents
from ravine.scoring import Scorer

Against = Literal["previous", "other-voice"]
OTHER_VOICE = {"corporate": "public", "public": "corporate"}
# A stored compound further than this from the one read now was scored by another version.
_RESCORED = 5e-5


@dataclass(frozen=True, slots=True)
class DriversQuery:
    """``since`` and ``until`` are local days in ``tz``, both included."""

    entity_id: int
    voice: str
    since: date
    until: date
    tz: str
    against: Against
    limit: int


@dataclass(frozen=True, slots=True)
class Side:
    voice: str
    since: date
    until: date
    read: int
    total: int


@dataclass(frozen=True, slots=True)
class Drivers:
    range: Side
    comparison: Side
    positive_terms: list[TermDriver]
    negative_terms: list[TermDriver]
    distinctive: list[Distinctive]
    distinctive_comparison: list[Distinctive]
    positive_documents: list[DriverDocument]
    negative_documents: list[DriverDocument]
    rescored: int  # documents whose stored compound another scorer version computed


def _instant(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


def _read(session: Session, query: DriversQuery, side: Side) -> DriverDocuments:
    return read_documents(
        session,
        entity_id=query.entity_id,
        voice=side.voice,
        since=_instant(side.since, query.tz),
        until=_instant(side.until + timedelta(days=1), query.tz),
        limit=MAX_DOCUMENTS,
    )


def _comparison(query: DriversQuery) -> Side:
    if query.against == "other-voice":
        return Side(OTHER_VOICE[query.voice], query.since, query.until, 0, 0)
    days = (query.until - query.since).days + 1
    until = query.since - timedelta(days=1)
    return Side(query.voice, until - timedelta(days=days - 1), until, 0, 0)


def drivers(
    session: Session, scorer: Scorer, query: DriversQuery, mask_terms: tuple[str, ...]
) -> Drivers:
    """Reads at most MAX_DOCUMENTS documents per side, spread evenly over it; ``mask_terms``
    are every tracked entity's, so no name counts as a word or a driver."""
    here = Side(query.voice, query.since, query.until, 0, 0)
    there = _comparison(query)
    mine, theirs = _read(session, query, here), _read(session, query, there)
    hide = masker(mask_terms)
    masked = [hide(document.text) for document in mine.documents]
    parts = [scorer.contributions(text) for text in masked]  # masked once, for both uses
    positive, negative = term_drivers([apportion(sentences) for sentences in parts], query.limit)
    found = log_odds(
        count_features(masked),
        count_features(hide(document.text) for document in theirs.documents),
    )
    toward, away = most_distinctive(found, query.limit)
    by_id = {document.id: document for document in mine.documents}
    ups, downs = top_documents([(d.id, d.compound) for d in mine.documents], query.limit)
    rescored = sum(
        abs(mean_compound(sentences) - document.compound) > _RESCORED
        for sentences, document in zip(parts, mine.documents, strict=True)
    )
    return Drivers(
        range=Side(here.voice, here.since, here.until, len(mine.documents), mine.total),
        comparison=Side(there.voice, there.since, there.until, len(theirs.documents), theirs.total),
        positive_terms=positive,
        negative_terms=negative,
        distinctive=toward,
        distinctive_comparison=away,
        positive_documents=[by_id[i] for i in ups],
        negative_documents=[by_id[i] for i in downs],
        rescored=rescored,
    )
