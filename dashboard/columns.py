"""The columns of a packed figure (:mod:`dashboard.packing`), some rebuilt from others.

Column ops, in a packed figure's ``columns`` (i and j are indices of other columns):
    ``{"$dates": [first, count, step]}``
        consecutive period labels (:func:`dashboard.timeline.dates`)
    ``{"$add": [i, j]}``, ``{"$sub": [i, j]}``
        ``ci ± cj`` rounded to :data:`DIGITS`, null where either is null

So the ravine travels as one voice less the other, and a CI's bounds as its centre ± its
half-width: the half-width varies little from period to period, so it compresses far better
than the two bounds do. A CI clamped to the metric's range is no longer symmetric: its bounds
travel as the centre plus its reach up and less its reach down, two columns equal but where
it was clamped. Ops never depend on themselves, directly or through others.

Ops read and rebuild only columns of numbers with at most :data:`DIGITS` decimals and below
:data:`LARGEST`, as the figure's numbers are: as integers of 10^-DIGITS (:class:`Units`) their
sums are exact, so a three-year chart's ops are found by a few array operations and still give
back every number exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from dashboard.timeline import STEPS, dates

DIGITS = 3
"""Decimals of the ops' sums: the figure's numbers have no more."""
SCALE = 10**DIGITS
LARGEST = 1e9
"""Below this, a number's units of 10^-DIGITS are exact and its float is far finer than them."""
SAMPLE = 64
"""Periods on which every pair of columns is tried before the few that fit are checked whole."""

Column = list[Any]
Op = dict[str, list[int]]


class Columns:
    """The distinct columns of a figure (arrays as long as its x axis, column 0) and the ops
    found to rebuild some of them."""

    def __init__(self, axis: Column) -> None:
        self.values: list[Column] = []
        self._index: dict[bytes, int] = {}
        self._ops: dict[int, Op] = {}
        self._units: dict[int, Units | None] = {}
        self.add(axis)

    def add(self, values: Column) -> int:
        key = orjson.dumps(values)  # 1 and 1.0 differ, as they do on the wire
        if key not in self._index:
            self._index[key] = len(self.values)
            self.values.append(values)
        return self._index[key]

    def derive(self, bands: list[tuple[int, int]]) -> None:
        """Rebuild the bounds of bands from their centre and reach (one half-width column when
        symmetric), then any column that is one column less another (later columns from
        earlier ones)."""
        numbers = self._numbers()
        for top, bottom in bands:
            if top == bottom or not {top, bottom} <= numbers.keys():
                continue
            centres = [c for c in numbers if self._allowed({top, bottom}, c)]
            high, low = numbers[top], numbers[bottom]
            best = _centre(high, low, [numbers[c] for c in centres])
            if best is None:
                continue
            centre = numbers[centres[best]]
            ups = self.add(high.less(centre, null=high.null).column())
            downs = self.add(centre.less(low, null=low.null).column())
            if self._allowed({top, bottom}, ups, downs):
                self._ops[top] = {"$add": [centres[best], ups]}
                self._ops[bottom] = {"$sub": [centres[best], downs]}
        numbers = self._numbers()
        indices = list(numbers)
        values = np.array([units.values for units in numbers.values()], dtype=np.int64)
        null = np.array([units.null for units in numbers.values()], dtype=np.bool_)
        for row in reversed(range(len(indices))):
            for a, b in _differences(row, values, null):
                if self._allowed({indices[row]}, indices[a], indices[b]):
                    self._ops[indices[row]] = {"$sub": [indices[a], indices[b]]}
                    break

    def _numbers(self) -> dict[int, Units]:
        """The columns ops may read and rebuild, in units (columns are only ever added)."""
        for i in range(len(self._units), len(self.values)):
            self._units[i] = Units.of(self.values[i])
        return {i: units for i, units in self._units.items() if units is not None}

    def _allowed(self, targets: set[int], *operands: int) -> bool:
        """Whether ops may rebuild ``targets`` from ``operands``: no target has an op yet, and
        none would be rebuilt from itself."""
        return not targets & self._ops.keys() and not any(self._reads(i, targets) for i in operands)

    def _reads(self, column: int, targets: set[int]) -> bool:
        """Whether ``column`` is one of ``targets`` or is rebuilt from one."""
        op = self._ops.get(column)
        return column in targets or (
            op is not None and any(self._reads(i, targets) for i in _operands(op))
        )

    def encoded(self) -> list[Any]:
        """The columns as sent: an op where one was found, else the values."""
        axis = self.values[0]
        step = next((s for s in STEPS if axis and _labels(axis[0], len(axis), s) == axis), None)
        ops: dict[int, Any] = {
            **self._ops,
            **({0: {"$dates": [axis[0], len(axis), step]}} if step else {}),
        }
        return [ops.get(i, column) for i, column in enumerate(self.values)]


