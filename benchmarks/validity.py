"""Validity benchmark: one scale across text lengths, and agreement with human ratings.

Scores VADER's human-rated corpora (tests/data/vader, read by :mod:`benchmarks.vader_corpora`)
with Ravine's Scorer (``lang="en"``, nothing masked) and, for comparison, with whole-text VADER,
and prints each figure beside its target:

- **Scale.** Texts of k = 1..10 sentences, each joined from k one-sentence snippets whose raters
  agree on the sign (a fixed seed draws them): the mean |compound| should not step by more than
  10% between neighbouring counts. Snippets are plain sentences (a capital first, one end mark
  last, none inside, 3 words or more), so any splitter finds k. Only snippets VADER reads with
  the raters' sign are used: one read against it cancels the rest in any average, and one read
  as neutral (compound 0) scores 0 alone but is left out beside sentences with sentiment, so
  either would move mean |compound| with k without any change of scale; the figure with all
  snippets of a sign is printed for information.
- **Agreement.** Pearson r of compound with the raters' mean rating: tweets ≥ 0.865, NYT
  editorials rebuilt into documents ≥ 0.60, Amazon reviews rebuilt ≥ 0.70 (a document's rating
  is the mean of its sentences'), movie snippets for information; and the share of
  multi-sentence documents the splitter splits (of all texts for tweets and movie snippets).
- **Speed.** Documents scored per second over all of these texts, one process, median of runs.

    python -m benchmarks.validity [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import correlation, fmean

from benchmarks.vader_corpora import EDITORIALS, MOVIES, REVIEWS, TWEETS, Rated, documents, snippets
from ravine.scoring import Scorer, Scores
from ravine.vader_fast import FastVader

SEED = 2024
COUNTS = range(1, 11)
MAX_STEP = 0.10
MIN_R = {TWEETS: 0.865, EDITORIALS: 0.60, REVIEWS: 0.70}
LABELS = {
    TWEETS: "tweets",
    EDITORIALS: "NYT editorials, rebuilt",
    REVIEWS: "Amazon reviews, rebuilt",
    MOVIES: "movie snippets",
}
# A capital first, one run of ! ? or a single period last, no end mark before a space inside.
_PLAIN = re.compile(r"[A-Z](?:(?![.!?\u2026]\s).)*[^.\s](?:[!?]+|\.)")

Compound = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Verdict:
    what: str
    met: bool


def _plain_sentences(agreeing: Compound | None) -> dict[int, list[str]]:
    """One-sentence snippets of all four corpora by the sign of their rating; with
    ``agreeing``, only those whose compound has that sign too."""
    pool: dict[int, list[str]] = {1: [], -1: []}
    for name in LABELS:
        for item in snippets(name):
            text = item.text.strip()
            if item.rating == 0 or not _PLAIN.fullmatch(text) or len(text.split()) < 3:
                continue
            if agreeing is None or agreeing(text) * item.rating > 0:
                pool[1 if item.rating > 0 else -1].append(text)
    return pool


def _joined(pool: dict[int, list[str]], per_count: int) -> dict[int, list[str]]:
    """``per_count`` texts for every count k, each k distinct snippets of one sign."""
    rng = random.Random(SEED)
    return {
        k: [" ".join(rng.sample(pool[rng.choice((1, -1))], k)) for _ in range(per_count)]
        for k in COUNTS
    }


def _scores(scorer: Scorer, texts: Sequence[str]) -> list[Scores]:
    scores = [outcome.scores for outcome in scorer.score_many((text, "en") for text in texts)]
    return [score for score in scores if score is not None]


def _largest_step(means: Sequence[float]) -> float:
    return max(abs(after - before) / before for before, after in itertools.pairwise(means))


def _mark(met: bool) -> str:
    return "PASS" if met else "FAIL"


def scale(scorer: Scorer, vader: Compound, per_count: int) -> Verdict:
    texts = _joined(_plain_sentences(vader), per_count)
    print(
        f"One scale: mean |compound| of texts joined from k one-sentence snippets of one sign, "
        f"{per_count} texts per k"
    )
    print(f"{'k':>3} {'whole-text VADER':>17} {'Ravine':>7} {'Ravine counted k':>17}")
    whole: list[float] = []
    ours: list[float] = []
    for k, joined in texts.items():
        scores = _scores(scorer, joined)
        whole.append(fmean(abs(vader(text)) for text in joined))
        ours.append(fmean(abs(score.compound) for score in scores))
        counted = fmean(score.sentences == k for score in scores)
        print(f"{k:>3} {whole[-1]:>17.3f} {ours[-1]:>7.3f} {counted:>16.1%}")
    step = _largest_step(ours)
    met = step <= MAX_STEP
    print(
        f"largest step between neighbouring k ≤ {MAX_STEP:.0%}: Ravine {step:.1%} {_mark(met)} "
        f"(whole-text VADER {_largest_step(whole):.1%})"
    )
    misread = _joined(_plain_sentences(None), per_count)
    with_misread = [fmean(abs(s.compound) for s in _scores(scorer, misread[k])) for k in COUNTS]
    print(
        f"  for information, with every snippet of the raters' sign: Ravine "
        f"{_largest_step(with_misread):.1%}, mean |compound| "
        + " ".join(f"{mean:.3f}" for mean in with_misread)
    )
    return Verdict("scale", met)


def agreement(scorer: Scorer, vader: Compound, corpora: dict[str, list[Rated]]) -> list[Verdict]:
    print("Agreement: Pearson r of compound with the raters' mean rating")
    print(
        f"{'corpus':<24} {'texts':>6} {'split':>7} {'whole-text VADER':>17} {'Ravine':>7}  target"
    )
    verdicts: list[Verdict] = []
    for name, items in corpora.items():
        ratings = [item.rating for item in items]
        scores = _scores(scorer, [item.text for item in items])
        several = [
            s.sentences > 1
            for s, item in zip(scores, items, strict=True)
            if item.snippets > 1 or name in (TWEETS, MOVIES)
        ]
        ours = correlation([score.compound for score in scores], ratings)
        whole = correlation([vader(item.text) for item in items], ratings)
        target = MIN_R.get(name)
        verdict = "information" if target is None else f"≥ {target:.3f} {_mark(ours >= target)}"
        print(
            f"{LABELS[name]:<24} {len(items):>6} {fmean(several):>7.1%} {whole:>17.3f} "
            f"{ours:>7.3f}  {verdict}"
        )
        if target is not None:
            verdicts.append(Verdict(f"r {LABELS[name]}", ours >= target))
    print("split: share of documents of several snippets (tweets, movie snippets: of all texts)")
    print("       that Ravine scores as several sentences")
    return verdicts


def speed(scorer: Scorer, texts: list[str], runs: int) -> None:
    items = [(text, "en") for text in texts]
    seconds: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        scorer.score_many(items)
        seconds.append(time.perf_counter() - started)
    rate = len(texts) / statistics.median(seconds)
    print(f"Speed: {rate:,.0f} documents/s over {len(texts):,} texts (median of {runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="400 texts per count, 1 speed run")
    args = parser.parse_args()
    scorer = Scorer()
    fast = FastVader()

    def vader(text: str) -> float:
        return fast.polarity_scores(text)["compound"]

    corpora = {
        TWEETS: snippets(TWEETS),
        EDITORIALS: documents(EDITORIALS),
        REVIEWS: documents(REVIEWS),
        MOVIES: snippets(MOVIES),
    }
    verdicts = [scale(scorer, vader, 400 if args.quick else 2000)]
    print()
    verdicts += agreement(scorer, vader, corpora)
    print()
    speed(
        scorer, [item.text for items in corpora.values() for item in items], 1 if args.quick else 3
    )
    failed = [verdict.what for verdict in verdicts if not verdict.met]
    print(
        f"\n{len(verdicts) - len(failed)} of {len(verdicts)} targets met"
        + (f"; FAIL: {', '.join(failed)}" if failed else ": PASS")
    )


if __name__ == "__main__":
    main()
