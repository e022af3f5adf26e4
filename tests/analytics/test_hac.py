"""Newey–West standard errors of the summary's mean and trend: against a hand computation and
a dense-matrix oracle, and their coverage on simulated autocorrelated and independent series,
where the intervals that counted each period as independent fall far short."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ravine.analytics import summarise
from ravine.analytics.hac import bartlett_lag, mean_fit, slope_fit
from tests.analytics.builders import near


def dense_fit(
    x: np.ndarray, y: np.ndarray, positions: np.ndarray, *, slope: bool
) -> tuple[float, float, float, int]:
    """(value, se, df, lag) with every matrix written out: W the Bartlett weights of the
    periods' distances, M the residual maker, A = M D W D M."""
    k = len(y)
    lag = math.ceil(1.3 * math.sqrt(positions[-1] - positions[0] + 1)) - 1
    distance = np.abs(positions[:, None] - positions[None, :])
    w = np.clip(1 - distance / (lag + 1), 0, None)
    design = np.column_stack([np.ones(k), x]) if slope else np.ones((k, 1))
    m = np.eye(k) - design @ np.linalg.pinv(design)
    # The slope's regressor once the intercept is partialled out: x less its mean.
    regressor = x - x.mean() if slope else np.ones(k)
    d = np.diag(regressor)
    a = m @ d @ w @ d @ m
    scores = regressor * (m @ y)
    sxx = regressor @ regressor
    value = regressor @ y / sxx
    se = math.sqrt(scores @ w @ scores / (np.trace(a) * sxx))
    return value, se, np.trace(a) ** 2 / np.trace(a @ a), lag


def test_the_lag_is_1_3_root_t_less_one() -> None:
    assert [bartlett_lag(t) for t in (2, 5, 12, 60, 365, 4000)] == [1, 2, 4, 10, 24, 82]


def test_mean_by_hand_with_a_gap() -> None:
    # Ravines .1, .3, .2, −.4 at periods 0, 1, 3, 4: T = 5 periods, lag ⌈1.3 √5⌉ − 1 = 2, so
    # weights 2/3 one period apart, 1/3 two apart. Pairs (0,1) and (3,4) are one apart, (1,3)
    # two; the rest three or more.
    positions = np.array([0, 1, 3, 4])
    fit = mean_fit(np.array([0.1, 0.3, 0.2, -0.4]), positions)
    u = [0.05, 0.25, 0.15, -0.45]  # residuals from the mean .05
    long_run = sum(r * r for r in u) + 2 * (
        2 / 3 * u[0] * u[1] + 1 / 3 * u[1] * u[2] + 2 / 3 * u[2] * u[3]
    )
    # W's entries: 1 on the diagonal, then 2/3, 1/3, 2/3 above it (and below).
    entries = 4 + 2 * Fraction(5, 3)  # 1'W1
    trace_a = 4 - entries / 4  # tr(MW) = tr W − 1'W1 / k
    rows = [Fraction(5, 3), Fraction(2), Fraction(2), Fraction(5, 3)]  # W1
    squares = 4 + 2 * Fraction(4 + 1 + 4, 9)  # tr(W²): the squares of W's entries
    trace_a2 = squares - 2 * sum(r * r for r in rows) / 4 + entries * entries / 16
    assert fit.lag == 2
    assert fit.value == near(0.05)
    assert fit.se == near(math.sqrt(long_run / (float(trace_a) * 4)))
    assert fit.df == near(float(trace_a * trace_a / trace_a2))
    assert fit.df == near(1.8172043010752688)


@pytest.mark.parametrize("seed", range(4))
def test_mean_and_slope_equal_the_dense_oracle(seed: int) -> None:
    rng = np.random.default_rng(seed)
    positions = np.sort(rng.choice(40, size=rng.integers(5, 30), replace=False))
    days = (positions * 7 + rng.integers(0, 2, len(positions))).astype(np.float64)  # weeks ± a day
    y = rng.normal(size=len(positions)).cumsum()
    for fit, slope in ((mean_fit(y, positions), False), (slope_fit(days, y, positions), True)):
        value, se, df, lag = dense_fit(days, y, positions, slope=slope)
        assert (fit.value, fit.se, fit.df, fit.lag) == (near(value), near(se), near(df), lag)