def resolve(specs: list[Any]) -> list[Column]:
    """Every column of a packed figure, with its ops carried out (app.js mirrors this)."""
    done: dict[int, Column] = {}

    def column(i: int) -> Column:
        if i not in done:
            spec = specs[i]
            if isinstance(spec, list):
                done[i] = spec
            elif "$dates" in spec:
                done[i] = dates(*spec["$dates"])
            else:
                left, right = (column(j) for j in _operands(spec))
                done[i] = _sum(left, right, sign=1 if "$add" in spec else -1)
        return done[i]

    return [column(i) for i in range(len(specs))]


def _operands(op: Op) -> list[int]:
    return next(iter(op.values()))


def _sum(left: Column, right: Column, *, sign: int) -> Column:
    return [
        None if x is None or y is None else round(x + sign * y, DIGITS) + 0  # never −0.0
        for x, y in zip(left, right, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Units:
    """A column of numbers as integers of 10^-DIGITS, 0 where null: exact to add and compare."""

    values: NDArray[np.int64]
    null: NDArray[np.bool_]
    ints: NDArray[np.bool_]  # Python ints: a sum of two stays an int

    @classmethod
    def of(cls, column: Column) -> Units | None:
        """The column in units, if ops may read it (see the module's docstring)."""
        kinds = set(map(type, column)) - {type(None)}
        if not kinds or not kinds <= {int, float}:
            return None
        try:
            numbers = np.array(column, dtype=np.float64)  # None as NaN
        except OverflowError:  # an int beyond every float
            return None
        null = np.isnan(numbers)
        units = np.rint(numbers * SCALE)
        present = numbers[~null]
        exact = (
            np.count_nonzero(null) == column.count(None)  # no NaN among the numbers
            and bool((np.abs(present) < LARGEST).all())
            and bool((units[~null] / SCALE == present).all())
        )
        if not exact:
            return None
        units[null] = 0
        if len(kinds) > 1:
            return cls(units.astype(np.int64), null, np.array([type(v) is int for v in column]))
        return cls(units.astype(np.int64), null, np.full(len(units), int in kinds))

    def less(self, other: Units, *, null: NDArray[np.bool_]) -> Units:
        """``self − other``, null where ``null`` holds."""
        values = np.where(null, 0, self.values - other.values)
        return Units(values, null, self.ints & other.ints)

    def column(self) -> Column:
        """The numbers as the figure holds them: ints, or each float nearest its units."""
        found = (self.values / SCALE).astype(object)
        found[self.ints] = (self.values[self.ints] // SCALE).astype(object)
        found[self.null] = None
        numbers: Column = found.tolist()
        return numbers


def _centre(top: Units, bottom: Units, centres: list[Units]) -> int | None:
    """Which of ``centres`` a band is most symmetric about (the first such), as long as it is
    symmetric somewhere and exists wherever a bound does, so that both bounds come back."""
    if not centres:
        return None
    values = np.stack([c.values for c in centres])
    null = np.stack([c.null for c in centres])
    whole = ~(null & ~(top.null & bottom.null)).any(axis=1)
    both = ~top.null & ~bottom.null
    symmetric = (both & (top.values + bottom.values == 2 * values)).sum(axis=1)
    symmetric[~whole] = -1
    best = int(np.argmax(symmetric))
    return best if symmetric[best] > 0 else None


def _differences(
    target: int, values: NDArray[np.int64], null: NDArray[np.bool_]
) -> list[tuple[int, int]]:
    """The rows ``(a, b)``, in order, of which row ``target`` is ``a − b`` (null where either
    is): every pair tried on a sample of the target's periods, the pairs left on all of them."""
    present = np.flatnonzero(~null[target])
    sample = present[:: max(1, len(present) // SAMPLE)]
    some, known = values[:, sample], ~null[:, sample]
    fits = (some[:, None] - some[None, :] == some[target]) & known[:, None] & known[None, :]
    pairs = np.argwhere(fits.all(axis=2))
    a, b = pairs[:, 0], pairs[:, 1]
    nulls = null[a] | null[b]
    same = (values[a] - values[b] == values[target]) | nulls
    whole = (nulls == null[target]).all(axis=1) & same.all(axis=1)
    return [(i, j) for i, j in pairs[whole].tolist() if len({i, j, target}) == 3]


def _labels(first: Any, count: int, step: str) -> list[str] | None:
    """The period labels a ``$dates`` op would give, if ``first`` is a label at all."""
    try:
        return dates(first, count, step)
    except (TypeError, ValueError):
        return None
