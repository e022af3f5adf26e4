"""The repeat-author estimates (ρ and κ) and how a design effect widens each interval."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest
from scipy import stats

from ravine.analytics.clusters import INDEPENDENT, AuthorSample, Clustering, estimate
from ravine.analytics.stats import describe, welch
from ravine.analytics.sums import Moments
from tests.analytics.builders import near

DAY = 86_400


def sample(
    at: list[int], authors: list[int], y: list[float], w: list[int] | None = None
) -> AuthorSample:
    return AuthorSample(
        at=np.array(at, dtype=np.int64),
        author=np.array(authors, dtype=np.int64),
        x=np.round(np.array(y) * 10_000).astype(np.int64),
        weight=np.array(w or [1] * len(at), dtype=np.int64),
    )


def days(count: int) -> tuple[np.ndarray, np.ndarray]:
    starts = np.arange(count, dtype=np.int64) * DAY
    return starts, starts + DAY


def test_the_pair_share_counts_pairs_by_one_author() -> None:
    # Day 0: authors 0, 0, 1, 2, 2, 2 (Σm² = 14 of n = 6: 8 of 30 ordered pairs); day 1:
    # authors 3, 3, 4, 4 (4 of 12). κ = 12 / 42.
    at = [10, 20, 30, 40, 50, 60, DAY + 1, DAY + 2, DAY + 3, DAY + 4]
    authors = [0, 0, 1, 2, 2, 2, 3, 3, 4, 4]
    found = estimate(sample(at, authors, [0.1] * 10), *days(2), metric="compound", weighted=False)
    assert found.pair_share == near(12 / 42)
    assert (found.documents, found.clusters) == (10, 5)


def test_with_engagement_weights_pairs_weigh_their_weights_product() -> None:
    # One day: author 0 posts weights 1 and 3, author 1 weight 2. Same-author products 2·1·3
    # of all 2·(1·3 + 1·2 + 3·2): κ = 6 / 22; unweighted 2 / 6.
    found = estimate(
        sample([1, 2, 3], [0, 0, 1], [0.1, 0.2, 0.3], [1, 3, 2]), *days(1), metric="compound",
        weighted=True,
    )  # fmt: skip
    assert found.pair_share == near(6 / 22)
    plain = estimate(sample([1, 2, 3], [0, 0, 1], [0.1, 0.2, 0.3]), *days(1), metric="compound",
                     weighted=False)  # fmt: skip
    assert plain.pair_share == near(2 / 6)


def anova_rho(window: list[int], author: list[int], y: list[float]) -> float:
    """The textbook one-way ANOVA estimator over (window, author) clusters, each window's
    mean taken out, written out loop by loop."""
    clusters: defaultdict[tuple[int, int], list[float]] = defaultdict(list)
    windows: defaultdict[int, list[float]] = defaultdict(list)
    for p, a, v in zip(window, author, y, strict=True):
        clusters[p, a].append(v)
        windows[p].append(v)
    mean = {p: sum(v) / len(v) for p, v in windows.items()}
    within = sum((v - sum(vs) / len(vs)) ** 2 for vs in clusters.values() for v in vs)
    between = sum(len(vs) * (sum(vs) / len(vs) - mean[p]) ** 2 for (p, _), vs in clusters.items())
    n, g, k = len(y), len(clusters), len(windows)
    squares = sum(len(vs) ** 2 / len(windows[p]) for (p, _), vs in clusters.items())
    n0 = (n - squares) / (g - k)
    msb, msw = between / (g - k), within / (n - g)
    spread = max((msb - msw) / n0, 0.0)
    return spread / (spread + msw)


def test_rho_is_the_anova_estimator_within_windows() -> None:
    rng = np.random.default_rng(3)
    window = np.sort(rng.integers(0, 3, 200))
    authors = rng.integers(0, 15, 200)
    effect = rng.normal(0, 0.2, 15)
    y = np.round(effect[authors] + rng.normal(0, 0.2, 200) + 0.3 * window, 4)
    at = window * DAY + np.arange(200)  # ascending
    found = estimate(
        sample(at.tolist(), authors.tolist(), y.tolist()),
        *days(3),
        metric="compound",
        weighted=False,
    )
    assert found.rho == near(anova_rho(window.tolist(), authors.tolist(), y.tolist()))
    assert found.rho > 0.2


def test_rho_recovers_a_simulated_intra_author_correlation() -> None:
    rng = np.random.default_rng(11)
    authors = rng.integers(0, 2_000, 20_000)
    effect = rng.normal(0, math.sqrt(0.3) * 0.3, 2_000)
    y = effect[authors] + rng.normal(0, math.sqrt(0.7) * 0.3, 20_000)
    at = np.sort(rng.integers(0, 10 * DAY, 20_000))
    found = estimate(
        sample(at.tolist(), authors.tolist(), y.tolist()),
        *days(10),
        metric="compound",
        weighted=False,
    )
    assert found.rho == pytest.approx(0.3, abs=0.03)


def test_a_window_moving_is_no_likeness_of_its_authors() -> None:
    # Every author posts twice in a day, with no effect of their own; day 1 sits 0.8 above
    # day 0. Across days the authors would look alike; within each, they do not.
    rng = np.random.default_rng(5)
    at = [d * DAY + i for d in range(2) for i in range(400)]
    authors = [d * 200 + i // 2 for d in range(2) for i in range(400)]
    y = [0.8 * d + float(rng.normal(0, 0.1)) for d in range(2) for _ in range(400)]
    found = estimate(sample(at, authors, y), *days(2), metric="compound", weighted=False)
    assert found.rho < 0.1


def test_without_repeat_authors_there_is_no_design_effect() -> None:
    at = list(range(0, 3 * DAY, DAY // 10))  # ten documents a day
    y = [0.1 * (i % 5) for i in range(len(at))]
    anonymous = estimate(
        sample(at, list(range(len(at))), y), *days(3), metric="compound", weighted=False
    )
    assert anonymous.pair_share == 0 and anonymous.deff(np.array([50.0]))[0] == 1
    # One author a day (a company's own account): its likeness cannot be told from the day's.
    alone = estimate(
        sample(at, [i // 10 for i in range(len(at))], y),
        *days(3),
        metric="compound",
        weighted=False,
    )
    assert alone.pair_share == 1 and alone.rho == 0


def test_overlapping_windows_count_each_document_once() -> None:
    rng = np.random.default_rng(8)
    at = np.sort(rng.integers(0, 6 * DAY, 600))
    authors, y = rng.integers(0, 40, 600), rng.normal(0, 0.3, 600)
    starts = np.arange(6, dtype=np.int64) * DAY
    rolling = estimate(  # windows of two days ending at each day, as smooth=2 pools them
        sample(at.tolist(), authors.tolist(), y.tolist()), np.maximum(starts - DAY, 0),
        starts + DAY, metric="compound", weighted=False,
    )  # fmt: skip
    disjoint = estimate(  # the latest first: days 4–5, 2–3, 0–1
        sample(at.tolist(), authors.tolist(), y.tolist()), starts[0::2], starts[0::2] + 2 * DAY,
        metric="compound", weighted=False,
    )  # fmt: skip
    assert rolling == disjoint and rolling.documents == 600


def moments(values: list[float]) -> Moments:
    x = [round(v * 10_000) for v in values]
    one = lambda v: np.array([v], dtype=object)  # noqa: E731
    return Moments(n=one(len(x)), w=one(len(x)), w_sq=one(len(x)), s1=one(sum(x)),
                   s2=one(sum(v * v for v in x)), scale=10_000)  # fmt: skip


VALUES = [0.5, 0.1, -0.2, 0.3, 0.8, 0.0, 0.4, -0.1, 0.2, 0.6]  # n = 10


def test_a_design_effect_widens_the_standard_error_and_cuts_the_degrees_of_freedom() -> None:
    clustering = Clustering(rho=0.5, pair_share=0.2, documents=100, clusters=40)
    deff = 1 + 0.5 * 0.2 * 9  # 1.9
    found = describe(moments(VALUES), min_n=5, clustering=clustering)
    plain = describe(moments(VALUES), min_n=5)
    var = float(np.var(VALUES, ddof=1))
    assert found.deff[0] == near(deff) and plain.deff[0] == 1
    assert found.se2[0] == near(var / 10 * deff) and found.df[0] == near(10 / deff - 1)
    half = stats.t.ppf(0.975, 10 / deff - 1) * math.sqrt(var / 10 * deff)
    assert found.ci_high[0] - found.value[0] == near(half)
    assert found.sd[0] == plain.sd[0] and found.value[0] == plain.value[0]
    assert found.reason == [None]


def test_under_two_independent_documents_a_mean_has_no_interval() -> None:
    # ρ·κ = 0.6: ten posts are worth 10 / 6.4 ≈ 1.56 independent ones.
    clustering = Clustering(rho=1.0, pair_share=0.6, documents=100, clusters=10)
    found = describe(moments(VALUES), min_n=5, clustering=clustering)
    assert math.isnan(found.ci_low[0]) and math.isnan(found.deff[0])
    assert found.value[0] == near(0.26) and found.sd[0] > 0
    assert found.reason == [
        "effective n 1.56 allowing for repeat authors (design effect 6.40): too few for a CI"
    ]


def test_welch_uses_each_voices_widened_error_and_reduced_degrees_of_freedom() -> None:
    a = describe(moments(VALUES), min_n=5, clustering=Clustering(0.5, 0.2, 100, 40))
    b = describe(moments([v - 0.3 for v in VALUES[:8]]), min_n=5, clustering=INDEPENDENT)
    diff, _, high = welch(a, b)
    se2 = a.se2[0] + b.se2[0]
    df = se2**2 / (a.se2[0] ** 2 / (10 / 1.9 - 1) + b.se2[0] ** 2 / 7)
    assert high[0] - diff[0] == near(stats.t.ppf(0.975, df) * math.sqrt(se2))
