"""The plain records that importers and connectors hand to the repository."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ravine.scoring import ScoreOutcome


def content_hash(*, title: str | None, text: str, url: str | None) -> str:
    """Fingerprint of what a document says; a change means the document was edited."""
    payload = "\x1f".join((title or "", text, url or ""))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class DocumentRecord:
    """One document ready to store: normalised, scored (or with the reason it is not)."""

    external_id: str
    entity_id: int
    voice: str
    text: str
    published_at: datetime
    author: str | None = None
    url: str | None = None
    title: str | None = None
    lang: str | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    neg: float | None = None
    neu: float | None = None
    pos: float | None = None
    compound: float | None = None
    sentences: int | None = None
    scorer_version: str | None = None
    unscored_reason: str | None = None
    raw: dict[str, Any] | None = None  # the source's own record, when the source keeps it


@dataclass(slots=True)
class UpsertCounts:
    """What a batch upsert did; ``unchanged`` rows were already stored exactly as given."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


# neg, neu, pos, compound, sentences, lang, unscored_reason: what a scoring worker sends back
# per document, as a plain tuple (it pickles several times faster than the objects it is
# made from, and the importer needs nothing more).
ScoreColumns = tuple[
    float | None, float | None, float | None, float | None, int | None, str | None, str | None
]


def score_columns(outcome: ScoreOutcome) -> ScoreColumns:
    """The score columns at VADER's precision (compound 4 decimals, the others 3)."""
    scores = outcome.scores
    if scores is None:
        return None, None, None, None, None, outcome.lang, outcome.unscored_reason
    return (
        round(scores.neg, 3),
        round(scores.neu, 3),
        round(scores.pos, 3),
        round(scores.compound, 4),
        scores.sentences,
        outcome.lang,
        None,
    )


def set_scores(record: DocumentRecord, columns: ScoreColumns, *, version: str) -> None:
    (
        record.neg,
        record.neu,
        record.pos,
        record.compound,
        record.sentences,
        record.lang,
        record.unscored_reason,
    ) = columns
    record.scorer_version = version


@dataclass(frozen=True, slots=True)
class ScoreFields:
    """The score columns of a document, as stored."""

    neg: float | None
    neu: float | None
    pos: float | None
    compound: float | None
    sentences: int | None
    lang: str | None
    scorer_version: str
    unscored_reason: str | None

    @classmethod
    def from_columns(cls, columns: ScoreColumns, *, version: str) -> ScoreFields:
        neg, neu, pos, compound, sentences, lang, reason = columns
        return cls(neg, neu, pos, compound, sentences, lang, version, reason)
