"""Parity with vaderSentiment and validity on VADER's four human-rated corpora (tests/data/vader).

Texts the Scorer reads as one sentence must get vaderSentiment's compound exactly. On the
snippet corpora, mostly one sentence each, the correlation with the human ratings must stay
within 0.01 of vaderSentiment's own; tweets, often several sentences that raters read whole,
must stay above a floor; the NYT editorials and Amazon reviews rebuilt into documents must
reach their targets; and texts of k same-sign sentences must score on one scale whatever k is.
benchmarks/validity.py prints the same figures on larger samples.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from pathlib import Path
from statistics import correlation, fmean

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from benchmarks.vader_corpora import EDITORIALS, REVIEWS, documents
from ravine.language import detect_language
from ravine.scoring import SCORED_MIN_WORDS, Scorer, ScorerConfig
from ravine.sentences import split_sentences

DATA = Path(__file__).resolve().parent / "data" / "vader"
# The tweets run by default, so every run reads the data; the other three run with the slow tests.
SNIPPETS = [
    pytest.param(name, marks=pytest.mark.slow)
    for name in ["movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"]
]
CORPORA = ["tweets", *SNIPPETS]
R_TOLERANCE = 0.01
# Parity is VADER's own: the finance model is checked in tests/test_finance_scoring.py.
VADER_ONLY = ScorerConfig(model="vader")
# Raters read a tweet whole: whole-text VADER gives 0.872, the Scorer's means over sentences
# (short ones read with their neighbour) 0.869.
MIN_R_TWEETS = 0.865
MIN_R_DOCUMENTS = {EDITORIALS: 0.60, REVIEWS: 0.70}
MAX_NON_ENGLISH = 0.001
# The scale check: texts of 1..8 sentences from 24 one-sentence tweets of each sign.
SCALE_COUNTS = range(1, 9)
SCALE_SENTENCES = 24
MAX_STEP = 0.10
_NOT_WORDS = re.compile(r"[@#$]\w|https?://|www\.")
_INNER_END = re.compile(r"[.!?\u2026]\s")


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
    """Scorer compounds with lang="en", and whether each text was read as one sentence."""
    compounds: list[float] = []
    whole: list[bool] = []
    for outcome in Scorer(VADER_ONLY).score_many((text, "en") for text in _corpus(name)[0]):
        assert outcome.scores is not None
        compounds.append(outcome.scores.compound)
        whole.append(outcome.scores.sentences == 1)
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
    assert sum(whole) > 0.6 * len(texts)
    assert mismatches == []


@pytest.mark.parametrize("name", SNIPPETS)
def test_correlation_on_snippets_matches_vader(name: str) -> None:
    ratings = _corpus(name)[1]
    ours = correlation(_scorer_compounds(name)[0], ratings)
    theirs = correlation(_vader_compounds(name), ratings)
    assert abs(ours - theirs) <= R_TOLERANCE, f"r = {ours:.4f}, vaderSentiment r = {theirs:.4f}"


def test_correlation_on_tweets_stays_above_its_floor() -> None:
    ours = correlation(_scorer_compounds("tweets")[0], _corpus("tweets")[1])
    assert ours >= MIN_R_TWEETS, f"r = {ours:.4f}"


@pytest.mark.parametrize("name", sorted(MIN_R_DOCUMENTS))
def test_rebuilt_documents_correlate_with_their_sentences_ratings(name: str) -> None:
    rebuilt = documents(name)
    outcomes = Scorer(VADER_ONLY).score_many((document.text, "en") for document in rebuilt)
    compounds = [outcome.scores.compound for outcome in outcomes if outcome.scores is not None]
    ours = correlation(compounds, [document.rating for document in rebuilt])
    assert ours >= MIN_R_DOCUMENTS[name], f"r = {ours:.4f}"


def _scale_texts() -> dict[int, list[str]]:
    """For each k, the texts of k cyclically consecutive one-sentence tweets of one sign. Every
    sentence appears k times, so a mean of sentences keeps mean |compound| exactly; sentences
    VADER reads against the raters' sign, or as neutral, are left out: they would move the mean
    of any average with k without a change of scale."""
    pools: dict[int, list[str]] = {1: [], -1: []}
    texts, ratings = _corpus("tweets")
    for text, rating, compound in zip(texts, ratings, _vader_compounds("tweets"), strict=True):
        plain = text.strip()
        pool = pools[1 if rating > 0 else -1]
        if (
            len(pool) < SCALE_SENTENCES
            and rating * compound > 0
            and plain[:1].isupper()
            and plain[-1:] in ".!?"
            and len(plain.split()) > SCORED_MIN_WORDS
            and not _NOT_WORDS.search(plain)  # handles and links are not words of a sentence
            and not _INNER_END.search(plain)
            and split_sentences(plain) == [plain]
        ):
            pool.append(plain)
    return {
        k: [
            " ".join(pool[(start + j) % len(pool)] for j in range(k))
            for pool in pools.values()
            for start in range(len(pool))
        ]
        for k in SCALE_COUNTS
    }


def _largest_step(means: Sequence[float]) -> float:
    return max(abs(after - before) / before for before, after in itertools.pairwise(means))


def test_one_scale_at_every_sentence_count() -> None:
    scorer = Scorer(VADER_ONLY)
    vader = SentimentIntensityAnalyzer()
    ours: list[float] = []
    whole: list[float] = []
    for k, texts in _scale_texts().items():
        scores = [outcome.scores for outcome in scorer.score_many((text, "en") for text in texts)]
        assert [score.sentences if score else None for score in scores] == [k] * len(texts)
        ours.append(fmean(abs(score.compound) for score in scores if score))
        whole.append(fmean(abs(vader.polarity_scores(text)["compound"]) for text in texts))
    assert _largest_step(ours) <= MAX_STEP, ours
    assert _largest_step(whole) > MAX_STEP, whole  # whole-text VADER grows with k


@pytest.mark.parametrize("name", CORPORA)
def test_english_corpora_are_not_detected_as_foreign(name: str) -> None:
    texts = _corpus(name)[0]
    foreign = [
        (lang, text) for text in texts if (lang := detect_language(text)) not in ("en", None)
    ]
    assert len(foreign) <= MAX_NON_ENGLISH * len(texts), foreign[:10]
