"""Scoring work units: picklable jobs that worker processes score with their one analyzer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ingest.gc_tuning import bulk_collection
from ingest.pool import ordered_map
from ravine.records import ScoreColumns, score_columns
from ravine.scoring import ScorerConfig, get_scorer

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class MaskedTexts:
    """Texts masked with the same terms: (text, given language) pairs."""

    mask_terms: tuple[str, ...]
    items: list[tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class ScoreJob:
    config: ScorerConfig
    groups: list[MaskedTexts]


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


# Texts per job sent to a worker. Write batches may be larger (fewer transactions: less fixed
# cost per document); their jobs are cut to this size, so that at the end of a run every worker
# still has a share of the last batch.
JOB_TEXTS = 1000


@dataclass(frozen=True, slots=True)
class _Piece(Generic[K]):
    """Where a piece of a job belongs: the job's key, its group, and whether it ends the job."""

    key: K
    group: int
    last: bool


def _pieces(jobs: Iterable[tuple[K, ScoreJob]], size: int) -> Iterator[tuple[_Piece[K], ScoreJob]]:
    """Each job cut into jobs of at most ``size`` texts (a job with no texts stays whole)."""
    for key, job in jobs:
        cuts = [
            (index, group.mask_terms, group.items[start : start + size])
            for index, group in enumerate(job.groups)
            for start in range(0, len(group.items), size)
        ]
        for number, (index, terms, items) in enumerate(cuts, start=1):
            piece = ScoreJob(job.config, [MaskedTexts(terms, items)])
            yield _Piece(key, index, last=number == len(cuts)), piece
        if not cuts:
            yield _Piece(key, -1, last=True), job


def score_in_order(
    jobs: Iterable[tuple[K, ScoreJob]], *, workers: int, job_texts: int = JOB_TEXTS
) -> Iterator[tuple[K, list[list[ScoreColumns]]]]:
    """``(key, score columns)`` per job, in order, scored on ``workers`` processes. The
    collector is tuned for bulk work meanwhile."""
    with bulk_collection():
        groups: list[list[ScoreColumns]] = []
        pieces = _pieces(jobs, job_texts)
        for piece, scored in ordered_map(run_score_job, pieces, workers=workers):
            for columns in scored:  # one group, or none
                if piece.group == len(groups):
                    groups.append(columns)
                else:
                    groups[piece.group].extend(columns)
            if piece.last:
                yield piece.key, groups
                groups = []
