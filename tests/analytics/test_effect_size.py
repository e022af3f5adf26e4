"""The ravine as an effect size by hand: d = ravine / √((sd_c² + sd_p²) / 2), null with the
ravine's reasons or because neither voice spreads, and never for baseline z-scores."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from ravine.analytics import (
    Periods,
    SeriesOptions,
    baseline_series,
    make_periods,
    ravine_series,
)
from ravine.analytics.baseline import EFFECT_SIZE_REASON
from ravine.analytics.effect_size import NO_SPREAD_REASON
from tests.analytics.builders import near, sums_frame

CORPORATE = [0.5, 0.1, -0.2, 0.3, 0.8]  # mean 0.3, sd² = 0.58 / 4
PUBLIC = [0.1, -0.3, 0.2, 0.0, -0.5, 0.05]  # mean −0.075, sd² = 0.35875 / 5


def days(count: int) -> Periods:
    return make_periods(since=date(2025, 3, 1), until=date(2025, 3, count), freq="day", tz="UTC")


def test_effect_size_is_the_ravine_over_the_voices_pooled_sd() -> None:
    sums = sums_frame({(0, "corporate"): CORPORATE, (0, "public"): PUBLIC})
    row = ravine_series(sums, days(1), options=SeriesOptions()).iloc[0]
    pooled = math.sqrt((0.58 / 4 + 0.35875 / 5) / 2)
    assert row["effect_size"] == near(0.375 / pooled)
    assert row["effect_size_null_reason"] is None


def test_effect_size_follows_the_ravine_for_a_gloomier_metric() -> None:
    # Negative share: 1 of 5 corporate documents negative, 2 of 6 public ones; the ravine is
    # public − corporate = 1/3 − 1/5 (the company rosier), over the pooled sd of the 0/1s.
    sums = sums_frame({(0, "corporate"): CORPORATE, (0, "public"): PUBLIC})
    row = ravine_series(sums, days(1), options=SeriesOptions(metric="negative_share")).iloc[0]
    corporate_var, public_var = 1 / 5 * 4 / 5 * 5 / 4, 1 / 3 * 2 / 3 * 6 / 5
    assert row["ravine"] == near(2 / 15)
    assert row["effect_size"] == near(2 / 15 / math.sqrt((corporate_var + public_var) / 2))


def test_effect_size_is_null_with_the_ravines_reason_or_when_nothing_spreads() -> None:
    sums = sums_frame(
        {
            (0, "corporate"): [0.2],  # one document: a ravine, but no sd
            (0, "public"): PUBLIC,
            (1, "public"): PUBLIC,  # no corporate documents: no ravine
            (2, "corporate"): [0.2] * 5,  # neither voice spreads
            (2, "public"): [-0.1] * 5,
            (3, "corporate"): [0.2] * 5,  # one voice without spread still gives a d
            (3, "public"): PUBLIC,
        }
    )
    frame = ravine_series(sums, days(4), options=SeriesOptions(min_n=1))
    assert np.isnan(frame["effect_size"][:3]).all()
    assert frame["effect_size_null_reason"][:3].tolist() == [
        "corporate: only 1 document: no standard deviation or CI",
        "corporate: no documents",
        NO_SPREAD_REASON,
    ]
    assert frame["ravine"][2] == near(0.3)  # the ravine itself stands
    assert frame["effect_size"][3] == near((0.2 + 0.075) / math.sqrt(0.35875 / 5 / 2))
    assert frame["effect_size_null_reason"][3] is None


def test_baseline_z_scores_have_no_effect_size() -> None:
    sums = sums_frame({(p, v): CORPORATE for p in range(4) for v in ("corporate", "public")})
    frame = baseline_series(sums, days(4), options=SeriesOptions(), baseline_days=2)
    assert frame["effect_size"].isna().all()
    assert frame["ravine"][1:].tolist() == [0.0] * 3  # z-scores, but no d for them
    assert frame["effect_size_null_reason"].tolist() == [
        "corporate: baseline: no documents; public: baseline: no documents",
        *[EFFECT_SIZE_REASON] * 3,
    ]
