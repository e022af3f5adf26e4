"""Exact roll-up arithmetic: what one document adds to its hour's sums (pure, no database).

Compound scores count in integer units of 1e-4 (VADER rounds compound to four decimals), so the
sums are exact integers: adding a document and later subtracting it leaves exactly nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

SCALE = 10_000
POSITIVE_MIN = 500  # VADER's standard thresholds: compound ≥ 0.05 is positive …
NEGATIVE_MAX = -500  # … and compound ≤ −0.05 negative, in units of 1e-4.

COLUMNS = (
    "n",
    "n_pos",
    "n_neg",
    "sum",
    "sum_sq",
    "w",
    "w_sq",
    "w_sum",
    "w_sum_sq",
    "w_pos",
    "w_neg",
)

RollupKey = tuple[int, str, datetime]


def scaled(compound: float) -> int:
    return round(compound * SCALE)


def engagement_weight(likes: int | None, reposts: int | None, replies: int | None) -> int:
    return (likes or 0) + (reposts or 0) + (replies or 0) + 1


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def contribution(*, compound: float, weight: int) -> tuple[int, ...]:
    """One document's addition to each column of :data:`COLUMNS`."""
    x = scaled(compound)
    positive, negative = int(x >= POSITIVE_MIN), int(x <= NEGATIVE_MAX)
    return (
        1,
        positive,
        negative,
        x,
        x * x,
        weight,
        weight * weight,
        weight * x,
        weight * x * x,
        weight * positive,
        weight * negative,
    )


class RollupDelta:
    """Accumulates signed contributions per (entity, voice, hour) for one write batch."""

    def __init__(self) -> None:
        self._sums: defaultdict[RollupKey, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))

    def add(
        self,
        *,
        entity_id: int,
        voice: str,
        published_at: datetime,
        compound: float | None,
        weight: int,
        sign: int,
    ) -> None:
        """Count (sign=+1) or uncount (sign=−1) one document; unscored ones count nowhere."""
        if compound is None:
            return
        sums = self._sums[(entity_id, voice, hour_of(published_at))]
        for index, value in enumerate(contribution(compound=compound, weight=weight)):
            sums[index] += sign * value

    def items(self) -> Iterator[tuple[RollupKey, tuple[int, ...]]]:
        """Non-zero deltas only: a batch that changed nothing writes nothing."""
        for key, sums in self._sums.items():
            if any(sums):
                yield key, tuple(sums)

    @property
    def removes_documents(self) -> bool:
        return any(sums[0] < 0 for sums in self._sums.values())
