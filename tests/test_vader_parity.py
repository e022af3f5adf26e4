"""Parity with vaderSentiment on VADER's four human-rated corpora (tests/data/vader).

Texts the Scorer scores whole must get vaderSentiment's compound exactly, and the correlation
with the human ratings must stay within 0.01 of vaderSentiment's own.
"""

from __future__ import annotations

import functools
from pathlib import Path
from statistics import correlation

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ravine.language import detect_language
from ravine.scoring import Scorer, ScorerConfig

DATA = Path(__file__).resolve().parent / "data" / "vader"
# The tweets run by default, so every run reads the data; the other three run with the slow tests.
CORPORA = [
    "tweets",
    *(
        pytest.param(name, marks=pytest.mark.slow)
        for name in ["movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"]
    ),
]
R_TOLERANCE = 0.01
MAX_NON_ENGLISH = 0.001


@functools.cache
def _corpus(name: str) -> tuple[list[str], list[float]]:
    """(texts, human mean ratings) of one corpus: tab-separated id, rating, text; CRLF."""
    path = DATA / f"{name}_GroundTruth.txt"
    texts: list[str] = []
    ratings: list[float] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, rating, text = line.split("\t", 2)
            texts.append(text)
            ratings.append(float(rating))
    return texts, ratings


@functools.cache
def _vader_compounds(name: str) -> list[float]:
    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in _corpus(name)[0]]


@functools.cache
def _scorer_compounds(name: str) -> tuple[list[float], list[bool]]:
    """Scorer compounds with lang="en", and whether each text was scored whole."""
    limit = ScorerConfig().long_text_sentences
    compounds: list[float] = []
    whole: list[bool] = []
    for outcome in Scorer().score_many((text, "en") for text in _corpus(name)[0]):
        assert outcome.scores is not None
        compounds.append(outcome.scores.compound)
        whole.append(outcome.scores.sentences <= limit)
    return compounds, whole


@pytest.mark.parametrize("name", CORPORA)
def test_texts_scored_whole_get_vaders_compound(name: str) -> None:
    compounds, whole = _scorer_compounds(name)
    vader = _vader_compounds(name)
    texts = _corpus(name)[0]
    mismatches = [
        (text, ours, theirs)
        for text, ours, theirs, is_whole in zip(texts, compounds, vader, whole, strict=True)
        if is_whole and ours != theirs
    ]
    assert sum(whole) > 0.9 * len(texts)
    assert mismatches == []


@pytest.mark.parametrize("name", CORPORA)
def test_correlation_with_human_ratings_matches_vader(name: str) -> None:
    ratings = _corpus(name)[1]
    ours = correlation(_scorer_compounds(name)[0], ratings)
    theirs = correlation(_vader_compounds(name), ratings)
    assert abs(ours - theirs) <= R_TOLERANCE, f"r = {ours:.4f}, vaderSentiment r = {theirs:.4f}"


@pytest.mark.parametrize("name", CORPORA)
def test_english_corpora_are_not_detected_as_foreign(name: str) -> None:
    texts = _corpus(name)[0]
    foreign = [
        (lang, text) for text in texts if (lang := detect_language(text)) not in ("en", None)
    ]
    assert len(foreign) <= MAX_NON_ENGLISH * len(texts), foreign[:10]
