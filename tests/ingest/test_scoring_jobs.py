"""Jobs cut into pieces for the workers come back whole, in order, with the same scores."""

from __future__ import annotations

import pytest

from ingest.scoring_jobs import MaskedTexts, ScoreJob, run_score_job, score_in_order
from ravine.scoring import ScorerConfig

CONFIG = ScorerConfig()
TEXTS = [
    "great service, thank you!",
    "the flight was delayed again :(",
    "Northwind lost my bag",
    "meh",
    "not bad at all",
    "worst airline ever",
    "le vol était en retard",
]


def job(*sizes: int) -> ScoreJob:
    groups = [
        MaskedTexts(
            (f"entity{index}",), [(TEXTS[(index + i) % len(TEXTS)], None) for i in range(n)]
        )
        for index, n in enumerate(sizes)
    ]
    return ScoreJob(CONFIG, groups)


JOBS = [job(7, 2), job(), job(3), job(1, 1, 5), job(4)]


@pytest.mark.parametrize("workers", [1, 2])
def test_pieces_are_put_back_together_in_order(workers: int) -> None:
    keyed = list(enumerate(JOBS))
    results = list(score_in_order(keyed, workers=workers, job_texts=3))
    assert [key for key, _ in results] == list(range(len(JOBS)))
    assert [scored for _, scored in results] == [run_score_job(j) for j in JOBS]
    assert [len(group) for group in results[0][1]] == [7, 2]
