"""Per-voice statistics from pooled moments, and the Welch CI of a difference of two means."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats as _scipy_stats

from ravine.analytics.clusters import INDEPENDENT, Clustering
from ravine.analytics.sums import Moments

Floats = NDArray[np.float64]
Reasons = list[str | None]


def t_quantile(df: Floats) -> Floats:
    """Two-sided 95% Student t quantile; NaN where df is NaN or not positive."""
    return np.asarray(_scipy_stats.t.ppf(0.975, df), dtype=np.float64)


@dataclass(frozen=True)
class VoiceStats:
    """One voice's statistics per row (period or reaction side); NaN where null.

    ``n_eff`` is the effective number of documents, (Σw)² / Σw² (n when unweighted, NaN
    without documents): a few heavily weighted documents among many count as few. ``deff`` is
    the design effect the CI allows for repeat authors (1 + ρ·κ·(n_eff − 1), see
    :mod:`ravine.analytics.clusters`; NaN where there is no CI). ``se2`` is the squared
    standard error of the mean (variance / n_eff × deff) and ``df`` the t degrees of freedom
    (n_eff / deff − 1); both feed the Welch CI. ``reason`` says why any of value, sd or CI is
    null, and is None when none is.
    """

    n: NDArray[np.int64]
    n_eff: Floats
    deff: Floats
    value: Floats
    sd: Floats
    se2: Floats
    df: Floats
    ci_low: Floats
    ci_high: Floats
    reason: Reasons


def null_reason(n: int, min_n: int, n_eff: float | None = None) -> str | None:
    """Why a row with ``n`` documents (``n_eff`` effective, when weighted) has no value, or
    no sd and CI."""
    if n == 0:
        return "no documents"
    if n < min_n:
        return f"fewer than {min_n:,} documents ({n:,})"
    if n == 1:
        return "only 1 document: no standard deviation or CI"
    if n_eff is not None and n_eff < min_n:
        return f"effective n {n_eff:.2f} below {min_n:,} ({n:,} documents, a few weigh most)"
    if n_eff is not None and n_eff < MIN_N_EFF_FOR_CI:
        return f"effective n {n_eff:.2f}: too few for a CI ({n:,} documents, a few weigh most)"
    return None


MIN_N_EFF_FOR_CI = 2.0
"""Below this effective n a t interval has under one degree of freedom and runs to ±10¹⁰."""


def describe(m: Moments, *, min_n: int, clustering: Clustering = INDEPENDENT) -> VoiceStats:
    """Mean, sample sd (n − 1, or its weighted form) and 95% t CI of the mean, row by row.

    The CI allows for repeat authors: its squared standard error is var / n_eff times the
    row's design effect under ``clustering``, on n_eff / deff − 1 degrees of freedom, and a
    row with under 2 effective documents after that has no CI.

    With weights w (all 1 when unweighted) the variance is (Σw·Σwy² − (Σwy)²) / ((Σw)² − Σw²),
    which equals (Σwy²/Σw − mean²) · n_eff/(n_eff − 1) with n_eff = (Σw)²/Σw², and is the usual
    Σ(y − mean)²/(n − 1) when every w is 1. Numerator and denominator are exact integers, and
    each quotient is the correctly rounded value of the exact fraction: rows whose integers
    stay below 2⁵² are divided as floats (exact operands, one rounding), the rest as Python
    integers (the same result, computed more slowly).
    """
    n = m.n.astype(np.int64)
    count = len(n)
    mean, var, n_eff = (np.full(count, np.nan) for _ in range(3))
    effective = _effective_n(m)
    rows = np.flatnonzero((n >= min_n) & (effective >= min_n * (1 - _ROUNDING)))
    small = _fits_floats(m, rows)
    _divide_as_floats(m, rows[small], mean=mean, var=var, n_eff=n_eff)
    scale_sq = m.scale * m.scale
    for i in rows[~small]:
        w, w_sq, s1, s2 = int(m.w[i]), int(m.w_sq[i]), int(m.s1[i]), int(m.s2[i])
        mean[i] = s1 / (w * m.scale)
        n_eff[i] = w * w / w_sq
        if w * w > w_sq:
            var[i] = (w * s2 - s1 * s1) / ((w * w - w_sq) * scale_sq)
    var[n_eff < MIN_N_EFF_FOR_CI] = np.nan
    deff = clustering.deff(n_eff)
    independent = n_eff / deff
    too_clustered = np.isfinite(var) & (independent < MIN_N_EFF_FOR_CI)
    se2 = np.where(too_clustered, np.nan, var) / n_eff * deff
    df = independent - 1
    half = t_quantile(df) * np.sqrt(se2)
    reasons = _reasons(n, effective, min_n)
    for i in np.flatnonzero(too_clustered).tolist():
        reasons[i] = (
            f"effective n {independent[i]:.2f} allowing for repeat authors (design effect "
            f"{deff[i]:.2f}): too few for a CI"
        )
    return VoiceStats(
        n=n,
        n_eff=effective,
        deff=np.where(np.isfinite(se2), deff, np.nan),
        value=mean,
        sd=np.sqrt(var),
        se2=se2,
        df=df,
        ci_low=mean - half,
        ci_high=mean + half,
        reason=reasons,
    )


_ROUNDING = 1e-12  # equal weights give n_eff = n, give or take the last bit of a float


def _effective_n(m: Moments) -> Floats:
    """(Σw)² / Σw² per row as a float (n itself when unweighted), NaN without documents."""
    w, w_sq = m.w.astype(np.float64), m.w_sq.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        found: Floats = np.where(w_sq > 0, w * w / w_sq, np.nan)
    return found


def _reasons(n: NDArray[np.int64], n_eff: Floats, min_n: int) -> Reasons:
    """:func:`null_reason` of each row, asked only of rows with too few documents, or too few
    effective ones, for a CI."""
    reasons: Reasons = [None] * len(n)
    floor = max(min_n, MIN_N_EFF_FOR_CI)
    weighted = n_eff < n * (1 - _ROUNDING)  # unweighted, or equal weights: n_eff is n
    for i in np.flatnonzero((n < floor) | (weighted & (n_eff < floor))).tolist():
        reasons[i] = null_reason(int(n[i]), min_n, float(n_eff[i]) if weighted[i] else None)
    return reasons


_EXACT = float(2**52)  # integers below this are exact as floats, with room for estimates


def _fits_floats(m: Moments, rows: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Which rows have every integer of :func:`describe` (operands and products) below 2⁵²,
    judged on float estimates with a factor-of-two margin."""
    w, w_sq, s1, s2 = (np.abs(a[rows].astype(np.float64)) for a in (m.w, m.w_sq, m.s1, m.s2))
    scale = float(m.scale)
    largest = np.maximum.reduce(
        [s1, w * scale, w * w, w_sq, w * s2, s1 * s1, (w * w + w_sq) * scale * scale]
    )
    fits: NDArray[np.bool_] = largest < _EXACT
    return fits


