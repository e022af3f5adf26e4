"""Hand-computed summaries: mean ravine, the 30-day trend and the mean effect size with their
Newey–West CIs (see test_hac), the widest periods labelled as descriptive."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ravine.analytics import AnalyticsError, SeriesOptions, make_periods, ravine_series, summarise
from ravine.analytics.hac import mean_fit, slope_fit
from tests.analytics.builders import near, sums_frame

RAVINE = [0.1, 0.3, math.nan, 0.2, -0.4]


def series(values: list[float]) -> pd.DataFrame:
    """A ravine_series-shaped frame with daily UTC starts from 2025-03-01."""
    count = len(values)
    return pd.DataFrame(
        {
            "label": [f"2025-03-{d:02d}" for d in range(1, count + 1)],
            "start": pd.date_range("2025-03-01", periods=count, freq="D", tz="UTC"),
            "ravine": values,
            "ravine_ci_low": [v - 0.1 for v in values],
            "ravine_ci_high": [v + 0.1 for v in values],
            "effect_size": [2 * v for v in values],
        }
    )


def with_ci(value: float, se: float, df: float, lag: int) -> dict[str, object]:
    """An estimate as the summary writes it: value ± t(df) · se, and the p of value = 0."""
    half = stats.t.ppf(0.975, df) * se
    return {
        "value": near(value), "ci_low": near(value - half), "ci_high": near(value + half),
        "null_reason": None, "method": "newey_west", "lag": lag, "df": near(df),
        "p_value": near(2 * stats.t.sf(abs(value) / se, df)),
    }  # fmt: skip


def null(reason: str) -> dict[str, object]:
    return {
        "value": None, "ci_low": None, "ci_high": None, "null_reason": reason,
        "method": "newey_west", "lag": None, "df": None, "p_value": None,
    }  # fmt: skip


def test_mean_ravine_and_effect_size_with_newey_west_cis_over_periods_with_a_value() -> None:
    summary = summarise(series(RAVINE))
    assert summary["periods"] == 4
    # Days 0, 1, 3 and 4 have a ravine: see test_hac's hand computation of this mean.
    at = np.array([0, 1, 3, 4])
    fit = mean_fit(np.array([0.1, 0.3, 0.2, -0.4]), at)
    assert summary["mean_ravine"] == with_ci(0.05, fit.se, fit.df, lag=2)
    assert summary["mean_effect_size"] == with_ci(0.1, 2 * fit.se, fit.df, lag=2)


def test_trend_per_30_days_is_the_ols_slope_with_a_newey_west_ci() -> None:
    summary = summarise(series(RAVINE))
    # x = 0, 1, 3, 4 days: x̄ = 2, Sxx = 10, Sxy = −1.1, slope −0.11 per day.
    at = np.array([0, 1, 3, 4])
    fit = slope_fit(at.astype(float), np.array([0.1, 0.3, 0.2, -0.4]), at)
    assert fit.value == near(-0.11)
    assert summary["trend_per_30_days"] == with_ci(-3.3, 30 * fit.se, fit.df, lag=2)


def test_widest_periods_by_absolute_ravine_earliest_first_on_ties() -> None:
    summary = summarise(series([0.2, -0.3, 0.3, math.nan, 0.1]), widest=3)
    assert summary["widest"] == [
        {"label": "2025-03-02", "ravine": near(-0.3), "ci_low": near(-0.4), "ci_high": near(-0.2),
         "effect_size": near(-0.6)},
        {"label": "2025-03-03", "ravine": near(0.3), "ci_low": near(0.2), "ci_high": near(0.4),
         "effect_size": near(0.6)},
        {"label": "2025-03-01", "ravine": near(0.2), "ci_low": near(0.1), "ci_high": near(0.3),
         "effect_size": near(0.4)},
    ]  # fmt: skip
    assert summary["widest_note"] == (
        "Descriptive: the 3 largest |ravine| of 4 periods. Picked for being largest, they "
        "overstate their periods' ravines, and their CIs (each period's own 95% Welch CI) are "
        "not adjusted for the picking."
    )
    assert summarise(series(RAVINE), widest=0)["widest"] == []


def test_too_few_periods_give_nulls_with_reasons() -> None:
    empty = summarise(series([math.nan, math.nan]))
    assert empty["periods"] == 0
    assert empty["mean_ravine"] == null("no period has a ravine")
    assert empty["mean_effect_size"] == null("no period has an effect size")
    assert empty["widest"] == []
    one = summarise(series([0.2, math.nan]))
    assert one["mean_ravine"] == {**null("only 1 period with a ravine: no CI"), "value": near(0.2)}
    two = summarise(series([0.2, 0.4]))
    assert two["trend_per_30_days"] == null("fewer than 3 periods with a ravine (2): no trend")


def test_summary_of_a_real_ravine_series() -> None:
    periods = make_periods(since=date(2025, 3, 1), until=date(2025, 3, 3), freq="day", tz="UTC")
    sums = sums_frame(
        {
            (0, "corporate"): [0.5, 0.5, 0.3],
            (0, "public"): [0.1, 0.1, -0.1],
            (2, "corporate"): [0.2, 0.4, 0.3],
            (2, "public"): [-0.2, -0.2, -0.5],
        }
    )
    frame = ravine_series(sums, periods, options=SeriesOptions(min_n=3))
    summary = summarise(frame, widest=1)
    assert summary["periods"] == 2
    # Day 1: 1.3 / 3 − 0.1 / 3 = 0.4; day 3: 0.3 − (−0.3) = 0.6.
    mean = summary["mean_ravine"]
    assert isinstance(mean, dict)
    assert mean["value"] == near(0.5)
    assert summary["widest"] == [
        {
            "label": "2025-03-03",
            "ravine": near(0.6),
            "ci_low": near(frame["ravine_ci_low"][2]),
            "ci_high": near(frame["ravine_ci_high"][2]),
            "effect_size": near(frame["effect_size"][2]),
        }
    ]
    # Two periods leave no autocorrelation to allow for: Student's CI on 1 df, sd 0.1 · √2.
    half = stats.t.ppf(0.975, 1) * 0.1
    assert (mean["ci_low"], mean["ci_high"], mean["df"]) == (
        near(0.5 - half), near(0.5 + half), near(1.0)
    )  # fmt: skip


def test_negative_widest_is_an_error() -> None:
    with pytest.raises(AnalyticsError, match="widest is -1"):
        summarise(series(RAVINE), widest=-1)
