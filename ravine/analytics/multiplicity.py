"""Benjamini–Hochberg control of the false discovery rate over a family of tests: among
twenty entities or hundreds of statements some CIs leave 0 out by chance alone."""

from __future__ import annotations

import math

import numpy as np

from ravine.analytics.stats import Floats

FDR = 0.05
"""The false discovery rate a ``discovery`` is called at."""


def q_values(p: Floats) -> Floats:
    """Benjamini–Hochberg adjusted p-values: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j, capped
    at 1, over the m finite p-values (NaN, no test, stays NaN and is not in the family).
    Calling discoveries where q ≤ FDR keeps the expected share of false ones at most FDR
    (for independent or positively dependent tests)."""
    p = np.asarray(p, dtype=np.float64)
    q = np.full(len(p), np.nan)
    tested = np.flatnonzero(np.isfinite(p))
    m = len(tested)
    if m == 0:
        return q
    order = tested[np.argsort(p[tested], kind="stable")]
    scaled = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return q


def discoveries(q: Floats) -> list[bool | None]:
    """Per test, whether it is a discovery at :data:`FDR` (q ≤ FDR); None without a test."""
    return [None if math.isnan(value) else value <= FDR for value in np.asarray(q).tolist()]
