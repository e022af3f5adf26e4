"""Parsed rows → scoring job → scored records: the path shared by file import and the push API."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.entity_directory import EntityInfo
from ingest.files.fields import ParsedRow, document_key
from ingest.scoring_jobs import EntityTexts, ScoreJob
from ravine.records import DocumentRecord, ScoreColumns
from ravine.scoring import ScorerConfig, get_scorer

Rows = Sequence[tuple[ParsedRow, EntityInfo]]


def scoring_job(rows: Rows, *, config: ScorerConfig) -> ScoreJob:
    """The rows' texts grouped by entity (each entity masks its own names), in first-seen order."""
    groups: dict[int, EntityTexts] = {}
    for row, info in rows:
        group = groups.setdefault(info.id, EntityTexts(mask_terms=info.mask_terms, items=[]))
        group.items.append((row.text, row.lang))
    return ScoreJob(config=config, groups=list(groups.values()))


class ScorerVersions:
    """The scorer version of each entity (it hashes the entity's mask terms), computed once."""

    def __init__(self, config: ScorerConfig) -> None:
        self._scorer = get_scorer(config)
        self._known: dict[int, str] = {}

    def of(self, info: EntityInfo) -> str:
        if info.id not in self._known:
            self._known[info.id] = self._scorer.version(info.mask_terms)
        return self._known[info.id]


def scored_records(
    rows: Rows, scored: list[list[ScoreColumns]], *, voice: str, versions: ScorerVersions
) -> list[DocumentRecord]:
    """Records in row order; ``scored`` is what :func:`scoring_job` for ``rows`` gave."""
    entity_ids = dict.fromkeys(info.id for _, info in rows)
    streams = {eid: iter(group) for eid, group in zip(entity_ids, scored, strict=True)}
    records: list[DocumentRecord] = []
    append = records.append
    for row, info in rows:
        key = row.external_id or document_key(
            entity=info.slug, author=row.author, published_at=row.published_at, text=row.text
        )
        neg, neu, pos, compound, sentences, lang, reason = next(streams[info.id])
        # Positional, in DocumentRecord's field order: three times cheaper than keywords, and
        # this runs once per imported document.
        append(
            DocumentRecord(
                key, info.id, voice, row.text, row.published_at, row.author, row.url,
                row.title, lang, row.likes, row.reposts, row.replies, neg, neu, pos, compound,
                sentences, versions.of(info), reason,
            )
        )  # fmt: skip
    return records
