"""Two-sided p-values of "it is 0", each the test that inverts a CI the analytics report, so a
p-value is at most 0.05 exactly when that 95% CI leaves 0 out."""

from __future__ import annotations

import numpy as np
from scipy import stats as _scipy_stats

from ravine.analytics.stats import Floats, VoiceStats


def t_p_value(estimate: Floats, se: Floats, df: Floats) -> Floats:
    """p of estimate = 0 on Student t with ``df``: the test of the CI estimate ± t(df) · se.

    A zero se gives the CI of the estimate alone, so p is 0 (1 for an estimate of 0 itself);
    NaN where any input is.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * _scipy_stats.t.sf(np.abs(estimate) / se, df)
    exact = se == 0
    return np.where(exact, np.where(estimate == 0, 1.0, 0.0), p).astype(np.float64)


def welch_p_value(a: VoiceStats, b: VoiceStats) -> Floats:
    """p of a − b = 0 on Welch's t, the test of :func:`ravine.analytics.stats.welch`'s CI:
    standard error √(se²_a + se²_b) on Welch–Satterthwaite degrees of freedom."""
    se2 = a.se2 + b.se2
    with np.errstate(divide="ignore", invalid="ignore"):
        df = se2 * se2 / (a.se2 * a.se2 / a.df + b.se2 * b.se2 / b.df)
    return t_p_value(a.value - b.value, np.sqrt(se2), df)
