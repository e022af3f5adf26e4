"""The drivers' arithmetic: log-odds with an informative Dirichlet prior, apportioning a
compound to its terms, and the words counted."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest

from ravine.analytics.drivers import (
    apportion,
    features,
    log_odds,
    mean_compound,
    most_distinctive,
    term_drivers,
    top_documents,
)


@dataclass(frozen=True)
class Sentence:
    terms: tuple[tuple[str, float], ...]
    total: float
    compound: float


def test_log_odds_of_a_hand_computed_example() -> None:
    """a: 3 of 4 here, 1 of 4 there; pooled prior α_a = 4, α_0 = 8. So
    δ = ln((3+4)/(4+8−3−4)) − ln((1+4)/(4+8−1−4)) = 2 ln(7/5), σ² = 1/7 + 1/5."""
    found = {item.term: item for item in log_odds({"a": 3, "b": 1}, {"a": 1, "b": 3})}
    assert found["a"].log_odds == pytest.approx(2 * math.log(7 / 5))
    assert found["a"].z == pytest.approx(2 * math.log(7 / 5) / math.sqrt(1 / 7 + 1 / 5))
    assert found["b"].z == pytest.approx(-found["a"].z)
    assert (found["a"].count, found["a"].comparison_count) == (3, 1)
    assert found["a"].z == pytest.approx(1.149271, abs=1e-6)


def test_log_odds_follows_monroe_colaresi_quinn() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(60)]
    here = Counter({w: rng.randint(0, 30) for w in vocabulary})
    there = Counter({w: rng.randint(0, 30) for w in vocabulary[10:]})
    for scale in (0.1, 1.0, 2.5):
        y_i = np.array([here[w] for w in vocabulary], dtype=float)
        y_j = np.array([there[w] for w in vocabulary], dtype=float)
        alpha = scale * (y_i + y_j)
        a0, n_i, n_j = alpha.sum(), y_i.sum(), y_j.sum()
        delta = np.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - np.log(
            (y_j + alpha) / (n_j + a0 - y_j - alpha)
        )
        z = delta / np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        found = {item.term: item for item in log_odds(here, there, prior_scale=scale)}
        for k, word in enumerate(vocabulary):
            if y_i[k] + y_j[k] == 0:
                assert word not in found or found[word].z == 0
                continue
            assert found[word].log_odds == pytest.approx(delta[k])
            assert found[word].z == pytest.approx(z[k])


def test_most_distinctive_each_way() -> None:
    found = log_odds({"late": 20, "seat": 5, "crew": 5}, {"late": 1, "seat": 5, "crew": 9})
    toward, away = most_distinctive(found, 1)
    assert [item.term for item in toward] == ["late"]
    assert [item.term for item in away] == ["crew"]


def test_a_compound_is_apportioned_to_its_terms() -> None:
    """Two toned sentences: each carries half the compound, split by valence share."""
    first = Sentence((("great", 3.1), ("!", 0.292)), 3.392, 0.6588)
    second = Sentence((("bad", -2.5), ("good", 1.9)), -0.6, -0.1531)
    parts = apportion([first, second])
    assert math.fsum(parts.values()) == pytest.approx(mean_compound([first, second]))
    assert parts["great"] == pytest.approx(0.6588 / 2 * 3.1 / 3.392)
    assert parts["bad"] == pytest.approx(-0.1531 / 2 * -2.5 / -0.6)
    # each term keeps its valence's sign: the positive word of a negative sentence pulls up
    assert parts["good"] > 0 and parts["bad"] < -0.1531 / 2


def test_term_drivers_sum_counts_and_shares() -> None:
    documents = [{"late": -0.4, "crew": 0.2}, {"late": -0.2}, {"crew": 0.1, "seat": 0.3}]
    positive, negative = term_drivers(documents, limit=5)
    assert [(t.term, t.documents) for t in positive] == [("crew", 2), ("seat", 1)]
    assert positive[0].contribution == pytest.approx(0.3)
    assert positive[0].share == pytest.approx(0.5)
    assert positive[0].mean_shift == pytest.approx(0.1)
    assert [(t.term, t.documents, t.share) for t in negative] == [("late", 2, 1.0)]
    assert term_drivers(documents, limit=1)[0][0].term in ("crew", "seat")


def test_features_leave_out_stop_words_names_and_links() -> None:
    text = "The xentity flight was delayed twice @xentity https://x.co/a #fail 42 delayed"
    found = features(text)
    assert found == Counter({"flight": 1, "delayed": 2, "twice": 1, "delayed twice": 1})


def test_top_documents_each_way() -> None:
    ups, downs = top_documents([(1, 0.5), (2, -0.9), (3, 0.0), (4, 0.8), (5, -0.1)], 1)
    assert (ups, downs) == ([4], [2])
