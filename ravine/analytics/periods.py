"""Calendar periods (local days, Monday weeks, months) in a time zone, and their UTC bounds.

Bounds are local midnights converted with :mod:`zoneinfo`, so a local day is 23 or 25 hours
long on a DST change day and the UTC bounds follow the zone's rules in force on each date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray

from ravine.analytics.errors import AnalyticsError

Freq = Literal["day", "week", "month"]
FREQS: tuple[str, ...] = get_args(Freq)
MAX_PERIODS = 4000
"""More periods than this is a user error: the series would be too long to read or draw."""

NOMINAL_DAYS: dict[str, int] = {"day": 1, "week": 7, "month": 30}
"""Period lengths used to turn a span in days into a number of periods (baselines)."""

_ADJECTIVE = {"day": "daily", "week": "weekly", "month": "monthly"}
_COARSER = {"day": "use freq=week or a shorter range", "week": "use freq=month or a shorter range"}


@dataclass(frozen=True)
class Periods:
    """Consecutive periods: aware local ``starts``, the exclusive ``end`` and display labels.

    Labels are the local start date for days and weeks ("2025-03-10") and "2025-03" for months.
    """

    starts: list[datetime]
    end: datetime
    labels: list[str]
    freq: Freq

    def utc_bounds(self) -> list[tuple[datetime, datetime]]:
        """[start, end) of each period in UTC: what the repository sums hourly rows over.

        An hour bucket belongs to the period in which its start (UTC) falls; in zones whose
        offset is not whole hours (Asia/Kolkata, +05:30) the hours an edge cuts are split
        first (:meth:`ravine.analytics.hours.HourColumns.cut`), so periods stay exact.
        """
        return list(pairwise(self._utc_edges))

    @cached_property
    def _utc_edges(self) -> list[datetime]:
        return [edge.astimezone(UTC) for edge in [*self.starts, self.end]]

    @cached_property
    def epoch_edges(self) -> NDArray[np.int64]:
        """The periods' starts and the end, in whole seconds since the epoch (local midnights
        are whole seconds in every zone)."""
        return np.array([int(edge.timestamp()) for edge in self._utc_edges], dtype=np.int64)

    def trailing_edges(self, days: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """[start, end) of the ``days`` local days up to each period's end, in epoch seconds:
        the window a sparse voice is pooled over (from the local midnight ``days`` days before
        the period's end, so a window is exact across DST changes)."""
        ends = [*self.starts[1:], self.end]
        starts = [
            datetime.combine(end.date() - timedelta(days=days), time(), tzinfo=end.tzinfo)
            for end in ends
        ]
        return (
            np.array([int(start.timestamp()) for start in starts], dtype=np.int64),
            self.epoch_edges[1:],
        )


def make_periods(*, since: date, until: date, freq: Freq, tz: str) -> Periods:
    """Every period that overlaps the local dates [since, until] (both inclusive).

    Weeks start on Monday and months on the 1st, so the first and last periods may reach
    beyond ``since`` and ``until``. Raises :class:`AnalyticsError` when since > until, the
    zone or frequency is unknown, or more than :data:`MAX_PERIODS` periods would result.
    """
    if since > until:
        raise AnalyticsError(f"since ({since}) is after until ({until}): swap them")
    if freq not in FREQS:
        raise AnalyticsError(f"unknown freq {freq!r}: use one of {', '.join(FREQS)}")
    zone = _zone(tz)
    first = _period_start(since, freq)
    count = _count(first, until, freq)
    if count > MAX_PERIODS:
        requested = f"{count:,} {_ADJECTIVE[freq]} periods requested"
        advice = _COARSER.get(freq, "use a shorter range")
        raise AnalyticsError(f"{requested}; the limit is {MAX_PERIODS:,}: {advice}")
    days = [_nth_start(first, freq, i) for i in range(count + 1)]
    starts = [datetime.combine(day, time(), tzinfo=zone) for day in days]
    labels = [
        f"{day.year:04d}-{day.month:02d}" if freq == "month" else day.isoformat()
        for day in days[:-1]
    ]
    return Periods(starts=starts[:-1], end=starts[-1], labels=labels, freq=freq)


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise AnalyticsError(
            f"unknown time zone {tz!r}: use an IANA name such as Europe/London or UTC"
        ) from None


def _period_start(day: date, freq: str) -> date:
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _count(first: date, until: date, freq: str) -> int:
    if freq == "day":
        return (until - first).days + 1
    if freq == "week":
        return (until - first).days // 7 + 1
    return (until.year - first.year) * 12 + until.month - first.month + 1


def _nth_start(first: date, freq: str, i: int) -> date:
    if freq == "day":
        return first + timedelta(days=i)
    if freq == "week":
        return first + timedelta(days=7 * i)
    months = first.month - 1 + i
    return date(first.year + months // 12, months % 12 + 1, 1)
