"""Reaction windows: did the public's sentiment change after a corporate statement?"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ravine.analytics.errors import AnalyticsError
from ravine.analytics.options import Metric, check_metric, check_min_n
from ravine.analytics.stats import describe, joined_reasons, reason_column, welch
from ravine.analytics.sums import check_columns, moments
from ravine.rollup import COLUMNS


def reactions(
    hourly: pd.DataFrame,
    statements: pd.DataFrame,
    *,
    window_days: float = 3,
    min_n: int = 5,
    metric: Metric = "compound",
    weighted: bool = False,
) -> pd.DataFrame:
    """Public sentiment in the ``window_days`` before and after each statement, and the change.

    ``hourly`` holds roll-up rows (``hour`` tz-aware UTC, ``voice``, the eleven sums) covering
    [first statement − window, last statement + window); ``statements`` has ``id``,
    ``published_at`` (aware UTC) and ``title``. For a statement at t, *before* pools the public
    hour buckets in [t − w, t) and *after* those in [t, t + w). A bucket counts on the side
    where its start falls: for a statement at 10:30 the 10:00–11:00 bucket is *before*, so the
    sides are exact to the hour (documents are only stored by hour).

    One row per statement, in order: id, title, published_at; per side its n, value (the
    metric's mean, see ``Metric``) and 95% Student t CI (before_n, before_value, before_ci_low,
    before_ci_high, then the same for after), so a reader sees how sure each side is;
    change = after − before, change_ci_low and change_ci_high (95% Welch CI, Welch–Satterthwaite
    df), and null_reason ("before: fewer than 5 documents (3)") when a side has fewer than
    ``min_n`` documents or a CI is undefined.
    """
    check_metric(metric)
    check_min_n(min_n)
    if not window_days > 0:
        raise AnalyticsError(f"window_days is {window_days}: use a positive number of days")
    check_columns(hourly, ("hour", "voice", *COLUMNS))
    check_columns(statements, ("id", "published_at", "title"))
    public = hourly[hourly["voice"] == "public"].groupby("hour")[list(COLUMNS)].sum()
    m = moments(public.to_numpy(dtype=np.int64), metric=metric, weighted=weighted)
    hours = _nanoseconds(public.index)
    t = _nanoseconds(statements["published_at"])
    w = pd.Timedelta(days=window_days).value

    def hours_before(instant: NDArray[np.int64]) -> NDArray[np.intp]:
        return np.searchsorted(hours, instant, side="left")

    start, at, stop = hours_before(t - w), hours_before(t), hours_before(t + w)
    before = describe(m.pool(start, at), min_n=min_n)
    after = describe(m.pool(at, stop), min_n=min_n)
    change, low, high = welch(after, before)
    reasons = joined_reasons({"before": before.reason, "after": after.reason})
    return pd.DataFrame(
        {
            "id": statements["id"].reset_index(drop=True),
            "title": statements["title"].reset_index(drop=True),
            "published_at": statements["published_at"].reset_index(drop=True),
            "before_n": before.n,
            "before_value": before.value,
            "before_ci_low": before.ci_low,
            "before_ci_high": before.ci_high,
            "after_n": after.n,
            "after_value": after.value,
            "after_ci_low": after.ci_low,
            "after_ci_high": after.ci_high,
            "change": change,
            "change_ci_low": low,
            "change_ci_high": high,
            "null_reason": reason_column(reasons),
        }
    )


def _nanoseconds(values: Any) -> NDArray[np.int64]:
    """Instants as int64 ns since the epoch, whatever unit or container they arrive in."""
    return pd.DatetimeIndex(pd.to_datetime(values, utc=True)).as_unit("ns").asi8
