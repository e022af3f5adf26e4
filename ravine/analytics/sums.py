"""From the repository's integer sums to exact per-metric moments, and pooling them over windows.

Everything stays in Python integers (numpy object arrays) until the final division: the sums
are exact, pooling 90 days of ``w_sum_sq`` can pass 2⁶³, and an exact variance numerator makes
"all documents score the same" give an sd of exactly 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ravine.rollup import COLUMNS, SCALE

VOICES = ("corporate", "public")
INDEX = {name: i for i, name in enumerate(COLUMNS)}

Ints = NDArray[np.object_]
"""An array of Python ints."""


@dataclass(frozen=True)
class Moments:
    """Per-row sums of one metric's y: count, weights, Σwy and Σwy² (w = 1 when unweighted).

    ``s1`` is in units of 1/scale and ``s2`` of 1/scale² (compound is stored as x = y · 10⁴).
    """

    n: Ints
    w: Ints
    w_sq: Ints
    s1: Ints
    s2: Ints
    scale: int

    def pool(self, lo: NDArray[np.intp], hi: NDArray[np.intp]) -> Moments:
        """Sums over rows [lo[i], hi[i]) for each i, by differences of prefix sums."""

        def window(a: Ints) -> Ints:
            prefix = np.concatenate([np.zeros(1, dtype=object), np.cumsum(a, dtype=object)])
            pooled: Ints = prefix[hi] - prefix[lo]
            return pooled

        return Moments(
            n=window(self.n),
            w=window(self.w),
            w_sq=window(self.w_sq),
            s1=window(self.s1),
            s2=window(self.s2),
            scale=self.scale,
        )


def moments(block: NDArray[np.int64] | Ints, *, metric: str, weighted: bool) -> Moments:
    """The metric's sums from rows of :data:`ravine.rollup.COLUMNS` (see ``Metric``), int64 or
    already Python ints."""

    def col(name: str) -> Ints:
        return block[:, INDEX[name]].astype(object)

    n = col("n")
    if metric == "compound":
        names = ("w_sum", "w_sum_sq") if weighted else ("sum", "sum_sq")
        s1, s2, scale = col(names[0]), col(names[1]), SCALE
    else:
        pos, neg = (col("w_pos"), col("w_neg")) if weighted else (col("n_pos"), col("n_neg"))
        s1, s2, scale = (pos - neg, pos + neg, 1) if metric == "net" else (neg, neg, 1)
    w, w_sq = (col("w"), col("w_sq")) if weighted else (n, n)
    return Moments(n=n, w=w, w_sq=w_sq, s1=s1, s2=s2, scale=scale)


def check_columns(frame: pd.DataFrame, required: tuple[str, ...]) -> None:
    """Fail early, naming the columns, when the repository hands over the wrong frame."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"sums frame lacks columns {missing}; it has {list(frame.columns)}")


PeriodSums = pd.DataFrame | Mapping[str, NDArray[np.int64]]
"""Per-period sums: rows of (period index, voice, *COLUMNS), or a (periods, columns) block per
voice (what :meth:`ravine.analytics.hours.HourColumns.per_period` gives)."""


def period_block(sums: PeriodSums, *, voice: str, count: int) -> NDArray[np.int64]:
    """One voice's sums as a (count, 11) array: row i is period i, zeros where no documents."""
    if not isinstance(sums, pd.DataFrame):
        block = sums[voice]
        if block.shape != (count, len(COLUMNS)):
            raise ValueError(f"{voice} sums have shape {block.shape}; expected ({count}, 11)")
        return block
    check_columns(sums, ("period", "voice", *COLUMNS))
    rows = sums[sums["voice"] == voice].groupby("period")[list(COLUMNS)].sum()
    outside = [p for p in rows.index if not 0 <= p < count]
    if outside:
        raise ValueError(f"sums name periods {outside[:5]} outside 0..{count - 1}")
    return rows.reindex(range(count), fill_value=0).to_numpy(dtype=np.int64)


def rolling_bounds(count: int, k: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows [i − k + 1, i] for each i, cut at the first row: the smoothing window."""
    i = np.arange(count, dtype=np.intp)
    return np.maximum(i - k + 1, 0), i + 1


def trailing_bounds(
    count: int, *, k: int, length: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The ``length`` rows just before the smoothing window of each row, cut at the first row."""
    i = np.arange(count, dtype=np.intp)
    hi = np.maximum(i - k + 1, 0)
    return np.maximum(hi - length, 0), hi
