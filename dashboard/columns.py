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
"""

from __future__ import annotations

import json
from typing import Any

from dashboard.timeline import STEPS, dates

DIGITS = 3
"""Decimals of the ops' sums: the figure's numbers have no more."""

Column = list[Any]
Op = dict[str, list[int]]


class Columns:
    """The distinct columns of a figure (arrays as long as its x axis, column 0) and the ops
    found to rebuild some of them."""

    def __init__(self, axis: Column) -> None:
        self.values: list[Column] = []
        self._index: dict[str, int] = {}
        self._ops: dict[int, Op] = {}
        self.add(axis)

    def add(self, values: Column) -> int:
        key = json.dumps(values)
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
            if top == bottom or not {top, bottom} <= set(numbers):
                continue
            centres = [c for c in numbers if self._allowed({top, bottom}, c)]
            reaches = [self._reaches(top, bottom, centre) for centre in centres]
            found = [(c, r) for c, r in zip(centres, reaches, strict=True) if r is not None]
            # The centre the band is most symmetric about (symmetric: the first such).
            best = max(found, key=lambda pair: _symmetric(*pair[1]), default=None)
            if best is None or _symmetric(*best[1]) == 0:
                continue
            centre, (up, down) = best
            ups, downs = self.add(up), self.add(down)
            if self._allowed({top, bottom}, ups, downs):
                self._ops[top] = {"$add": [centre, ups]}
                self._ops[bottom] = {"$sub": [centre, downs]}
        numbers = self._numbers()
        for target in reversed(numbers):
            for a, b in ((a, b) for a in numbers for b in numbers if len({a, b, target}) == 3):
                fits = _fits(self.values[target], self.values[a], self.values[b], sign=-1)
                if fits and self._allowed({target}, a, b):
                    self._ops[target] = {"$sub": [a, b]}
                    break

    def _reaches(self, top: int, bottom: int, centre: int) -> tuple[Column, Column] | None:
        """``top − centre`` and ``centre − bottom``, rounded, if they give both bounds back."""
        t, b, c = self.values[top], self.values[bottom], self.values[centre]
        up, down = _reach(t, c, sign=1), _reach(b, c, sign=-1)
        return None if up is None or down is None else (up, down)

    def _numbers(self) -> list[int]:
        return [i for i, column in enumerate(self.values) if _numbers(column)]

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


def _fits(target: Column, left: Column, right: Column, *, sign: int) -> bool:
    """Whether ``target`` is ``_sum(left, right)``, stopping at the first difference."""
    return all(
        (t is None) if x is None or y is None else t == round(x + sign * y, DIGITS)
        for t, x, y in zip(target, left, right, strict=True)
    )


def _reach(bound: Column, centre: Column, *, sign: int) -> Column | None:
    """``sign · (bound − centre)`` rounded, if ``centre + sign ·`` it gives ``bound`` back and
    both are null together."""
    reach: Column = []
    for t, c in zip(bound, centre, strict=True):
        if t is None or c is None:
            if t is not None:
                return None
            reach.append(None)
            continue
        r = round(sign * (t - c), DIGITS) + 0
        if round(c + sign * r, DIGITS) != t:
            return None
        reach.append(r)
    return reach


def _symmetric(up: Column, down: Column) -> int:
    """Periods where a band reaches as far up as down (the more, the better its centre)."""
    return sum(u is not None and u == d for u, d in zip(up, down, strict=True))


def _numbers(column: Column) -> bool:
    """Numbers or nulls, and at least one number."""
    kinds = {type(v) for v in column}
    return bool(kinds & {int, float}) and kinds <= {int, float, type(None)}


def _labels(first: Any, count: int, step: str) -> list[str] | None:
    """The period labels a ``$dates`` op would give, if ``first`` is a label at all."""
    try:
        return dates(first, count, step)
    except (TypeError, ValueError):
        return None
