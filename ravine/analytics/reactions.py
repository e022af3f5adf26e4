"""Reaction windows: did the public's sentiment change after a corporate statement?"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ravine.analytics.clusters import INDEPENDENT, Clustering
from ravine.analytics.errors import AnalyticsError
from ravine.analytics.hours import window_sums
from ravine.analytics.multiplicity import discoveries, q_values
from ravine.analytics.options import Metric, check_metric, check_min_n
from ravine.analytics.significance import welch_p_value
from ravine.analytics.stats import VoiceStats, describe, joined_reasons, reason_column, welch
from ravine.analytics.sums import Ints, check_columns, moments
from ravine.rollup import COLUMNS

HOUR_NS = 3_600 * 10**9


def reactions(
    hourly: pd.DataFrame,
    documents: pd.DataFrame,
    statements: pd.DataFrame,
    *,
    window_days: float = 3,
    min_n: int = 5,
    metric: Metric = "compound",
    weighted: bool = False,
    clustering: Clustering = INDEPENDENT,
) -> pd.DataFrame:
    """Public sentiment in the ``window_days`` before and after each statement, and the change.

    For a statement at t, *before* is every public document published in [t − w, t) and
    *after* every one in [t, t + w), to the microsecond. ``hourly`` holds roll-up rows
    (``hour`` tz-aware UTC, ``voice``, the eleven sums) covering [first statement − window,
    last statement + window): they give the hours a side covers whole, cheaply. An hour a side
    only partly covers (the statement's own, and those holding t − w and t + w when they are
    not on the hour, see :func:`edge_hours`) is summed from ``documents`` instead: one row per
    public document (``published_at`` aware UTC and its eleven contributions, see
    :func:`ravine.rollup.contribution`) holding at least those hours' documents, so a post at
    10:50 answers a statement at 10:30 and one at 10:10 precedes it. ``statements`` has ``id``,
    ``published_at`` (aware UTC) and ``title``.

    One row per statement, in order: id, title, published_at; per side its n, effective n,
    design effect, value (the metric's mean, see ``Metric``) and 95% Student t CI (before_n,
    before_n_eff, before_deff, before_value, before_ci_low, before_ci_high, then the same for
    after), so a reader sees how sure each side is, each CI allowing for repeat authors as
    ``clustering`` estimates (over windows of the sides, :func:`side_windows`);
    change = after − before, change_ci_low and change_ci_high (95%
    Welch CI, Welch–Satterthwaite df); p_value, the two-sided Welch p of no change (at most
    0.05 exactly when the change's CI leaves 0 out), q_value, its Benjamini–Hochberg
    adjustment over the statements given (those with a p-value), and discovery, q ≤ 0.05 (None
    without a p-value); and null_reason ("before: fewer than 5 documents (3)") when a side has
    fewer than ``min_n`` documents or a CI is undefined.
    """
    check_metric(metric)
    check_min_n(min_n)
    _check_window(window_days)
    check_columns(hourly, ("hour", "voice", *COLUMNS))
    check_columns(documents, ("published_at", *COLUMNS))
    check_columns(statements, ("id", "published_at", "title"))
    public = hourly[hourly["voice"] == "public"].groupby("hour")[list(COLUMNS)].sum()
    hours = _Rows(_nanoseconds(public.index), public.to_numpy(dtype=np.int64))
    ordered = documents.sort_values("published_at", kind="stable")
    posts = _Rows(_nanoseconds(ordered["published_at"]), ordered[list(COLUMNS)].to_numpy(np.int64))
    t = _nanoseconds(statements["published_at"])
    w = pd.Timedelta(days=window_days).value

    def side(start: NDArray[np.int64], stop: NDArray[np.int64]) -> VoiceStats:
        block = _side_sums(hours, posts, start, stop)
        found = moments(block, metric=metric, weighted=weighted)
        return describe(found, min_n=min_n, clustering=clustering)

    before, after = side(t - w, t), side(t, t + w)
    change, low, high = welch(after, before)
    p = welch_p_value(after, before)
    q = q_values(p)
    reasons = joined_reasons({"before": before.reason, "after": after.reason})
    return pd.DataFrame(
        {
            "id": statements["id"].reset_index(drop=True),
            "title": statements["title"].reset_index(drop=True),
            "published_at": statements["published_at"].reset_index(drop=True),
            "before_n": before.n,
            "before_n_eff": before.n_eff,
            "before_deff": before.deff,
            "before_value": before.value,
            "before_ci_low": before.ci_low,
            "before_ci_high": before.ci_high,
            "after_n": after.n,
            "after_n_eff": after.n_eff,
            "after_deff": after.deff,
            "after_value": after.value,
            "after_ci_low": after.ci_low,
            "after_ci_high": after.ci_high,
            "change": change,
            "change_ci_low": low,
            "change_ci_high": high,
            "p_value": p,
            "q_value": q,
            "discovery": pd.Series(discoveries(q), dtype=object),
            "null_reason": reason_column(reasons),
        }
    )


def side_windows(
    published_at: Any, *, window_days: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every side of every statement as [start, end) in whole seconds since the epoch (the
    before sides, then the after sides): the windows whose repeat authors a CI allows for."""
    _check_window(window_days)
    t = _nanoseconds(published_at)
    w = pd.Timedelta(days=window_days).value
    starts, ends = np.concatenate([t - w, t]), np.concatenate([t, t + w])
    return starts // 10**9, ends // 10**9


def edge_hours(published_at: Any, *, window_days: float) -> pd.DatetimeIndex:
    """The hours (UTC starts) whose documents :func:`reactions` needs one by one: those
    holding t − w, t or t + w off the hour, where a side begins or ends inside an hour."""
    _check_window(window_days)
    t = _nanoseconds(published_at)
    w = pd.Timedelta(days=window_days).value
    instants = np.concatenate([t - w, t, t + w])
    inside = instants[instants % HOUR_NS != 0]
    return pd.DatetimeIndex(pd.to_datetime(np.unique(_floor(inside)), unit="ns", utc=True))


class _Rows:
    """Rows of roll-up sums at ascending instants (ns): hour starts or documents' times."""

    def __init__(self, at: NDArray[np.int64], sums: NDArray[np.int64]) -> None:
        self.at, self.sums = at, sums

    def between(self, start: NDArray[np.int64], stop: NDArray[np.int64]) -> Ints:
        """Per i, the exact sums of the rows at instants in [start[i], stop[i]), as Python
        ints so that adding the parts of a side cannot overflow."""
        lo = np.searchsorted(self.at, start, side="left")
        hi = np.searchsorted(self.at, stop, side="left")
        found: Ints = window_sums(self.sums, lo, hi).astype(object)
        return found


def _side_sums(
    hours: _Rows, posts: _Rows, start: NDArray[np.int64], stop: NDArray[np.int64]
) -> Ints:
    """Per i, the sums over [start[i], stop[i]): the whole hours inside from the roll-ups,
    the partial hours at either end from the documents (a span inside one hour, wholly)."""
    first, last = -_floor(-start), _floor(stop)  # the first and last hour boundary inside
    whole = first <= last
    head_stop = np.where(whole, first, stop)
    tail_start = np.where(whole, last, stop)
    block: Ints = (
        hours.between(np.where(whole, first, stop), tail_start)
        + posts.between(start, head_stop)
        + posts.between(tail_start, stop)
    )
    return block


def _floor(ns: NDArray[np.int64]) -> NDArray[np.int64]:
    """Instants floored to their hour's start (numpy's % floors, as before 1970 too)."""
    floored: NDArray[np.int64] = ns - ns % HOUR_NS
    return floored


def _check_window(window_days: float) -> None:
    if not window_days > 0:
        raise AnalyticsError(f"window_days is {window_days}: use a positive number of days")


def _nanoseconds(values: Any) -> NDArray[np.int64]:
    """Instants as int64 ns since the epoch, whatever unit or container they arrive in."""
    return pd.DatetimeIndex(pd.to_datetime(values, utc=True)).as_unit("ns").asi8
