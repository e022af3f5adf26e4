"""describe() divides small integers as floats and large ones as Python integers: both give
the correctly rounded quotient, so every row equals the exact computation bit for bit."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from ravine.analytics.stats import describe
from ravine.analytics.sums import Moments


def exact(m: Moments, i: int, min_n: int) -> tuple[float, float, float]:
    """mean, variance and n_eff of row i in Python integers: the computation describe() had
    before it learnt to divide in floats. min_n applies to the documents and to the effective
    n, and a variance needs an effective n of 2."""
    if int(m.n[i]) < min_n:
        return math.nan, math.nan, math.nan
    w, w_sq, s1, s2 = int(m.w[i]), int(m.w_sq[i]), int(m.s1[i]), int(m.s2[i])
    n_eff = w * w / w_sq
    if n_eff < min_n:
        return math.nan, math.nan, math.nan
    spread = w * w > w_sq and n_eff >= 2
    var = (w * s2 - s1 * s1) / ((w * w - w_sq) * m.scale**2) if spread else math.nan
    return s1 / (w * m.scale), var, n_eff


def random_moments(rng: random.Random, rows: int, *, scale: int, big: bool) -> Moments:
    """Moments of real-looking documents: groups of c documents with score x and weight w,
    in counts and weights up to those of years of viral posts when ``big``."""
    columns: dict[str, list[int]] = {"n": [], "w": [], "w_sq": [], "s1": [], "s2": []}
    for _ in range(rows):
        totals = [0] * 5
        for _ in range(rng.randrange(0, 4)):
            c = rng.choice([1, 2, 5, 40, 10**4, 10**6] if big else [1, 2, 3, 9])
            w = rng.choice([1, 2, 7, 10**5, 3 * 10**9] if big else [1, 1, 2, 5])
            x = rng.randrange(-scale, scale + 1)
            for k, part in enumerate((c, c * w, c * w * w, c * w * x, c * w * x * x)):
                totals[k] += part
        for name, value in zip(columns, totals, strict=True):
            columns[name].append(value)
    arrays = {k: np.array(v, dtype=object) for k, v in columns.items()}
    return Moments(**arrays, scale=scale)


@pytest.mark.parametrize("big", [False, True])
@pytest.mark.parametrize("scale", [1, 10_000])
def test_every_row_equals_the_exact_quotients(big: bool, scale: int) -> None:
    rng = random.Random(f"{big}{scale}")
    for min_n in (1, 5):
        m = random_moments(rng, 3000, scale=scale, big=big)
        found = describe(m, min_n=min_n)
        for i in range(3000):
            mean, var, n_eff = exact(m, i, min_n)
            assert np.array_equal(found.value[i], mean, equal_nan=True), i
            assert np.array_equal(found.sd[i], np.sqrt(var), equal_nan=True), i
            assert np.array_equal(found.df[i], n_eff - 1, equal_nan=True), i


def test_both_ways_of_dividing_are_used() -> None:
    """The test above exercises the float path and the integer path alike."""
    from ravine.analytics.stats import _fits_floats

    rng = random.Random(3)
    m = random_moments(rng, 500, scale=10_000, big=True)
    fits = _fits_floats(m, np.arange(500))
    assert fits.any() and not fits.all()
