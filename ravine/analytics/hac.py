"""Newey–West standard errors for statistics over periods: neighbouring periods of a ravine
move together, so counting each as an independent observation makes intervals too narrow.

A statistic here is a least-squares coefficient β = x'y / x'x over the periods that have a
value (the mean: x = 1; the trend: x = days from the mean day, after the intercept). Its
variance is estimated from the scores v = x·û (û the residuals) as Ω / (x'x)², with the
Bartlett (Newey–West) long-run sum Ω = Σᵢⱼ w(|pᵢ − pⱼ|) vᵢ vⱼ, w(j) = 1 − j / (L + 1) for
j ≤ L and 0 beyond, where pᵢ is the period's place in the series: a period without a value
counts as a zero score (Parzen's amplitude-modulated series), so lags are periods of time.

- Lag: L = ⌈1.3 √T⌉ − 1, T the periods from the first with a value to the last (the
  truncation S = L + 1 = 1.3 T^½ of Lazarus, Lewis, Stock & Watson, "HAR inference:
  recommendations for practice", 2018: longer than the classic 4 (T/100)^(2/9), which leaves
  most of an AR(1)'s autocorrelation out at these lengths).
- Scale: Ω is divided by its expectation under independent periods (tr A / x'x, with
  A = M D W D M, M the residual maker, D = diag(x)), so that with independent periods the
  variance is unbiased; with L = 0 this is the usual k − 1 divisor of the mean.
- Degrees of freedom: Satterthwaite's ν = (tr A)² / tr(A²), the χ² that matches the
  estimate's first two moments under independence (k − 1 for the mean when L = 0). The CI
  is value ± t_ν · se. A long lag thus costs degrees of freedom, which the t quantile pays
  for, instead of an interval that is too short.

All of it is O(k L): W is never formed, only its L bands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ravine.analytics.stats import Floats

METHOD = "newey_west"
"""What the summary's intervals are, as the API names it."""

Positions = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Fit:
    """A coefficient with its Newey–West standard error, t degrees of freedom and lag."""

    value: float
    se: float
    df: float
    lag: int


def bartlett_lag(span: int) -> int:
    """The largest lag with a weight, L = ⌈1.3 √T⌉ − 1, for T periods of time."""
    return max(0, math.ceil(1.3 * math.sqrt(span)) - 1)


def mean_fit(y: Floats, positions: Positions) -> Fit:
    """The mean of ``y`` (values at the periods ``positions``, ascending, at least 2)."""
    ones = np.ones(len(y))
    return _fit(y, ones, ones[:, None] / math.sqrt(len(y)), positions)


def slope_fit(x: Floats, y: Floats, positions: Positions) -> Fit:
    """The least-squares slope of ``y`` on ``x`` (at least 3 distinct x)."""
    dx = x - x.mean()
    basis = np.column_stack([np.full(len(y), 1 / math.sqrt(len(y))), dx / math.sqrt(dx @ dx)])
    return _fit(y, dx, basis, positions)


def _fit(y: Floats, x: Floats, basis: Floats, positions: Positions) -> Fit:
    """β = x'y / x'x, ``x`` orthogonal to the other regressors; ``basis`` is an orthonormal
    basis of all of them (x included)."""
    lag = bartlett_lag(int(positions[-1] - positions[0]) + 1)
    weights = _Bartlett(positions, lag)
    sxx = float(x @ x)
    residuals = y - basis @ (basis.T @ y)
    scores = x * residuals
    # A = M B M with B = D W D: its traces from B's bands and B applied to the basis.
    b_basis = np.column_stack([x * weights.apply(x * q) for q in basis.T])
    projected = basis.T @ b_basis
    trace = sxx - float(np.trace(projected))
    trace_sq = weights.frobenius_sq(x) - 2 * float((b_basis**2).sum()) + float((projected**2).sum())
    variance = weights.quadratic(scores) / (trace * sxx)
    return Fit(
        value=float(x @ y) / sxx,
        se=math.sqrt(max(variance, 0.0)),
        df=trace * trace / trace_sq,
        lag=lag,
    )


class _Bartlett:
    """W's nonzero off-diagonals as an L × k array: row m − 1 holds the weight of each pair
    (i, i + m) of rows, 0 where the periods lie more than the lag apart or i + m is past the
    end. Rows are distinct periods, so rows more than the lag apart are too."""

    def __init__(self, positions: Positions, lag: int) -> None:
        k = len(positions)
        offsets = np.arange(1, min(lag, k - 1) + 1)
        partner = np.arange(k)[None, :] + offsets[:, None]
        inside = partner < k
        self.partner = np.minimum(partner, k - 1)
        at = positions / (lag + 1)  # in units of the lag + 1, as floats
        self.weight = np.where(inside, np.maximum(1 - (at[self.partner] - at[None, :]), 0.0), 0.0)

    def pairs(self, a: Floats, b: Floats) -> Floats:
        """Per band and row i, w · a_i · b_(i + m)."""
        found: Floats = self.weight * a[None, :] * b[self.partner]
        return found

    def apply(self, z: Floats) -> Floats:
        """W z."""
        ahead = (self.weight * z[self.partner]).sum(axis=0)
        behind = np.bincount(
            self.partner.ravel(), weights=(self.weight * z[None, :]).ravel(), minlength=len(z)
        )
        found: Floats = z + ahead + behind
        return found

    def quadratic(self, v: Floats) -> float:
        """v' W v."""
        return float(v @ v) + 2 * float(self.pairs(v, v).sum())

    def frobenius_sq(self, x: Floats) -> float:
        """Σᵢⱼ Bᵢⱼ² for B = D W D, D = diag(x): tr(B²)."""
        x2 = x * x
        return float(x2 @ x2) + 2 * float((self.pairs(x, x) ** 2).sum())
