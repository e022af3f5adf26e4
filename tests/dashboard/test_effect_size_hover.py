"""The ravine's hover says each period's effect size, or why it has none; z-scores have none."""

from __future__ import annotations

import math

from dashboard.figures import ravine_figure
from ravine.analytics.effect_size import NO_SPREAD_REASON
from tests.dashboard.test_figures import ROWS, row, traces


def test_the_ravine_hovers_its_effect_size_or_why_there_is_none() -> None:
    flat = {**row("2025-01-06", 0.2, 0.1, (5, 5)), "effect_size": math.nan,
            "effect_size_null_reason": NO_SPREAD_REASON}  # fmt: skip
    (ravine,) = traces(ravine_figure([*ROWS, flat]), "ravine")
    # d = (corporate − public) / 0.25 in these rows; the third has no corporate value, no ravine
    assert ravine["text"] == [
        "1.60", "1.60", "", "-0.80", "-1.51",
        f"none ({NO_SPREAD_REASON})",
    ]  # fmt: skip
    assert "effect size d = %{text} (ravine / pooled sd)" in ravine["hovertemplate"]


def test_z_scores_hover_no_effect_size() -> None:
    (ravine,) = traces(ravine_figure(ROWS, baseline=True), "ravine")
    assert "text" not in ravine and "effect size" not in ravine["hovertemplate"]
