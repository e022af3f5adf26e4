"""Score columns reach a record in the same order and precision as ScoreFields holds them."""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import UTC, datetime

import pytest

from ravine.records import DocumentRecord, ScoreFields, score_columns, set_scores
from ravine.scoring import ScoreOutcome, Scores

OUTCOMES = [
    ScoreOutcome(Scores(neg=0.12345, neu=0.6, pos=0.27655, compound=0.440449, sentences=2),
                 lang="en", unscored_reason=None),
    ScoreOutcome(scores=None, lang="fr", unscored_reason="language 'fr' (given)"),
]  # fmt: skip


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_set_scores_fills_exactly_the_score_fields(outcome: ScoreOutcome) -> None:
    record = DocumentRecord(
        external_id="1", entity_id=1, voice="public", text="t", published_at=datetime.now(UTC)
    )
    set_scores(record, score_columns(outcome), version="v1")
    expected = ScoreFields.from_columns(score_columns(outcome), version="v1")
    assert {f.name: getattr(record, f.name) for f in fields(ScoreFields)} == {
        f.name: getattr(expected, f.name) for f in fields(ScoreFields)
    }


def test_scores_are_rounded_to_vaders_precision() -> None:
    assert astuple(ScoreFields.from_columns(score_columns(OUTCOMES[0]), version="v1"))[:5] == (
        0.123, 0.6, 0.277, 0.4404, 2
    )  # fmt: skip
