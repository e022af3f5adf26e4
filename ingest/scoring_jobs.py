"""Scoring work units: picklable jobs that worker processes score with their one analyzer."""

from __future__ import annotations

from dataclasses import dataclass

from ravine.scoring import ScoreOutcome, ScorerConfig, get_scorer


@dataclass(frozen=True, slots=True)
class EntityTexts:
    """Texts of one entity, masked with that entity's terms: (text, given language) pairs."""

    mask_terms: tuple[str, ...]
    items: list[tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class ScoreJob:
    config: ScorerConfig
    groups: list[EntityTexts]


def run_score_job(job: ScoreJob) -> list[list[ScoreOutcome]]:
    """Score every group with this process's one analyzer; results in input order."""
    scorer = get_scorer(job.config)
    return [scorer.score_many(group.items, mask_terms=group.mask_terms) for group in job.groups]