def _divide_as_floats(
    m: Moments, rows: NDArray[np.intp], *, mean: Floats, var: Floats, n_eff: Floats
) -> None:
    """:func:`describe`'s quotients for rows whose integers fit in 52 bits: exact int64
    arithmetic, then one float division each."""
    w, w_sq, s1, s2 = (a[rows].astype(np.int64) for a in (m.w, m.w_sq, m.s1, m.s2))
    mean[rows] = s1 / (w * m.scale)
    n_eff[rows] = (w * w) / w_sq
    spread = w * w > w_sq
    numerator = w * s2 - s1 * s1
    denominator = (w * w - w_sq) * (m.scale * m.scale)
    var[rows[spread]] = numerator[spread] / denominator[spread]


def welch(a: VoiceStats, b: VoiceStats) -> tuple[Floats, Floats, Floats]:
    """a − b with its 95% Welch CI (Welch–Satterthwaite degrees of freedom).

    df = (se²_a + se²_b)² / (se⁴_a / df_a + se⁴_b / df_b). When both standard errors are 0
    (every document on each side scores the same) the CI is the difference itself.
    """
    diff = a.value - b.value
    se2 = a.se2 + b.se2
    with np.errstate(divide="ignore", invalid="ignore"):
        df = se2 * se2 / (a.se2 * a.se2 / a.df + b.se2 * b.se2 / b.df)
        half = np.where(se2 == 0, 0.0, t_quantile(df) * np.sqrt(se2))
    return diff, diff - half, diff + half


def joined_reasons(parts: dict[str, Reasons]) -> Reasons:
    """Per row, "corporate: …; public: …" for the parts that have a reason, else None."""
    rows = zip(*parts.values(), strict=True)
    return [
        "; ".join(f"{name}: {r}" for name, r in zip(parts, row, strict=True) if r)
        if any(row)  # most rows have no reason at all
        else None
        for row in rows
    ]


def reason_column(reasons: Reasons) -> pd.Series:
    """Reasons as an object column, so "nothing is null" stays None rather than NaN."""
    return pd.Series(reasons, dtype=object)
