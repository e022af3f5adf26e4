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


def engagement_weight(likes: int | None, reposts: int | None, replies: int | None) -> int:
    """1 + ⌊log₂(1 + engagement)⌋: 1 for no engagement, 2 for 1–2, 3 for 3–6, 13 for 5,000.

    Capped by the logarithm, so one viral post among a dozen counts as one of the loudest,
    not as the whole period (linear weights gave it an effective n near 1), and an integer,
    so every weighted sum stays exact. :func:`ravine.repository.rollups.weight_expression`
    is the same function in SQL.
    """
    return ((likes or 0) + (reposts or 0) + (replies or 0) + 1).bit_length()


def contribution(*, compound: float, weight: int, sign: int = 1) -> tuple[int, ...]:
    """One document's signed addition to each column of :data:`COLUMNS`."""
    x = round(compound * SCALE)
    positive = sign if x >= POSITIVE_MIN else 0
    negative = sign if x <= NEGATIVE_MAX else 0
    sx, sw = sign * x, sign * weight
    return (
        sign,
        positive,
        negative,
        sx,
        sx * x,
        sw,
        sw * weight,
        sw * x,
        sw * x * x,
        weight * positive,
        weight * negative,
    )


class RollupDelta:
    """Accumulates signed contributions per (entity, voice, hour) for one write batch."""

    def __init__(self) -> None:
        # Contributions are summed column-wise once, in items(): cheaper than per-document adds.
        self._parts: defaultdict[RollupKey, list[tuple[int, ...]]] = defaultdict(list)

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
        key = (entity_id, voice, published_at.replace(minute=0, second=0, microsecond=0))
        self._parts[key].append(contribution(compound=compound, weight=weight, sign=sign))

    def items(self) -> Iterator[tuple[RollupKey, tuple[int, ...]]]:
        """Summed deltas, non-zero only: a batch that changed nothing writes nothing."""
        for key, parts in self._parts.items():
            sums = parts[0] if len(parts) == 1 else tuple(map(sum, zip(*parts, strict=True)))
            if any(sums):
                yield key, sums
