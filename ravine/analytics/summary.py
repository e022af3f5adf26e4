"""A ravine series in a few numbers: its mean, its trend, its mean effect size, and its widest
periods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ravine.analytics.errors import AnalyticsError
from ravine.analytics.hac import METHOD, Fit, Positions, mean_fit, slope_fit
from ravine.analytics.significance import t_p_value
from ravine.analytics.stats import Floats, t_quantile


def summarise(series: pd.DataFrame, *, widest: int = 5) -> dict[str, object]:
    """Summary of a ``ravine_series`` (or ``baseline_series``) frame, one row per period in
    order, ready for JSON.

    - ``periods``: how many periods have a ravine (the rest are ignored below);
    - ``mean_ravine``: their mean;
    - ``trend_per_30_days``: the OLS slope of ravine on period start (in days since the first
      period) × 30; null below 3 periods;
    - ``mean_effect_size``: the mean of the periods' effect sizes, over those that have one;
    - ``widest``: the ``widest`` periods with the largest |ravine|, earliest first among ties,
      each with label, ravine, ci_low, ci_high (the period's own CI) and effect_size;
      ``widest_note`` says why they are descriptive: picked for being largest, their CIs are
      not adjusted for the picking.

    Neighbouring periods move together, so the three estimates have 95% CIs from Newey–West
    standard errors (:mod:`ravine.analytics.hac`), and each reports its ``method``, ``lag``,
    ``df`` and ``p_value`` (two-sided, of "it is 0", on the same t as its CI). Each period
    counts once, whatever its document count. Smoothed periods share documents with their
    neighbours, so summarise a series with smooth = 1 for honest CIs. Statistics are dicts of
    value, ci_low, ci_high, null_reason, method, lag, df and p_value; nulls are None.
    """
    if widest < 0:
        raise AnalyticsError(f"widest is {widest}: use 0 or more periods")
    ravine = series["ravine"].to_numpy(dtype=np.float64)
    effect = series["effect_size"].to_numpy(dtype=np.float64)
    days = ((series["start"] - series["start"].min()) / pd.Timedelta(days=1)).to_numpy(
        dtype=np.float64
    )
    at = np.flatnonzero(np.isfinite(ravine))
    order = at[np.argsort(-np.abs(ravine[at]), kind="stable")[:widest]]
    labels = series["label"].to_numpy()
    low, high = (series[f"ravine_ci_{side}"].to_numpy(dtype=np.float64) for side in ("low", "high"))
    return {
        "periods": len(at),
        "mean_ravine": _mean(ravine, "a ravine"),
        "trend_per_30_days": _trend(days[at], ravine[at], at),
        "mean_effect_size": _mean(effect, "an effect size"),
        "widest": [
            {
                "label": str(labels[i]),
                "ravine": _number(ravine[i]),
                "ci_low": _number(low[i]),
                "ci_high": _number(high[i]),
                "effect_size": _number(effect[i]),
            }
            for i in order
        ],
        "widest_note": _widest_note(len(order), len(at)),
    }


def _widest_note(shown: int, periods: int) -> str:
    """What the widest periods are, and are not."""
    return (
        f"Descriptive: the {shown} largest |ravine| of {periods} periods. Picked for being "
        "largest, they overstate their periods' ravines, and their CIs (each period's own 95% "
        "Welch CI) are not adjusted for the picking."
    )


def _mean(values: Floats, having: str) -> dict[str, object]:
    at = np.flatnonzero(np.isfinite(values))
    if len(at) == 0:
        return _null(f"no period has {having}")
    if len(at) == 1:
        return {
            **_null(f"only 1 period with {having}: no CI"),
            "value": float(values[at[0]]),
        }
    return _estimate(mean_fit(values[at], at))


def _trend(x: Floats, y: Floats, at: Positions) -> dict[str, object]:
    if len(y) < 3:
        return _null(f"fewer than 3 periods with a ravine ({len(y)}): no trend")
    return _estimate(slope_fit(x, y, at), scale=30)


def _estimate(fit: Fit, *, scale: float = 1) -> dict[str, object]:
    """``fit`` × ``scale`` with its 95% t CI and the p-value that CI inverts."""
    value, se, df = scale * fit.value, scale * fit.se, np.array([fit.df])
    half = float(t_quantile(df)[0]) * se
    p = float(t_p_value(np.array([value]), np.array([se]), df)[0])
    return {
        "value": value,
        "ci_low": _number(value - half),
        "ci_high": _number(value + half),
        "null_reason": None,
        "method": METHOD,
        "lag": fit.lag,
        "df": _number(fit.df),
        "p_value": _number(p),
    }


def _null(reason: str) -> dict[str, object]:
    return {
        "value": None, "ci_low": None, "ci_high": None, "null_reason": reason,
        "method": METHOD, "lag": None, "df": None, "p_value": None,
    }  # fmt: skip


def _number(x: object) -> float | None:
    """A JSON-safe number: NaN becomes None."""
    value = float(x)  # type: ignore[arg-type]
    return value if math.isfinite(value) else None