def test_with_no_autocorrelation_left_the_mean_is_students() -> None:
    # Two periods: one residual dimension, so whatever the lag the estimate is the usual
    # variance / k on k − 1 = 1 degree of freedom.
    fit = mean_fit(np.array([0.2, 0.6]), np.array([0, 1]))
    assert (fit.value, fit.df) == (near(0.4), near(1.0))
    assert fit.se == near(float(np.std([0.2, 0.6], ddof=1)) / math.sqrt(2))


def ar1(rng: np.random.Generator, phi: float, periods: int, replications: int) -> np.ndarray:
    """Stationary AR(1) series with unit innovations, one per row."""
    noise = rng.standard_normal((replications, periods))
    y = np.empty_like(noise)
    y[:, 0] = noise[:, 0] / math.sqrt(1 - phi * phi)
    for t in range(1, periods):
        y[:, t] = phi * y[:, t - 1] + noise[:, t]
    return y


def coverage(phi: float) -> dict[str, float]:
    """Shares of 2,000 simulated 60-day ravines (mean 0.2, no trend, AR(1) noise with
    coefficient ``phi``) whose 95% CIs hold the truth: the summary's, and the ones that count
    each period as independent (t on k − 1 and k − 2 df). A trend would change neither the
    slope's error nor its residuals, so the trend's coverage is that of any true slope; it
    would only add to the spread about the mean."""
    k, mean, slope, replications = 60, 0.2, 0.0, 2000
    rng = np.random.default_rng(20261207)
    t = np.arange(k, dtype=np.float64)
    frame = pd.DataFrame({"label": [f"day {i}" for i in range(k)],
                          "start": pd.date_range("2025-01-01", periods=k, tz="UTC")})  # fmt: skip
    frame["ravine_ci_low"] = frame["ravine_ci_high"] = frame["effect_size"] = np.nan
    hits = dict.fromkeys(("mean", "trend", "old mean", "old trend"), 0)
    for noise in ar1(rng, phi, k, replications):
        frame["ravine"] = mean + slope * (t - t.mean()) + noise
        found = summarise(frame)
        trend, level = found["trend_per_30_days"], found["mean_ravine"]
        assert isinstance(trend, dict) and isinstance(level, dict)
        hits["trend"] += trend["ci_low"] <= 30 * slope <= trend["ci_high"]
        hits["mean"] += level["ci_low"] <= mean <= level["ci_high"]
        fit = stats.linregress(t, frame["ravine"])
        hits["old trend"] += abs(fit.slope - slope) <= stats.t.ppf(0.975, k - 2) * fit.stderr
        half = stats.t.ppf(0.975, k - 1) * frame["ravine"].std() / math.sqrt(k)
        hits["old mean"] += abs(frame["ravine"].mean() - mean) <= half
    return {name: count / replications for name, count in hits.items()}


@pytest.mark.slow
def test_autocorrelated_periods_keep_near_95_percent_coverage() -> None:
    found = coverage(phi=0.6)
    # Counting the 60 periods as independent covers about two times in three; allowing for
    # the autocorrelation brings both within a few points of 95%.
    assert found["old trend"] < 0.72 and found["old mean"] < 0.72, found
    assert found["trend"] > 0.90 and found["mean"] > 0.90, found
    for stat in ("trend", "mean"):
        assert abs(found[stat] - 0.95) < abs(found[f"old {stat}"] - 0.95) / 4, found


@pytest.mark.slow
def test_independent_periods_keep_95_percent_coverage() -> None:
    found = coverage(phi=0.0)
    assert all(0.935 <= found[stat] <= 0.97 for stat in ("trend", "mean")), found
