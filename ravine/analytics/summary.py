"""A ravine series in a few numbers: its mean, its trend, and its widest periods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ravine.analytics.errors import AnalyticsError
from ravine.analytics.stats import Floats, t_quantile


def summarise(series: pd.DataFrame, *, widest: int = 5) -> dict[str, object]:
    """Summary of a ``ravine_series`` (or ``baseline_series``) frame, ready for JSON.

    - ``periods``: how many periods have a ravine (the rest are ignored below);
    - ``mean_ravine``: their mean, with a 95% Student t CI on k − 1 df (k periods);
    - ``trend_per_30_days``: the OLS slope of ravine on period start (in days since the first
      period) × 30, with its 95% CI on k − 2 df; null below 3 periods;
    - ``widest``: the ``widest`` periods with the largest |ravine|, earliest first among ties,
      each with label, ravine, ci_low and ci_high.

    Each period counts as one observation, whatever its document count. Smoothed periods share
    documents with their neighbours, so summarise a series with smooth = 1 for honest CIs.
    Statistics are dicts of value, ci_low, ci_high and null_reason; nulls are None.
    """
    if widest < 0:
        raise AnalyticsError(f"widest is {widest}: use 0 or more periods")
    rows = series[np.isfinite(series["ravine"].to_numpy(dtype=np.float64))]
    y = rows["ravine"].to_numpy(dtype=np.float64)
    days = ((rows["start"] - series["start"].min()) / pd.Timedelta(days=1)).to_numpy(
        dtype=np.float64
    )
    order = np.argsort(-np.abs(y), kind="stable")[:widest]
    return {
        "periods": len(y),
        "mean_ravine": _mean(y),
        "trend_per_30_days": _trend(days, y),
        "widest": [
            {
                "label": str(rows["label"].iloc[i]),
                "ravine": _number(y[i]),
                "ci_low": _number(rows["ravine_ci_low"].iloc[i]),
                "ci_high": _number(rows["ravine_ci_high"].iloc[i]),
            }
            for i in order
        ],
    }


def _mean(y: Floats) -> dict[str, object]:
    k = len(y)
    if k == 0:
        return _null("no period has a ravine")
    if k == 1:
        return _estimate(float(y[0]), math.nan, "only 1 period with a ravine: no CI")
    mean = float(y.mean())
    half = float(t_quantile(np.array([k - 1.0]))[0]) * float(y.std(ddof=1)) / math.sqrt(k)
    return _estimate(mean, half)


def _trend(x: Floats, y: Floats) -> dict[str, object]:
    k = len(y)
    if k < 3:
        return _null(f"fewer than 3 periods with a ravine ({k}): no trend")
    dx = x - x.mean()
    sxx = float(dx @ dx)
    slope = float(dx @ (y - y.mean())) / sxx
    residuals = y - y.mean() - slope * dx
    se = math.sqrt(float(residuals @ residuals) / (k - 2) / sxx)
    half = float(t_quantile(np.array([k - 2.0]))[0]) * se
    return _estimate(30 * slope, 30 * half)


def _estimate(value: float, half: float, reason: str | None = None) -> dict[str, object]:
    return {
        "value": value,
        "ci_low": _number(value - half),
        "ci_high": _number(value + half),
        "null_reason": reason,
    }


def _null(reason: str) -> dict[str, object]:
    return {"value": None, "ci_low": None, "ci_high": None, "null_reason": reason}


def _number(x: object) -> float | None:
    """A JSON-safe number: NaN becomes None."""
    value = float(x)  # type: ignore[arg-type]
    return value if math.isfinite(value) else None
