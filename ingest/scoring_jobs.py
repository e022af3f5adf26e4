"""Scoring work units: picklable jobs that worker processes score with their one analyzer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ingest.gc_tuning import bulk_collection
from ingest.pool import ordered_map
from ravine.language import load_model
from ravine.records import ScoreColumns, score_columns
from ravine.scoring import ScorerConfig, get_scorer

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class EntityTexts:
    """Texts of one entity, masked with that entity's terms: (text, given language) pairs."""

    mask_terms: tuple[str, ...]
    items: list[tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class ScoreJob:
    config: ScorerConfig
    groups: list[EntityTexts]


def run_score_job(job: ScoreJob) -> list[list[ScoreColumns]]:
    """Score every group with this process's one analyzer; score columns in input order."""
    scorer = get_scorer(job.config)
    return [
        [
            score_columns(outcome)
            for outcome in scorer.score_many(group.items, mask_terms=group.mask_terms)
        ]
        for group in job.groups
    ]


def score_in_order(
    jobs: Iterable[tuple[K, ScoreJob]], *, workers: int
) -> Iterator[tuple[K, list[list[ScoreColumns]]]]:
    """``(key, score columns)`` per job, in order, scored on ``workers`` processes. With
    several, the language model is loaded here first: the forked workers share it, instead of
    each spending time on its own copy. The collector is tuned for bulk work meanwhile."""
    if workers > 1:
        load_model()
    with bulk_collection():
        yield from ordered_map(run_score_job, jobs, workers=workers)
