"""Parsed rows → scoring job → scored records: the path shared by file import and the push API."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from ingest.entity_directory import EntityInfo
from ingest.files.fields import ParsedRow, document_key
from ingest.scoring_jobs import MaskedTexts, ScoreJob
from ravine.records import DocumentRecord, ScoreColumns
from ravine.scoring import ScorerConfig

Rows = Sequence[tuple[ParsedRow, EntityInfo]]


def scoring_job(rows: Rows, *, config: ScorerConfig, mask_terms: tuple[str, ...]) -> ScoreJob:
    """The rows' texts in order, all masked with ``mask_terms`` (every tracked entity's); no
    group at all for no rows, as the workers expect."""
    items = [(row.text, row.lang) for row, _ in rows]
    return ScoreJob(config, [MaskedTexts(mask_terms, items)] if items else [])


def scored_records(
    rows: Rows, scored: list[list[ScoreColumns]], *, voice: str, version: str
) -> list[DocumentRecord]:
    """Records in row order; ``scored`` is what :func:`scoring_job` for ``rows`` gave, and
    ``version`` the scorer's version for its mask terms."""
    columns = chain.from_iterable(scored)
    records: list[DocumentRecord] = []
    append = records.append
    for (row, info), (neg, neu, pos, compound, sentences, lang, reason) in zip(
        rows, columns, strict=True
    ):
        key = row.external_id or document_key(
            entity=info.slug, author=row.author, published_at=row.published_at, text=row.text
        )
        # Positional, in DocumentRecord's field order: three times cheaper than keywords, and
        # this runs once per imported document.
        append(
            DocumentRecord(
                key, info.id, voice, row.text, row.published_at, row.author, row.url,
                row.title, lang, row.likes, row.reposts, row.replies, neg, neu, pos, compound,
                sentences, version, reason,
            )
        )  # fmt: skip
    return records
