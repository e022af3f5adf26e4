"""``ravine score``: score documents never scored, or (``--rescore``) those with a stale version."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ingest.entity_directory import EntityInfo, entity_info
from ingest.scoring_jobs import MaskedTexts, ScoreJob, score_in_order
from ravine.db import session_scope
from ravine.records import ScoreFields
from ravine.repository.entities import list_entities, tracked_terms
from ravine.repository.rescoring import ScoreTarget, ScoreUpdate, apply_scores, documents_to_score
from ravine.scoring import ScorerConfig, get_scorer


@dataclass(slots=True)
class RescoreReport:
    scored: int = 0
    unscored: int = 0


def _pages(
    factory: sessionmaker[Session], info: EntityInfo, *, version: str | None, size: int
) -> Iterator[list[ScoreTarget]]:
    after = 0
    while True:
        with session_scope(factory) as session:
            page = documents_to_score(
                session, entity_id=info.id, current_version=version, after_id=after, limit=size
            )
        if not page:
            return
        yield page
        after = page[-1].id


def rescore(
    *,
    factory: sessionmaker[Session],
    config: ScorerConfig,
    stale: bool,
    workers: int,
    batch_size: int,
    on_progress: Callable[[int], None] | None = None,
) -> RescoreReport:
    """Score entity by entity, page by page; each page commits with its roll-up changes.

    Every document masks every tracked entity's terms, and the version hashes them all: after
    an entity is added or given an alias, every stored score is stale.
    """
    report = RescoreReport()
    with session_scope(factory) as session:
        entities = [entity_info(entity) for entity in list_entities(session)]
        terms = tracked_terms(session)
    version = get_scorer(config).version(terms)
    for info in entities:
        pages = _pages(factory, info, version=version if stale else None, size=batch_size)
        jobs = (
            (page, ScoreJob(config, [MaskedTexts(terms, [(t.text, t.lang) for t in page])]))
            for page in pages
        )
        for page, (scored,) in score_in_order(jobs, workers=workers):
            updates = [
                ScoreUpdate(target.id, ScoreFields.from_columns(columns, version=version))
                for target, columns in zip(page, scored, strict=True)
            ]
            report.unscored += sum(columns[3] is None for columns in scored)
            with session_scope(factory, write=True) as session:
                apply_scores(session, updates)
            report.scored += len(updates)
            if on_progress is not None:
                on_progress(len(updates))
    return report
