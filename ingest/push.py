"""Documents pushed by a client: checked, masked, scored and stored exactly as a file's rows.

The API's push endpoint only turns HTTP into a :class:`PushBatch` and the :class:`PushOutcome`
back into a response; everything between is here, on the file import's path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ingest.entity_directory import EntityInfo, entity_info
from ingest.files.fields import FIELDS, FieldMap, ParsedRow, RowError, parse_row
from ingest.scored_rows import scored_records, scoring_job
from ingest.scoring_jobs import run_score_job
from ravine.db import session_scope
from ravine.errors import NotFoundError
from ravine.records import UpsertCounts
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import find_entity, tracked_terms
from ravine.repository.sources import get_or_create_source
from ravine.scoring import ScorerConfig, get_scorer

_FIELD_MAP = FieldMap(columns={name: name for name in FIELDS}, entity_column=None)


@dataclass(frozen=True, slots=True)
class PushBatch:
    """One request's documents, all for one entity and voice."""

    entity: str  # slug, name or alias
    voice: str
    documents: Sequence[dict[str, Any]]
    source: str | None = None  # default ``api:VOICE``

    @property
    def source_name(self) -> str:
        return self.source or f"api:{self.voice}"


@dataclass(slots=True)
class PushOutcome:
    """What was stored (nothing, when every document was rejected) and what was not."""

    source: str
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (index, reason)
    unscored: int = 0  # stored, but in a language VADER does not score


def store_pushed(
    factory: sessionmaker[Session],
    batch: PushBatch,
    *,
    config: ScorerConfig,
    max_text_chars: int,
) -> PushOutcome:
    """Store a pushed batch; bad documents are rejected alone, the rest land in one transaction.

    Raises ``NotFoundError`` for an unknown entity. A batch whose every document is rejected
    stores nothing, not even its source.
    """
    with session_scope(factory) as session:
        entity = find_entity(session, batch.entity)
        if entity is None:
            raise NotFoundError(f"no entity {batch.entity!r}; GET /api/v1/entities lists them")
        info = entity_info(entity)
        terms = tracked_terms(session)
    outcome = PushOutcome(source=batch.source_name)
    rows = _parse(batch.documents, info, max_text_chars=max_text_chars, rejected=outcome.rejected)
    if not rows:
        return outcome
    scored = run_score_job(scoring_job(rows, config=config, mask_terms=terms))
    version = get_scorer(config).version(terms)
    records = scored_records(rows, scored, voice=batch.voice, version=version)
    with session_scope(factory, write=True) as session:
        source = get_or_create_source(session, name=outcome.source, kind="api", voice=batch.voice)
        outcome.counts = upsert_documents(session, source_id=source.id, records=records)
    outcome.unscored = sum(record.compound is None for record in records)
    return outcome


def _parse(
    documents: Sequence[dict[str, Any]],
    info: EntityInfo,
    *,
    max_text_chars: int,
    rejected: list[tuple[int, str]],
) -> list[tuple[ParsedRow, EntityInfo]]:
    rows = []
    for index, item in enumerate(documents):
        try:
            row = parse_row(item, _FIELD_MAP, default_tz=UTC, max_text_chars=max_text_chars)
        except RowError as exc:
            rejected.append((index, str(exc)))
            continue
        rows.append((row, info))
    return rows
