"""Finance VADER against plain VADER: Financial PhraseBank, cross-validated, and VADER's corpora.

Financial PhraseBank (Malo et al., 2014) is a set of sentences from financial news, each
labelled positive, neutral or negative by annotators; its licence (CC BY-NC-SA 3.0) keeps it
out of this repository, so give the path of its Sentences_AllAgree.txt (``sentence@label``
lines) with --phrasebank or the RAVINE_PHRASEBANK environment variable.

A sentence is labelled from its compound with VADER's thresholds (positive ≥ 0.05, negative ≤
-0.05). Five stratified folds with a fixed seed: the finance rules' valences are fitted (best
macro-F1 over a small grid) on the four training folds and scored on the fifth, so every figure
is held out; always-neutral and plain VADER have nothing to fit. Printed: per-fold and mean
accuracy and macro-F1 of the three, the finance model's confusion matrix over the held-out
predictions, the valences fitted on the whole file (the shipped defaults), and Pearson r of
compound with the human ratings on VADER's four corpora (tests/data/vader) for both models.
Targets: finance accuracy ≥ 0.70, macro-F1 ≥ 0.65, tweets r ≥ 0.865.

    python -m benchmarks.phrasebank --phrasebank PATH [--seed 2014]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import correlation, fmean

from ravine.finance_vader import FinanceVader, Valences
from ravine.vader_fast import FastVader

LABELS = ("negative", "neutral", "positive")
FOLDS = 5
SEED = 2014
THRESHOLD = 0.05  # VADER's: the same band the stored compound is read with everywhere
GRID = (1.5, 2.0, 2.5)  # each valence, on VADER's scale ("improved" is 2.1)
TARGET_ACCURACY = 0.70
TARGET_MACRO_F1 = 0.65
TARGET_TWEETS_R = 0.865
VADER_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "vader"
CORPORA = ("tweets", "movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets")

Score = Callable[[str], float]
Sentences = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Result:
    accuracy: float
    macro_f1: float


@dataclass(frozen=True, slots=True)
class Fold:
    """One held-out fold: each model's result, the finance valences fitted on the others,
    and the finance model's (gold, predicted) labels."""

    neutral: Result
    vader: Result
    finance: Result
    valences: Valences
    pairs: list[tuple[str, str]]


def phrasebank_path(given: str | None = None) -> Path | None:
    """--phrasebank, else RAVINE_PHRASEBANK, else None."""
    value = given or os.environ.get("RAVINE_PHRASEBANK")
    return Path(value) if value else None


