"""Scoring benchmark: FastVader against vaderSentiment's polarity_scores, single process.

Prints texts/s and MB/s (UTF-8) of both, and the speed ratio fast/reference measured in the same
run, for short posts (~200 characters with emoji and negations), press paragraphs (~1.1 kB) and
texts of 250, 1k, 4k and 8k characters; every figure is the median of --repeat runs, the two
analyzers alternating so machine noise hits both. FastVader's token cache is warm, as it is a
few thousand texts into any real stream; the "cold" rows give it a fresh cache every pass, which
fills within the pass (fast here: the generated texts share a small vocabulary).
Targets: ≥ 4x on posts, ≥ 9x on paragraphs, fast MB/s max/min ≤ 2 across 250..8k characters.
Not a timed test: run it by hand.

    python -m benchmarks.scoring_bench [--quick] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from benchmarks.corpus import CLAUSES, EMOJI, OPENERS, PRESS
from ravine.vader_fast import FastVader

Scorer = Callable[[str], dict[str, float]]
POSTS_TARGET = 4.0
PRESS_TARGET = 9.0
FLATNESS_TARGET = 2.0
SIZES = (250, 1000, 4000, 8000)
MIN_FAST_SECONDS = 0.05  # FastVader passes are repeated up to about this long per run


def post(rng: random.Random) -> str:
    """~200 characters of clauses (several with negations) and 1-3 emoji."""
    parts = [rng.choice(OPENERS)] if rng.random() < 0.4 else []
    while sum(len(part) + 2 for part in parts) < 165:
        parts.append(rng.choice(CLAUSES))
    return ". ".join(parts) + " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))


def paragraph(rng: random.Random) -> str:
    """A press paragraph of ~1.1 kB."""
    sentences: list[str] = []
    while sum(len(sentence) + 1 for sentence in sentences) < 1050:
        sentences.append(rng.choice(PRESS))
    return " ".join(sentences)


def sized(rng: random.Random, chars: int) -> str:
    """Posts and press sentences run together, cut at a word to about ``chars`` characters."""
    text = ""
    while len(text) < chars:
        text += " " + (post(rng) if rng.random() < 0.7 else rng.choice(PRESS))
    return text[: chars + 1].strip().rsplit(" ", 1)[0]


@dataclass(frozen=True)
class Case:
    name: str
    texts: list[str]
    cold: bool = False

    @property
    def megabytes(self) -> float:
        return sum(len(text.encode()) for text in self.texts) / 1e6


def cases(quick: bool) -> list[Case]:
    """Counts sized so one reference run takes a few tenths of a second (a third with --quick)."""
    rng = random.Random(2024)
    scale = 3 if quick else 1
    posts = [post(rng) for _ in range(1500 // scale)]
    press = [paragraph(rng) for _ in range(240 // scale)]
    counts = {250: 1200, 1000: 240, 4000: 24, 8000: 9}
    found = [Case("posts", posts), Case("posts, cold", posts, cold=True)]
    found += [Case("press", press), Case("press, cold", press, cold=True)]
    found += [
        Case(f"{size} chars", [sized(rng, size) for _ in range(max(3, counts[size] // scale))])
        for size in SIZES
    ]
    return found


def seconds(score: Scorer, texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        score(text)
    return time.perf_counter() - started


def fast_seconds(case: Case, fast: FastVader, loops: int) -> float:
    """Seconds per pass over the texts, averaged over ``loops`` passes (a fresh analyzer per
    pass for a cold case), so that a timing is not lost in the clock's noise."""
    total = 0.0
    for _ in range(loops):
        if case.cold:
            fast = FastVader()
        total += seconds(fast.polarity_scores, case.texts)
    return total / loops


def measure(case: Case, repeat: int) -> tuple[float, float]:
    """Median seconds per pass (reference, fast) over ``repeat`` alternating runs."""
    reference = SentimentIntensityAnalyzer()
    fast = FastVader()
    seconds(reference.polarity_scores, case.texts[:20])  # warm-up
    loops = max(1, round(MIN_FAST_SECONDS / seconds(fast.polarity_scores, case.texts)))
    ref_runs: list[float] = []
    fast_runs: list[float] = []
    for _ in range(repeat):
        ref_runs.append(seconds(reference.polarity_scores, case.texts))
        fast_runs.append(fast_seconds(case, fast, loops))
    return statistics.median(ref_runs), statistics.median(fast_runs)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a third of the texts, 3 runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (median)")
    args = parser.parse_args()
    repeat = args.repeat or (3 if args.quick else 5)
    print(f"single process, median of {repeat} runs; ratio = fast speed / reference speed")
    header = f"{'case':<13} {'texts':>5} {'chars':>6}  {'reference':>19}  {'fast':>19}  ratio"
    print(header)
    ratios: dict[str, float] = {}
    fast_mbs: dict[str, float] = {}
    for case in cases(args.quick):
        ref_s, fast_s = measure(case, repeat)
        count = len(case.texts)
        chars = sum(map(len, case.texts)) / count
        ratios[case.name] = ref_s / fast_s
        fast_mbs[case.name] = case.megabytes / fast_s
        print(
            f"{case.name:<13} {count:>5} {chars:>6.0f}  "
            f"{count / ref_s:>7,.0f}/s {case.megabytes / ref_s:>6.2f} MB/s  "
            f"{count / fast_s:>7,.0f}/s {fast_mbs[case.name]:>6.2f} MB/s  {ratios[case.name]:5.1f}x"
        )
    flat = [fast_mbs[f"{size} chars"] for size in SIZES]
    flatness = max(flat) / min(flat)
    for name, target in (("posts", POSTS_TARGET), ("press", PRESS_TARGET)):
        met = verdict(ratios[name] >= target)
        print(f"{name} ≥ {target:g}x faster: {ratios[name]:.1f}x, {met}")
    print(
        f"fast MB/s max/min over {SIZES[0]}..{SIZES[-1]} chars ≤ {FLATNESS_TARGET:g}: "
        f"{flatness:.2f}, {verdict(flatness <= FLATNESS_TARGET)}"
    )


if __name__ == "__main__":
    main()
