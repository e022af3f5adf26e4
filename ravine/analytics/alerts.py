"""Detectors for the three alert kinds, over one entity's daily series: pure, no I/O.

- **band**: a day's ravine outside its trailing band (mean ± k sd) whose 95% CI also excludes
  the baseline mean, so a noisy day from a handful of documents does not ring;
- **change_point**: a two-sided tabular CUSUM, which adds up small moves that no single day
  makes alarming, and estimates when the shift began;
- **volume_spike**: far more public documents than usual, whatever their tone.

Each returns every finding in the series, in day order; cooldowns and which days to check are
the caller's. With the defaults, independent noisy days and narrow CIs, expect false alarms
about once a year per entity from each of band and change_point (in simulation: band breaks
on 0.4% of days, a change point every 250 days); days that move together ring more often.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from ravine.analytics.errors import AnalyticsError
from ravine.analytics.hac import bartlett_lag
from ravine.analytics.stats import Floats

__all__ = [
    "KIND_LABELS",
    "AlertKind",
    "Finding",
    "band_breaks",
    "change_points",
    "kind_label",
    "volume_spikes",
]

AlertKind = Literal["band", "change_point", "volume_spike"]
KIND_LABELS: dict[str, str] = {  # what a reader calls each kind: charts, reports, messages
    "band": "ravine outside its band",
    "change_point": "ravine change point",
    "volume_spike": "public volume spike",
}


def kind_label(kind: str) -> str:
    """What a reader calls an alert kind (an unknown one as it is stored)."""
    return KIND_LABELS.get(kind, kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One alarm. ``value``/``expected`` are ravines (volume_spike: document counts); the
    band and CI fields are set for band breaks only, ``started`` for change points only.

    ``score``: band, (value − mean) / sd; change_point, the CUSUM at the alarm in baseline
    sds; volume_spike, value / max(median, 1).
    """

    kind: AlertKind
    day: date
    started: date | None
    direction: Literal["up", "down"]
    value: float
    expected: float
    low: float | None
    high: float | None
    ci_low: float | None
    ci_high: float | None
    score: float
    detail: str


def band_breaks(
    days: Sequence[date],
    ravine: ArrayLike,
    ci_low: ArrayLike,
    ci_high: ArrayLike,
    *,
    baseline_days: int = 90,
    k: float = 3.0,
    min_baseline: int = 30,
) -> list[Finding]:
    """Days whose ravine leaves its band and whose 95% CI lies beyond the baseline mean.

    The baseline of a day is the non-NaN ravines of the ``baseline_days`` days before it (never
    the day itself); with at least ``min_baseline`` of them and a nonzero spread, the band is
    mean ± k·sd (sample sd). The band alone would ring on days with few documents, whose
    ravine is mostly noise, so the CI must also exclude the mean on the same side: a day
    without a whole CI never fires.
    """
    x = _floats(ravine, days, "ravine")
    lo = _floats(ci_low, days, "ci_low")
    hi = _floats(ci_high, days, "ci_high")
    _check_baseline(baseline_days, min_baseline)
    _check_positive("k", k)
    mean, sd, usable = _trailing(x, baseline_days, min_baseline)
    usable &= np.isfinite(lo) & np.isfinite(hi)
    low, high = mean - k * sd, mean + k * sd
    up = usable & (x > high) & (lo > mean)
    down = usable & (x < low) & (hi < mean)
    findings = []
    for i in map(int, np.flatnonzero(up | down)):
        findings.append(
            Finding(
                kind="band",
                day=days[i],
                started=None,
                direction="up" if up[i] else "down",
                value=float(x[i]),
                expected=float(mean[i]),
                low=float(low[i]),
                high=float(high[i]),
                ci_low=float(lo[i]),
                ci_high=float(hi[i]),
                score=float((x[i] - mean[i]) / sd[i]),
                detail=(
                    f"the ravine was {_signed(x[i])} (95% CI {_signed(lo[i])} to "
                    f"{_signed(hi[i])}), outside its {baseline_days}-day band {_signed(mean[i])}"
                    f" ± {k:g} sd ({_signed(low[i])} to {_signed(high[i])})"
                ),
            )
        )
    return findings


@dataclass(slots=True)
class _Cusum:
    """One side of the tabular CUSUM: its sum, and the day its current run began."""

    sign: Literal[1, -1]
    total: float = 0.0
    since: int | None = None