def load(path: Path) -> Sentences:
    """(sentence, label) pairs from ``sentence@label`` lines (UTF-8, or Latin-1 as released)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    found: Sentences = []
    for line in text.splitlines():
        sentence, _, label = line.strip().rpartition("@")
        if label in LABELS and sentence:
            found.append((sentence, label))
    return found


def label(compound: float) -> str:
    if compound >= THRESHOLD:
        return "positive"
    return "negative" if compound <= -THRESHOLD else "neutral"


def evaluate(gold: Sequence[str], predicted: Sequence[str]) -> Result:
    """Accuracy and macro-F1 (the mean of the three labels' F1)."""
    pairs = list(zip(gold, predicted, strict=True))
    f1s = []
    for name in LABELS:
        hits = sum(g == p == name for g, p in pairs)
        guessed = sum(p == name for _, p in pairs)
        actual = sum(g == name for g, _ in pairs)
        f1s.append(2 * hits / (guessed + actual) if hits else 0.0)
    return Result(sum(g == p for g, p in pairs) / len(pairs), fmean(f1s))


def stratified_folds(labels: Sequence[str], folds: int = FOLDS, seed: int = SEED) -> list[int]:
    """Each item's fold: every label's items shuffled with ``seed`` and dealt out in turn."""
    rng = random.Random(seed)
    fold_of = [0] * len(labels)
    for name in LABELS:
        members = [i for i, value in enumerate(labels) if value == name]
        rng.shuffle(members)
        for turn, i in enumerate(members):
            fold_of[i] = turn % folds
    return fold_of


def predict(score: Score, sentences: Sentences) -> list[str]:
    return [label(score(sentence)) for sentence, _ in sentences]


def compound(analyzer: FastVader | FinanceVader) -> Score:
    return lambda text: analyzer.polarity_scores(text)["compound"]


def _candidates() -> list[Valences]:
    """The grid, nearest the shipped valences first, so that a tie keeps what is shipped."""
    shipped = Valences()
    grid = [Valences(*values) for values in itertools.product(GRID, repeat=3)]
    return sorted(grid, key=lambda v: sum(map(abs, _minus(v, shipped))))


def _minus(a: Valences, b: Valences) -> tuple[float, float, float]:
    return (a.direction - b.direction, a.comparison - b.comparison, a.swing - b.swing)


def fit(sentences: Sentences) -> Valences:
    """The grid's valences with the best macro-F1 (then accuracy) on ``sentences``."""
    gold = [value for _, value in sentences]
    best: tuple[float, float] | None = None
    chosen = Valences()
    for valences in _candidates():
        result = evaluate(gold, predict(compound(FinanceVader(valences=valences)), sentences))
        if best is None or (result.macro_f1, result.accuracy) > best:
            best, chosen = (result.macro_f1, result.accuracy), valences
    return chosen


def cross_validate(sentences: Sentences, seed: int = SEED) -> list[Fold]:
    fold_of = stratified_folds([value for _, value in sentences], seed=seed)
    vader = compound(FastVader())
    found = []
    for k in range(FOLDS):
        train = [item for item, fold in zip(sentences, fold_of, strict=True) if fold != k]
        test = [item for item, fold in zip(sentences, fold_of, strict=True) if fold == k]
        gold = [value for _, value in test]
        valences = fit(train)
        finance = predict(compound(FinanceVader(valences=valences)), test)
        found.append(
            Fold(
                neutral=evaluate(gold, ["neutral"] * len(test)),
                vader=evaluate(gold, predict(vader, test)),
                finance=evaluate(gold, finance),
                valences=valences,
                pairs=list(zip(gold, finance, strict=True)),
            )
        )
    return found


def corpus(name: str) -> tuple[list[str], list[float]]:
    """(texts, mean human ratings) of one of VADER's corpora: id, rating, text per line."""
    texts, ratings = [], []
    for line in (VADER_DATA / f"{name}_GroundTruth.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, rating, text = line.split("\t", 2)
            texts.append(text)
            ratings.append(float(rating))
    return texts, ratings


def corpus_r(name: str, score: Score) -> float:
    """Pearson r of the compound with the human ratings over one corpus."""
    texts, ratings = corpus(name)
    return correlation([score(text) for text in texts], ratings)


def _row(name: str, results: Sequence[Result]) -> str:
    cells = "  ".join(f"{r.accuracy:.3f} {r.macro_f1:.3f}" for r in results)
    mean = Result(fmean(r.accuracy for r in results), fmean(r.macro_f1 for r in results))
    return f"{name:<14} {cells}   {mean.accuracy:.3f} {mean.macro_f1:.3f}"


def _report(folds: Sequence[Fold], sentences: Sentences) -> bool:
    print(f"{len(sentences):,} sentences, {FOLDS} stratified folds; cells: accuracy macro-F1")
    heads = "  ".join(f"fold {k + 1:<6}" for k in range(FOLDS))
    print(f"{'model':<14} {heads}   mean")
    print(_row("always neutral", [fold.neutral for fold in folds]))
    print(_row("VADER", [fold.vader for fold in folds]))
    print(_row("finance VADER", [fold.finance for fold in folds]))
    for k, fold in enumerate(folds, start=1):
        v = fold.valences
        print(f"  fold {k} fitted: direction {v.direction}, comparison {v.comparison}, "
              f"swing {v.swing}")  # fmt: skip
    pairs = [pair for fold in folds for pair in fold.pairs]
    print("finance VADER, held-out confusion (rows gold, columns predicted):")
    print(f"{'':>10}" + "".join(f"{name:>10}" for name in LABELS))
    for gold in LABELS:
        counts = [sum(pair == (gold, guess) for pair in pairs) for guess in LABELS]
        print(f"{gold:>10}" + "".join(f"{count:>10}" for count in counts))
    accuracy = fmean(fold.finance.accuracy for fold in folds)
    macro_f1 = fmean(fold.finance.macro_f1 for fold in folds)
    return accuracy >= TARGET_ACCURACY and macro_f1 >= TARGET_MACRO_F1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrasebank", help="Sentences_AllAgree.txt (or RAVINE_PHRASEBANK)")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the folds")
    args = parser.parse_args()
    path = phrasebank_path(args.phrasebank)
    if path is None or not path.is_file():
        sys.exit("give Sentences_AllAgree.txt with --phrasebank PATH or RAVINE_PHRASEBANK")
    sentences = load(path)
    met = _report(cross_validate(sentences, args.seed), sentences)
    print(f"targets accuracy ≥ {TARGET_ACCURACY}, macro-F1 ≥ {TARGET_MACRO_F1}: "
          f"{'met' if met else 'NOT MET'}")  # fmt: skip
    shipped = fit(sentences)
    print(f"fitted on the whole file: {shipped}; shipped: {Valences()}")
    model = FinanceVader()
    vader, finance = compound(FastVader()), compound(model)
    print(f"{'corpus':<22} {'VADER r':>8} {'finance r':>10}  finance texts")
    for name in CORPORA:
        texts = corpus(name)[0]
        read = sum(map(model.reads_as_finance, texts))
        print(
            f"{name:<22} {corpus_r(name, vader):>8.4f} {corpus_r(name, finance):>10.4f}  "
            f"{read:,} of {len(texts):,}"
        )
    tweets = corpus_r("tweets", finance)
    print(f"tweets r ≥ {TARGET_TWEETS_R}: {tweets:.4f}, "
          f"{'met' if tweets >= TARGET_TWEETS_R else 'NOT MET'}")  # fmt: skip


if __name__ == "__main__":
    main()
