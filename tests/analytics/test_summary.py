"""Hand-computed summaries: mean ravine with its t CI, the 30-day trend, the widest periods."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from scipy import stats

from ravine.analytics import AnalyticsError, SeriesOptions, make_periods, ravine_series, summarise
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
        }
    )


def test_mean_ravine_with_a_t_ci_over_periods_with_a_ravine() -> None:
    summary = summarise(series(RAVINE))
    assert summary["periods"] == 4
    # y = .1, .3, .2, −.4: mean .05, Σ(y − ȳ)² = .0025 + .0625 + .0225 + .2025 = .29.
    half = stats.t.ppf(0.975, 3) * math.sqrt(0.29 / 3 / 4)
    assert summary["mean_ravine"] == {
        "value": near(0.05),
        "ci_low": near(0.05 - half),
        "ci_high": near(0.05 + half),
        "null_reason": None,
    }


def test_trend_per_30_days_is_the_ols_slope_with_its_t_ci() -> None:
    summary = summarise(series(RAVINE))
    # x = 0, 1, 3, 4 days: x̄ = 2, Sxx = 10, Sxy = −1.1, slope −0.11 per day; residuals
    # −.17, .14, .26, −.23 give s² = .169 / 2.
    se = math.sqrt(0.169 / 2 / 10)
    half = 30 * stats.t.ppf(0.975, 2) * se
    trend = summary["trend_per_30_days"]
    assert trend == {
        "value": near(-3.3),
        "ci_low": near(-3.3 - half),
        "ci_high": near(-3.3 + half),
        "null_reason": None,
    }
    fit = stats.linregress([0, 1, 3, 4], [0.1, 0.3, 0.2, -0.4])
    assert isinstance(trend, dict)
    assert trend["ci_high"] == near(30 * (fit.slope + stats.t.ppf(0.975, 2) * fit.stderr))


def test_widest_periods_by_absolute_ravine_earliest_first_on_ties() -> None:
    summary = summarise(series([0.2, -0.3, 0.3, math.nan, 0.1]), widest=3)
    assert summary["widest"] == [
        {"label": "2025-03-02", "ravine": near(-0.3), "ci_low": near(-0.4), "ci_high": near(-0.2)},
        {"label": "2025-03-03", "ravine": near(0.3), "ci_low": near(0.2), "ci_high": near(0.4)},
        {"label": "2025-03-01", "ravine": near(0.2), "ci_low": near(0.1), "ci_high": near(0.3)},
    ]
    assert summarise(series(RAVINE), widest=0)["widest"] == []


def test_too_few_periods_give_nulls_with_reasons() -> None:
    empty = summarise(series([math.nan, math.nan]))
    assert empty["periods"] == 0
    assert empty["mean_ravine"] == {
        "value": None, "ci_low": None, "ci_high": None, "null_reason": "no period has a ravine"
    }  # fmt: skip
    assert empty["widest"] == []
    one = summarise(series([0.2, math.nan]))
    assert one["mean_ravine"] == {
        "value": near(0.2),
        "ci_low": None,
        "ci_high": None,
        "null_reason": "only 1 period with a ravine: no CI",
    }
    two = summarise(series([0.2, 0.4]))
    assert two["trend_per_30_days"] == {
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "null_reason": "fewer than 3 periods with a ravine (2): no trend",
    }


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
        }
    ]


def test_negative_widest_is_an_error() -> None:
    with pytest.raises(AnalyticsError, match="widest is -1"):
        summarise(series(RAVINE), widest=-1)