def change_points(
    days: Sequence[date],
    ravine: ArrayLike,
    *,
    baseline_days: int = 90,
    drift: float = 0.5,
    threshold: float = 5.0,
    min_baseline: int = 30,
) -> list[Finding]:
    """Alarms of a two-sided tabular CUSUM (Page 1954; Montgomery, *Introduction to
    Statistical Quality Control*, ch. 9) on the ravine standardised against its baseline.

    With z a day's standardised ravine, S⁺ = max(0, S⁺ + z − drift) and
    S⁻ = max(0, S⁻ − z − drift); an alarm when either exceeds ``threshold``, after which both
    restart at 0. ``started`` is the first day of the alarming sum's run (the first day after
    it last stood at 0), ``score`` its value at the alarm. NaN days leave both sums as they
    are. h = 5, k = 0.5 give an in-control average run length of about 465 days with a known
    mean and sd and independent days (Montgomery, table 9.3). Estimated from 90 days they
    shorten it to about 250 days in simulation; days that move together shorten it further.

    Baseline: the values of the ``baseline_days`` days before, as in :func:`band_breaks`, but
    scaled by their long-run sd (:class:`_LongRunBaseline`), since neighbouring days of a
    ravine move together. A sum at 0 standardises each day against that day's own baseline;
    once the sum is above 0 it keeps the baseline of the first day of its run until it
    returns to 0 or alarms, so the days of a shift never enter the baseline they are tested
    against (a trailing window would absorb the shift and blunt the alarm). Each sum keeps its
    own, so one sum's long run never holds the other to an old baseline. After an alarm the
    shift is the new normal: baselines then start at its first day, so one shift rings once,
    and the next alarm waits until ``min_baseline`` days of the new level are known. A day
    whose baseline has fewer than ``min_baseline`` values or sd 0 is skipped by a sum at 0.
    """
    x = _floats(ravine, days, "ravine")
    _check_baseline(baseline_days, min_baseline)
    _check_positive("threshold", threshold)
    if not (math.isfinite(drift) and drift >= 0):
        raise AnalyticsError(f"drift is {drift}: use 0 or more baseline sds (0.5 is usual)")
    baseline = _LongRunBaseline(x, baseline_days, min_baseline)
    sides = (_Cusum(sign=1), _Cusum(sign=-1))
    findings = []
    for i in map(int, np.flatnonzero(np.isfinite(x))):
        for side in sides:
            anchor = i if side.since is None else side.since
            if (found := baseline.at(anchor)) is not None:
                z = float((x[i] - found[0]) / found[1])
                side.total = max(0.0, side.total + side.sign * z - drift)
                side.since = None if side.total == 0 else anchor
        fired = max(sides, key=lambda s: s.total)
        if fired.total <= threshold or fired.since is None:
            continue
        base = baseline.at(fired.since)
        assert base is not None, "a sum only runs from a day with a baseline"
        direction: Literal["up", "down"] = "up" if fired.sign > 0 else "down"
        findings.append(
            Finding(
                kind="change_point",
                day=days[i],
                started=days[fired.since],
                direction=direction,
                value=float(x[i]),
                expected=base[0],
                low=None,
                high=None,
                ci_low=None,
                ci_high=None,
                score=fired.total,
                detail=(
                    f"the ravine shifted {direction} from its {baseline_days}-day mean "
                    f"{_signed(base[0])} around {days[fired.since].isoformat()}: "
                    f"{_signed(x[i])} on {days[i].isoformat()}, a CUSUM of {fired.total:.1f} "
                    f"baseline sds (alarm above {threshold:g})"
                ),
            )
        )
        baseline.floor = fired.since  # the shift is the new normal: only its days count now
        for side in sides:
            side.total, side.since = 0.0, None
    return findings


class _LongRunBaseline:
    """Each day's baseline mean and long-run sd: the finite values of the ``length`` days
    before it, from ``floor`` on. The long-run sd, √(γ₀ + 2 Σ (1 − m/(L+1)) γₘ) with the
    Bartlett lag L = ⌈1.3 √T⌉ − 1 (as in :mod:`ravine.analytics.hac`), is what a sum of
    neighbouring days varies with: a daily ravine pools a week of statements, so its days
    move together, and the plain sd would make the CUSUM ring at every wobble."""

    def __init__(self, x: Floats, length: int, min_baseline: int) -> None:
        self.x, self.length, self.min_baseline = x, length, min_baseline
        self.floor = 0

    def at(self, day: int) -> tuple[float, float] | None:
        """(mean, long-run sd), or None without ``min_baseline`` values or any spread."""
        window = self.x[max(day - self.length, self.floor, 0) : day]
        values = window[np.isfinite(window)]
        if len(values) < self.min_baseline or values.max() == values.min():
            return None
        mean = float(values.mean())
        centred = values - mean
        n = len(values)
        gamma = [float(centred[m:] @ centred[: n - m]) / n for m in range(bartlett_lag(n) + 1)]
        lag = len(gamma) - 1
        variance = gamma[0] + 2 * sum((1 - m / (lag + 1)) * gamma[m] for m in range(1, lag + 1))
        variance = max(variance, gamma[0]) * n / (n - 1)  # never below the plain variance
        return mean, math.sqrt(variance)


