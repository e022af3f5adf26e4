"""Hand-computed baseline z-scores: trailing windows, smoothing lag, nulls and their reasons."""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy import stats

from ravine.analytics import (
    AnalyticsError,
    Freq,
    Periods,
    SeriesOptions,
    baseline_series,
    make_periods,
)
from ravine.analytics.baseline import EFFECT_SIZE_REASON, RAVINE_CI_REASON
from tests.analytics.builders import near, sums_frame

PUBLIC = {0: [0.1, 0.3], 1: [0.2, 0.4, 0.0], 2: [0.5, 0.6]}
CORPORATE = {0: [0.0, 0.2], 1: [0.4, 0.6], 2: [0.3, 0.3]}


def periods(freq: Freq, until: date) -> Periods:
    return make_periods(since=date(2025, 1, 6), until=until, freq=freq, tz="UTC")


def cells() -> dict[tuple[int, str], list[float]]:
    return {
        **{(p, "public"): docs for p, docs in PUBLIC.items()},
        **{(p, "corporate"): docs for p, docs in CORPORATE.items()},
    }


def test_z_scores_against_the_two_days_before() -> None:
    frame = baseline_series(
        sums_frame(cells()),
        periods("day", date(2025, 1, 8)),
        options=SeriesOptions(min_n=2),
        baseline_days=2,
    )
    # Public, day 2: baseline = days 0 and 1 = [.1, .3, .2, .4, 0]: mean .2, Σ(y − ȳ)² = .1.
    base_sd = math.sqrt(0.1 / 4)
    assert frame["public_value"][2] == near((0.55 - 0.2) / base_sd)
    assert frame["public_sd"][2] == near(math.sqrt(0.005) / base_sd)
    half = stats.t.ppf(0.975, 1) * math.sqrt(0.005 / 2)
    assert frame["public_ci_low"][2] == near((0.55 - half - 0.2) / base_sd)
    assert frame["public_ci_high"][2] == near((0.55 + half - 0.2) / base_sd)
    # Public, day 1: baseline = day 0 = [.1, .3], mean .2: the day's mean .2 gives z = 0.
    assert frame["public_value"][1] == near(0.0)
    # Corporate, day 1: baseline [0, .2], mean .1, sd √.02; day mean .5.
    assert frame["corporate_value"][1] == near(0.4 / math.sqrt(0.02))
    # Corporate, day 2: baseline [0, .2, .4, .6], mean .3; the day's mean .3.
    assert frame["corporate_value"][2] == near(0.0)
    assert frame["ravine"][1] == near(0.4 / math.sqrt(0.02))
    assert frame["ravine"][2] == near(-(0.35 / base_sd))
    assert frame["public_n"].tolist() == [2, 3, 2]


def test_ravine_ci_is_null_with_the_documented_reason() -> None:
    frame = baseline_series(
        sums_frame(cells()),
        periods("day", date(2025, 1, 8)),
        options=SeriesOptions(min_n=2),
        baseline_days=2,
    )
    assert frame["ravine_ci_low"].isna().all() and frame["ravine_ci_high"].isna().all()
    assert frame["ravine_null_reason"].tolist() == [
        "corporate: baseline: no documents; public: baseline: no documents",
        RAVINE_CI_REASON,
        RAVINE_CI_REASON,
    ]
    assert frame.columns.tolist()[-6:] == [
        "ravine", "ravine_ci_low", "ravine_ci_high", "ravine_null_reason", "effect_size",
        "effect_size_null_reason",
    ]  # fmt: skip
    assert frame["effect_size"].isna().all()
    assert frame["effect_size_null_reason"].tolist() == [
        "corporate: baseline: no documents; public: baseline: no documents",
        EFFECT_SIZE_REASON,
        EFFECT_SIZE_REASON,
    ]


def test_baseline_with_too_few_documents_or_no_spread_is_null() -> None:
    sums = sums_frame({(0, "corporate"): [0.3, 0.3], (1, "corporate"): [0.5, 0.5], **{
        (p, "public"): d for p, d in PUBLIC.items()
    }})  # fmt: skip
    frame = baseline_series(
        sums, periods("day", date(2025, 1, 8)), options=SeriesOptions(min_n=3), baseline_days=1
    )
    assert frame["public_null_reason"].tolist() == [
        "fewer than 3 documents (2)",
        "baseline: fewer than 3 documents (2)",
        "fewer than 3 documents (2)",
    ]
    frame = baseline_series(
        sums, periods("day", date(2025, 1, 8)), options=SeriesOptions(min_n=2), baseline_days=1
    )
    assert math.isnan(frame["corporate_value"][1])
    assert frame["corporate_null_reason"][1] == "baseline: sd is 0 (all 2 documents score the same)"
    assert frame["ravine_null_reason"][1] == (
        "corporate: baseline: sd is 0 (all 2 documents score the same)"
    )


def test_weekly_baseline_is_ceil_of_days_over_seven_periods() -> None:
    # baseline_days=8 → 2 weeks: week 3's baseline is weeks 1 and 2, never week 0.
    sums = sums_frame(
        {(0, "public"): [0.9, 0.9, 0.8], (1, "public"): [0.1, 0.3], (2, "public"): [0.2, 0.2],
         (3, "public"): [0.4, 0.6]}
    )  # fmt: skip
    frame = baseline_series(
        sums, periods("week", date(2025, 1, 27)), options=SeriesOptions(min_n=2), baseline_days=8
    )
    sd = math.sqrt((0.01 + 0.01 + 0 + 0) / 3)  # [.1, .3, .2, .2]: mean .2
    assert frame["public_value"][3] == near((0.5 - 0.2) / sd)


def test_monthly_baseline_is_ceil_of_days_over_thirty_periods() -> None:
    # baseline_days=31 → 2 months.
    sums = sums_frame(
        {(0, "public"): [0.9, 0.7], (1, "public"): [0.1, 0.3], (2, "public"): [0.0, 0.2],
         (3, "public"): [0.5, 0.5]}
    )  # fmt: skip
    frame = baseline_series(
        sums, periods("month", date(2025, 4, 1)), options=SeriesOptions(min_n=2), baseline_days=31
    )
    sd = math.sqrt((0.0025 * 2 + 0.0225 * 2) / 3)  # [.1, .3, 0, .2]: mean .15
    assert frame["public_value"][3] == near((0.5 - 0.15) / sd)


def test_smoothed_value_is_compared_with_the_window_before_its_documents() -> None:
    # smooth=2, baseline_days=1: day 2's value pools days 1–2 and its baseline is day 0 alone.
    frame = baseline_series(
        sums_frame(cells()),
        periods("day", date(2025, 1, 8)),
        options=SeriesOptions(min_n=2, smooth=2),
        baseline_days=1,
    )
    pooled = PUBLIC[1] + PUBLIC[2]
    assert sum(pooled) / len(pooled) == near(0.34)
    assert frame["public_n"][2] == 5
    assert frame["public_value"][2] == near((0.34 - 0.2) / math.sqrt(0.02))
    assert frame["public_null_reason"][1] == "baseline: no documents"


def test_baseline_days_must_be_positive() -> None:
    with pytest.raises(AnalyticsError, match="baseline_days is 0"):
        baseline_series(
            sums_frame({}),
            periods("day", date(2025, 1, 7)),
            options=SeriesOptions(),
            baseline_days=0,
        )
