"""Hourly roll-up rows held as columns, and their exact sums per period in any time zone.

The repository reads an entity's roll-up hours once into these arrays; every series after that
(any range, period, zone, metric) is a few array operations instead of a query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ravine.analytics.periods import Periods
from ravine.rollup import COLUMNS

_INT64_ROOM = float(2**62)  # sums whose column totals stay below this cannot overflow int64


@dataclass(frozen=True)
class HourColumns:
    """One voice's roll-up hours: ``starts`` in seconds since the epoch (UTC, ascending) and
    ``sums``, one row per hour with the columns of :data:`ravine.rollup.COLUMNS`."""

    starts: NDArray[np.int64]
    sums: NDArray[np.int64]

    @classmethod
    def empty(cls) -> HourColumns:
        return cls(np.zeros(0, np.int64), np.zeros((0, len(COLUMNS)), np.int64))

    @property
    def nbytes(self) -> int:
        return int(self.starts.nbytes + self.sums.nbytes)

    def between(self, start: int, end: int) -> HourColumns:
        """The hours that start in [start, end) (seconds since the epoch)."""
        lo, hi = np.searchsorted(self.starts, [start, end], side="left")
        return HourColumns(self.starts[lo:hi], self.sums[lo:hi])

    def per_period(self, periods: Periods) -> NDArray[np.int64]:
        """A (periods, columns) block: each period's sums over the hours that start in it.

        An hour belongs to the period in which its start falls, as in
        :meth:`Periods.utc_bounds`; periods without hours are zeros. Exact: where a column's
        total could pass int64, it is summed in Python integers.
        """
        edges = periods.epoch_edges
        inside = self.between(int(edges[0]), int(edges[-1]))
        # Row offsets of the first hour of each period, and one past the last hour.
        bounds = np.searchsorted(inside.starts, edges, side="left")
        return segment_sums(inside.sums, bounds)

    def per_window(self, starts: NDArray[np.int64], ends: NDArray[np.int64]) -> NDArray[np.int64]:
        """A (windows, columns) block: row i sums the hours that start in [starts[i], ends[i]).

        Windows may overlap (a trailing 30 days at each day), so each is a difference of two
        prefix sums rather than a segment of one partition; only the hours the windows span
        are summed, not the voice's whole history.
        """
        if len(starts) == 0:
            return np.zeros((0, len(COLUMNS)), dtype=np.int64)
        inside = self.between(int(starts.min()), int(ends.max()))
        lo = np.searchsorted(inside.starts, starts, side="left")
        hi = np.searchsorted(inside.starts, ends, side="left")
        return window_sums(inside.sums, lo, hi)

    def cut(
        self, at: NDArray[np.int64], posts_ns: NDArray[np.int64], posts: NDArray[np.int64]
    ) -> HourColumns:
        """These hours with each hour that an instant of ``at`` (seconds; those not on the
        hour, at most one per hour) falls inside split in two rows: [hour, instant) and
        [instant, next hour).

        ``posts`` are the contributions of the documents published in those hours (at
        ``posts_ns``, nanoseconds, ascending): the part from the instant on is summed from
        them, the part before it is the hour's row less that. So every period whose edge is
        an instant of ``at`` (a local midnight at :30 in Asia/Kolkata) sums exactly the
        documents inside it.
        """
        at = np.unique(at[at % HOUR_SECONDS != 0])
        hours = at - at % HOUR_SECONDS
        if len(np.unique(hours)) < len(hours):
            raise ValueError("at most one cut per hour: two instants fall in one hour")
        row = np.searchsorted(self.starts, hours)
        held = row < len(self.starts)
        held[held] = self.starts[row[held]] == hours[held]  # an hour with no documents: no cut
        at, hours, row = at[held], hours[held], row[held]
        if not len(at):
            return self
        lo = np.searchsorted(posts_ns, at * NANOSECONDS)
        hi = np.searchsorted(posts_ns, (hours + HOUR_SECONDS) * NANOSECONDS)
        tails = window_sums(posts, lo, hi)
        sums = self.sums.copy()
        sums[row] -= tails
        starts = np.concatenate([self.starts, at])
        order = np.argsort(starts, kind="stable")
        return HourColumns(starts[order], np.concatenate([sums, tails])[order])


HOUR_SECONDS = 3600
NANOSECONDS = 10**9


def segment_sums(rows: NDArray[np.int64], bounds: NDArray[np.intp]) -> NDArray[np.int64]:
    """Sums of ``rows[bounds[i]:bounds[i + 1]]`` for each i (``bounds`` ascending): added up
    segment by segment in one pass, where prefix sums take two passes and a copy."""
    if not _fits_int64(rows):
        return window_sums(rows, bounds[:-1], bounds[1:])
    starts, stops = bounds[:-1], bounds[1:]
    block = np.zeros((len(starts), rows.shape[1]), dtype=np.int64)
    filled = starts < stops  # reduceat would give an empty segment its first row
    if filled.any():
        block[filled] = np.add.reduceat(rows[: bounds[-1]], starts[filled], axis=0)
    return block


def window_sums(
    rows: NDArray[np.int64], lo: NDArray[np.intp], hi: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Sums of ``rows[lo[i]:hi[i]]`` for each i, by differences of prefix sums."""
    width = rows.shape[1]
    safe = _fits_int64(rows)
    kind = np.int64 if safe else object
    prefix = np.zeros((len(rows) + 1, width), dtype=kind)
    np.cumsum(rows.astype(kind), axis=0, out=prefix[1:])
    block = prefix[hi] - prefix[lo]
    return block if safe else _as_int64(block)


def _fits_int64(rows: NDArray[np.int64]) -> bool:
    """Whether every sum of rows fits int64 as it is added up: the columns' totals do."""
    return rows.size == 0 or float(np.abs(rows).sum(axis=0, dtype=np.float64).max()) < _INT64_ROOM


def _as_int64(block: NDArray[np.object_]) -> NDArray[np.int64]:
    """Python-integer sums as int64, refusing (not wrapping) any that do not fit."""
    return np.array(block.tolist(), dtype=np.int64)