def volume_spikes(
    days: Sequence[date],
    public_documents: ArrayLike,
    *,
    window: int = 28,
    k: float = 3.0,
    min_documents: int = 20,
) -> list[Finding]:
    """Days with at least ``k`` × the median public documents of the ``window`` days before
    (zeros count; a day needs ``window`` days of history) and at least ``min_documents``.

    The median, not the mean, so that one earlier spike does not raise the bar for the next;
    ``min_documents`` keeps a quiet entity's 3 posts after a median of 0 from ringing.
    """
    counts = _counts(public_documents, days)
    if window < 1:
        raise AnalyticsError(f"window is {window}: use 1 or more days")
    _check_positive("k", k)
    if min_documents < 1:
        raise AnalyticsError(f"min_documents is {min_documents}: use 1 or more documents")
    if len(counts) <= window:
        return []
    median = np.median(sliding_window_view(counts, window)[:-1], axis=1)
    today = counts[window:]
    findings = []
    for j in map(int, np.flatnonzero((today >= k * median) & (today >= min_documents))):
        i = j + window
        score = today[j] / max(median[j], 1.0)
        if median[j] >= 1:
            against = f"{score:.1f}× the median of {_count(median[j])} a day"
        else:
            against = f"against a median of {_count(median[j])} a day"
        findings.append(
            Finding(
                kind="volume_spike",
                day=days[i],
                started=None,
                direction="up",
                value=float(today[j]),
                expected=float(median[j]),
                low=None,
                high=None,
                ci_low=None,
                ci_high=None,
                score=float(score),
                detail=f"{today[j]:,} public documents, {against} over the {window} days before",
            )
        )
    return findings


def _trailing(
    x: Floats, length: int, min_baseline: int
) -> tuple[Floats, Floats, NDArray[np.bool_]]:
    """Mean and sample sd of the finite values among the ``length`` days before each day, and
    whether there are at least ``min_baseline`` of them with a spread (a baseline whose values
    are all equal has none, whatever rounding makes of their sd)."""
    padded = np.concatenate([np.full(length, np.nan), x])
    windows = sliding_window_view(padded, length)[: len(x)]
    finite = np.isfinite(windows)
    n = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(finite, windows, 0.0).sum(axis=1) / n
        deviations = np.where(finite, windows - mean[:, None], 0.0)
        sd = np.sqrt((deviations**2).sum(axis=1) / (n - 1))
    highest = np.where(finite, windows, -np.inf).max(axis=1)
    lowest = np.where(finite, windows, np.inf).min(axis=1)
    return mean, sd, (n >= min_baseline) & (highest > lowest)


def _floats(values: ArrayLike, days: Sequence[date], name: str) -> Floats:
    """``values`` as floats, one per day (non-finite = unknown), the days checked consecutive."""
    found = np.array(values, dtype=np.float64)
    if found.ndim != 1 or len(found) != len(days):
        raise AnalyticsError(
            f"{name} has shape {found.shape}: give one value per day ({len(days)} days)"
        )
    ordinals = np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))
    gaps = np.flatnonzero(np.diff(ordinals) != 1)
    if len(gaps):
        raise AnalyticsError(
            f"days jump from {days[gaps[0]]} to {days[gaps[0] + 1]}: give consecutive days, "
            "with NaN for a day without a value"
        )
    found[~np.isfinite(found)] = np.nan
    return found


def _counts(values: ArrayLike, days: Sequence[date]) -> NDArray[np.int64]:
    """``values`` as whole, non-negative counts, one per day."""
    found = _floats(values, days, "public_documents")
    if not np.all(np.isfinite(found) & (found >= 0) & (found == np.round(found))):
        raise AnalyticsError("public_documents must be whole counts of 0 or more, one per day")
    return found.astype(np.int64)


def _check_baseline(baseline_days: int, min_baseline: int) -> None:
    if baseline_days < 1:
        raise AnalyticsError(f"baseline_days is {baseline_days}: use 1 or more days")
    if not 2 <= min_baseline <= baseline_days:
        raise AnalyticsError(
            f"min_baseline is {min_baseline}: use from 2 (an sd needs two values) to "
            f"baseline_days ({baseline_days})"
        )


def _check_positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise AnalyticsError(f"{name} is {value}: use a finite number above 0")


def _signed(x: float) -> str:
    """A ravine as an analyst reads it: always signed, a true minus, two decimals."""
    return f"{x:+.2f}".replace("-", "−")


def _count(x: float) -> str:
    """A median count: whole unless it fell between two days' counts."""
    return f"{x:,.0f}" if x == round(x) else f"{x:,.1f}"
