"""How much repeat authors widen an interval: the design effect of a voice's windows.

Posts of one author are alike, so n posts by fewer authors tell less than n independent ones.
With ρ the correlation of two documents by one author and κ the share of a window's document
pairs that share an author, the mean correlation of two documents is ρ·κ and

    Var(mean) = σ²/n · deff,  deff = 1 + ρ·κ·(n − 1) = 1 + ρ·(m̃ − 1),

m̃ = Σm²/Σm being the size-weighted mean number of documents per author in the window (with
engagement weights, n is the effective n and κ the weighted share of pairs). The roll-ups hold
no authors, so ρ and κ are estimated from a bounded sample of the voice's documents (its
authors and scores, read by :mod:`ravine.repository.authors`) over windows of the length the
statistics pool: periods, smoothing windows, corporate windows or reaction sides. Each
window's own n then gives its design effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ravine.analytics.options import Metric
from ravine.rollup import NEGATIVE_MAX, POSITIVE_MIN, SCALE

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class AuthorSample:
    """Some of a voice's counted documents, oldest first: ``at`` (seconds since the epoch),
    ``author`` (one code per author, from 0; a document without an author has a code of its
    own), ``x`` (compound × 10⁴) and ``weight`` (its engagement weight)."""

    at: NDArray[np.int64]
    author: NDArray[np.int64]
    x: NDArray[np.int64]
    weight: NDArray[np.int64]

    @classmethod
    def empty(cls) -> AuthorSample:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none)

    @property
    def nbytes(self) -> int:
        return int(self.at.nbytes + self.author.nbytes + self.x.nbytes + self.weight.nbytes)


@dataclass(frozen=True)
class Clustering:
    """The estimates behind a voice's design effects (see the module's docstring).

    ``rho`` is the intra-author correlation (ANOVA estimator, at least 0), ``pair_share`` κ,
    ``documents`` the sampled documents inside the windows the estimate used, and
    ``clusters`` their distinct (window, author) pairs.
    """

    rho: float
    pair_share: float
    documents: int
    clusters: int

    def deff(self, n_eff: Floats) -> Floats:
        """1 + ρ·κ·(n_eff − 1) per row: 1 for a single document, NaN where n_eff is."""
        found: Floats = 1 + self.rho * self.pair_share * (np.asarray(n_eff) - 1)
        return found


INDEPENDENT = Clustering(rho=0.0, pair_share=0.0, documents=0, clusters=0)
"""Every document its own author: a design effect of 1."""


def per_document(x: NDArray[np.int64], metric: Metric) -> Floats:
    """The metric's y of each document from its x = compound × 10⁴ (see ``Metric``)."""
    if metric == "compound":
        return x / SCALE
    negative = (x <= NEGATIVE_MAX).astype(np.float64)
    if metric == "negative_share":
        return negative
    return (x >= POSITIVE_MIN).astype(np.float64) - negative


def estimate(
    sample: AuthorSample,
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    *,
    metric: Metric,
    weighted: bool,
) -> Clustering:
    """ρ and κ from the sample's documents in windows [starts[i], ends[i]) (seconds).

    Windows may overlap (smoothing, trailing windows, reaction sides): the estimate uses
    disjoint ones, the latest first, so each sampled document counts at most once. ρ is the
    one-way ANOVA estimator over (window, author) clusters, each window's mean taken out
    first (sentiment moves from window to window; that is no likeness of authors).
    """
    window = _window_of(sample.at, *_disjoint(starts, ends))
    inside = window >= 0
    if not inside.any():
        return INDEPENDENT
    window, author = window[inside], sample.author[inside]
    y = per_document(sample.x[inside], metric)
    w = sample.weight[inside].astype(np.float64) if weighted else np.ones(len(y))
    span = int(author.max()) + 1
    keys, cluster, m = np.unique(window * span + author, return_inverse=True, return_counts=True)
    distinct, windows = np.unique(window, return_inverse=True)  # windows numbered 0..P − 1
    home = np.searchsorted(distinct, keys // span)  # each cluster's window
    places = len(distinct)
    pair_share = _pair_share(w, cluster, windows, home, places)
    rho = _anova_rho(y, cluster, windows, home, m, places)
    return Clustering(rho=rho, pair_share=pair_share, documents=len(y), clusters=len(keys))


def _disjoint(
    starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Non-overlapping windows, ascending, picked greedily from the latest end back (the
    sample holds the latest documents)."""
    order = np.lexsort((-starts, -ends))
    kept: list[tuple[int, int]] = []
    floor = None
    for start, end in zip(starts[order].tolist(), ends[order].tolist(), strict=True):
        if end > start and (floor is None or end <= floor):
            kept.append((start, end))
            floor = start
    kept.reverse()
    pairs = np.array(kept, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _window_of(
    at: NDArray[np.int64], starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Each instant's window among disjoint ascending ones, −1 where none holds it."""
    found = np.searchsorted(starts, at, side="right") - 1
    holds = (found >= 0) & (at < ends[np.maximum(found, 0)])
    return np.where(holds, found, -1).astype(np.int64)


def _pair_share(
    w: Floats,
    cluster: NDArray[np.intp],
    windows: NDArray[np.intp],
    home: NDArray[np.intp],
    places: int,
) -> float:
    """κ: Σ over windows of the weight products of distinct documents by one author, over
    the same sum for all pairs of distinct documents (w = 1 counts pairs)."""
    per_cluster = np.bincount(cluster, weights=w)
    total = np.bincount(windows, weights=w, minlength=places)
    squares = np.bincount(windows, weights=w * w, minlength=places)
    same = np.bincount(home, weights=per_cluster * per_cluster, minlength=places) - squares
    every = total * total - squares
    denominator = float(every.sum())
    return float(same.sum()) / denominator if denominator > 0 else 0.0


def _anova_rho(
    y: Floats,
    cluster: NDArray[np.intp],
    windows: NDArray[np.intp],
    home: NDArray[np.intp],
    m: NDArray[np.int64],
    places: int,
) -> float:
    """The ANOVA estimator of the intra-author correlation, within windows, truncated at 0.

    Between-cluster and within-cluster mean squares around each window's mean; n₀ is the
    unbalanced design's cluster size, (N − Σ_windows Σm²/n) / (G − P). Without two clusters
    in some window, or without an author of two documents, there is nothing to estimate: 0.
    """
    count, clusters = len(y), len(m)
    between_df, within_df = clusters - places, count - clusters
    if between_df <= 0 or within_df <= 0:
        return 0.0
    cluster_sum = np.bincount(cluster, weights=y)
    window_sum = np.bincount(windows, weights=y, minlength=places)
    window_n = np.bincount(windows, minlength=places).astype(np.float64)
    cluster_part = float((cluster_sum * cluster_sum / m).sum())
    within = float((y * y).sum()) - cluster_part
    between = cluster_part - float((window_sum * window_sum / window_n).sum())
    squares = np.bincount(home, weights=(m * m).astype(np.float64), minlength=places)
    n0 = (count - float((squares / window_n).sum())) / between_df
    ms_between, ms_within = between / between_df, max(within, 0.0) / within_df
    spread = max((ms_between - ms_within) / n0, 0.0) if n0 > 0 else 0.0
    return spread / (spread + ms_within) if spread + ms_within > 0 else 0.0
