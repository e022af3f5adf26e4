"""Drivers: which terms make a voice's mean compound what it is in a range, and which words set
the range apart from another one (docs/design.md, "Metrics", "Drivers")."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from ravine.analytics.stopwords import STOP_WORDS
from ravine.masking import PLACEHOLDER

_LINKS = re.compile(r"https?://\S+|www\.\S+|[@#$]\w+|\S+@\S+")
_TOKENS = re.compile(r"[a-z0-9][a-z0-9'-]*[a-z0-9]|[a-z]")


class Sentence(Protocol):
    """A scored sentence's terms with their final valences (ravine.scoring)."""

    @property
    def terms(self) -> Sequence[tuple[str, float]]: ...
    @property
    def total(self) -> float: ...
    @property
    def compound(self) -> float: ...


@dataclass(frozen=True, slots=True)
class TermDriver:
    """A term's summed part of the documents' compounds; ``mean_shift`` is that sum over the
    documents read, its part of the voice's mean; ``share`` its part of its sign's total."""

    term: str
    contribution: float
    mean_shift: float
    documents: int
    share: float


@dataclass(frozen=True, slots=True)
class Distinctive:
    """A word or two-word phrase, its log-odds ratio with its z-score (positive: more frequent
    in the range) and its counts on each side."""

    term: str
    z: float
    log_odds: float
    count: int
    comparison_count: int


def mean_compound(sentences: Sequence[Sentence]) -> float:
    """A document's compound by the scorer's rule: the mean over its toned sentences."""
    return (
        math.fsum(sentence.compound for sentence in sentences) / len(sentences)
        if sentences
        else 0.0
    )


def apportion(sentences: Sequence[Sentence]) -> dict[str, float]:
    """A document's compound split among its terms. The compound is the mean of its toned
    sentences' compounds; each sentence's part (its compound over their count) goes to its
    terms in proportion to their share of the sentence's valence sum, so the parts add up to
    the compound (to float rounding). A term appearing twice gets both parts."""
    parts: dict[str, float] = {}
    for sentence in sentences:
        weight = sentence.compound / len(sentences) / sentence.total
        for term, valence in sentence.terms:
            parts[term] = parts.get(term, 0.0) + valence * weight
    return parts


def term_drivers(
    documents: Sequence[Mapping[str, float]], limit: int
) -> tuple[list[TermDriver], list[TermDriver]]:
    """The terms that raise and those that lower the mean of ``documents`` (each a
    :func:`apportion` result) most, ``limit`` each, largest effect first."""
    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for parts in documents:
        for term, part in parts.items():
            sums[term] = sums.get(term, 0.0) + part
        counts.update(term for term, part in parts.items() if part)
    positive = math.fsum(value for value in sums.values() if value > 0)
    negative = math.fsum(value for value in sums.values() if value < 0)

    def drivers(sign: int, total: float) -> list[TermDriver]:
        chosen = sorted(
            (term for term, value in sums.items() if value * sign > 0),
            key=lambda term: (-abs(sums[term]), term),
        )[:limit]
        return [
            TermDriver(
                term=term,
                contribution=sums[term],
                mean_shift=sums[term] / len(documents),
                documents=counts[term],
                share=sums[term] / total,
            )
            for term in chosen
        ]

    return drivers(1, positive), drivers(-1, negative)


def features(text: str) -> Counter[str]:
    """A masked text's words and two-word phrases, lower-cased; stop words, masked names,
    links, handles and tags are dropped, and a phrase never spans one of them."""
    words: list[str | None] = []
    for token in _TOKENS.findall(_LINKS.sub(" ", text.lower().replace("’", "'"))):
        content = len(token) > 1 and token not in STOP_WORDS and token != PLACEHOLDER
        words.append(token if content and not token.isdigit() else None)
    found: Counter[str] = Counter(word for word in words if word)
    found.update(f"{a} {b}" for a, b in pairwise(words) if a and b)
    return found


def count_features(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(features(text))
    return counts


def log_odds(
    counts: Mapping[str, int], comparison: Mapping[str, int], *, prior_scale: float = 1.0
) -> list[Distinctive]:
    """Monroe, Colaresi & Quinn (2008), "Fightin' Words": the log-odds ratio of each term
    between the two sides with an informative Dirichlet prior, and its z-score. The prior is
    the pooled counts of both sides times ``prior_scale`` (α_w = s·(y_w + y'_w)), so rare
    terms shrink towards no difference instead of topping the list on a count of one."""
    n, m = sum(counts.values()), sum(comparison.values())
    alpha_0 = prior_scale * (n + m)
    found = []
    for term in counts.keys() | comparison.keys():
        y, y_other = counts.get(term, 0), comparison.get(term, 0)
        alpha = prior_scale * (y + y_other)
        rest, rest_other = n + alpha_0 - y - alpha, m + alpha_0 - y_other - alpha
        if rest <= 0 or rest_other <= 0:  # a single term on both sides: nothing to compare
            continue
        delta = math.log((y + alpha) / rest) - math.log((y_other + alpha) / rest_other)
        z = delta / math.sqrt(1 / (y + alpha) + 1 / (y_other + alpha))
        found.append(Distinctive(term, z, delta, y, y_other))
    return found


def most_distinctive(
    found: Sequence[Distinctive], limit: int
) -> tuple[list[Distinctive], list[Distinctive]]:
    """The ``limit`` terms most typical of the range (largest z) and of the comparison."""
    ranked = sorted(found, key=lambda item: (-item.z, item.term))
    toward = [item for item in ranked if item.z > 0][:limit]
    away = [item for item in reversed(ranked) if item.z < 0][:limit]
    return toward, away


def top_documents(
    compounds: Sequence[tuple[int, float]], limit: int
) -> tuple[list[int], list[int]]:
    """The ids of the ``limit`` most positive and most negative documents by compound, each
    the largest single pull on the mean in its direction."""
    ranked = sorted(compounds, key=lambda item: (-item[1], -item[0]))
    positive = [doc for doc, compound in ranked if compound > 0][:limit]
    negative = [doc for doc, compound in reversed(ranked) if compound < 0][:limit]
    return positive, negative
