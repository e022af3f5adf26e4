"""Finance-aware VADER: a direction word acts on the metric it modifies.

"Operating profit fell to EUR 3 mn" is bad news that VADER scores +0.44 (it rates "profit"
+1.9 and has no "fell"), "net loss narrowed" good news it cannot see. This analyzer reads the
same text as VADER (its tokens, lexicon and rules) and, where it finds a finance pattern, gives
a valence to the word that carries the news: a direction word linked to a metric ("costs rose":
up on a bad-when-up metric, negative), or the "from" or "compared" of a comparison whose
numbers, or whose swing between profit and loss, give the direction ("to EUR 3 mn from EUR 9
mn"). VADER's rules then treat that word as any lexicon word, so the negation in "profit did
not fall" flips it. In a finance text, good-news metric names ("profit", "demand") and VADER
words that are plain business terms there ("share", "value", "gross") score as plain words.

A text with no finance pattern gets the plain analyzer's scores, VADER's exact four numbers.
The word lists are in :mod:`ravine.finance_lexicon`, the reading of amounts in
:mod:`ravine.finance_amounts`; the rules and their measured effect are described in
docs/finance-lexicon.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from itertools import compress
from typing import Final, Protocol

from ravine import finance_lexicon as fl
from ravine.finance_amounts import DIGIT, YEARS, Amount, find_amounts
from ravine.vader_fast import FastVader

# Part of the finance model's scorer version: bump when a rule or word list changes a score.
FINANCE_RULES_VERSION: Final = "1"
BACK: Final = 12  # words a direction word reaches back for its metric: "profit for the ... fell"
FORWARD: Final = 4  # and forward, over SKIPPABLE words: "an increase in the group's net sales"
SIDE: Final = 5  # words from "to", "from" or "compared with" to its amount: "from a loss of EUR 6m"
TO_BEFORE_FROM: Final = 20  # "to" before "from": "to a net loss of EUR 64.2 mn in 2021 from"
_CLAUSE_PUNCTUATION: Final = frozenset(",;:!?")
_DIRECTIONS: Final = fl.UP | fl.DOWN | fl.BETTER | fl.WORSE
_METRICS: Final = fl.GOOD_WHEN_UP | fl.BAD_WHEN_UP
_PLAIN_METRICS: Final = fl.GOOD_WHEN_UP - fl.FINANCE_VALENCES.keys()
_PAIR_STARTS: Final = frozenset(first for first, _ in fl.METRIC_PAIRS)
# Every rule needs a metric or an amount, so a text with neither, and no marker, is no finance.
_TRIGGERS: Final = _METRICS | _PAIR_STARTS | fl.MARKERS
# And a direction word or a comparison.
_MOVES: Final = _DIRECTIONS | fl.COMPARED | {"from"}


class Analyzer(Protocol):
    def polarity_scores(self, text: str) -> dict[str, float]: ...


@dataclass(frozen=True, slots=True)
class Valences:
    """The valence a finance rule gives the word that carries its news, on VADER's -4..4
    scale ("improved" is 2.1): the best macro-F1 on Financial PhraseBank over a grid of
    1.5, 2.0 and 2.5 each (``benchmarks/phrasebank.py`` fits them on training folds only)."""

    direction: float = 2.5  # a direction word on its metric: "profit fell"
    comparison: float = 2.0  # numbers alone: "profit was EUR 3 mn compared with EUR 9 mn"
    swing: float = 2.5  # between profit and loss: "to a net loss from a profit"


def _ends_clause(token: str) -> bool:
    """Whether a clause ends after this token: "mn ,", "mn," or "2009." (not "vs.")."""
    last = token[-1]
    return last in _CLAUSE_PUNCTUATION or (last == "." and token.lower() not in fl.DOTTED)


class _Reading:
    """One text's words as the rules see them: metrics, directions, amounts, clause ends."""

    def __init__(self, tokens: Sequence[str], words: Sequence[str], amounts: list[Amount]) -> None:
        self.tokens = tokens
        self.words = words
        self.amounts = amounts
        self.ends = [_ends_clause(token) for token in tokens]
        self.metrics = self._metrics()
        self.directions = self._directions()

    def _metrics(self) -> dict[int, int]:
        """Position -> 1 for a metric that is good news when up, -1 for bad-when-up."""
        words, found = self.words, {}
        for i in compress(range(len(words)), map(_TRIGGERS.__contains__, words)):
            word = words[i]
            polarity = 1 if word in fl.GOOD_WHEN_UP else -1 if word in fl.BAD_WHEN_UP else 0
            after = words[i + 1] if i + 1 < len(words) else ""
            if after in fl.NOT_METRIC_BEFORE or self._not_a_metric(i):
                polarity = 0
            if pair := fl.METRIC_PAIRS.get((word, after)):
                polarity = found[i + 1] = pair
            if polarity:
                found[i] = polarity
        return found

    def _not_a_metric(self, i: int) -> bool:
        """A unit ("per share") or the end of a phrase of NOT_METRIC_PHRASES ("in order")."""
        words = self.words
        return (i > 0 and words[i - 1] == "per") or any(
            tuple(words[i + 1 - len(phrase) : i + 1]) == phrase
            for phrase in fl.NOT_METRIC_PHRASES
            if i + 1 >= len(phrase)
        )

    def _directions(self) -> dict[int, str]:
        """Position -> "up", "down", "better" or "worse"."""
        found = {}
        for i, word in enumerate(self.words):
            if word not in _DIRECTIONS:
                continue
            if (word == "up" and self._at_most(i)) or (
                word in fl.BACKWARD_ONLY
                and not fl.PHRASAL.isdisjoint(self.words[max(0, i - 3) : i])
            ):
                continue
            found[i] = (
                "better" if word in fl.BETTER else "worse" if word in fl.WORSE
                else "up" if word in fl.UP else "down"
            )  # fmt: skip
        return found

    def _at_most(self, i: int) -> bool:
        """ "up to EUR 100" is at most; "was up to EUR 9 mn" a rise (see UP_TO_MOVES)."""
        words = self.words
        return (
            i + 1 < len(words)
            and words[i + 1] == "to"
            and (i == 0 or words[i - 1] not in fl.UP_TO_MOVES)
        )

    def polarity_of(self, d: int) -> tuple[int | None, int]:
        """The metric a direction word acts on and its polarity (1: good when up, -1: bad).

        Forward first ("cut costs", "an increase in net sales", "rising costs"); then backward
        within the clause ("net profit for the third quarter dropped"; "up" and "down" look
        backward only); then the metric of the figure before the word ("profit, excluding
        one-offs, was EUR 3 mn, down from"). A move tied to an amount with no metric named
        ("shares of X fell 5 %", "fell 5 % to EUR 3") is a move of a figure, good when up,
        unless a two-sided figure such as prices is named before it."""
        ahead = None if self.words[d] in fl.BACKWARD_ONLY else self._forward(d)
        metric = ahead if ahead is not None else self._backward(d)
        if metric is None and (figure := self._figure_before(d)) is not None:
            metric = self.metric_before(figure.start, commas=2)
        if metric is not None:
            return metric, self.metrics[metric]
        if self._tied_to_amount(d) and fl.TWO_SIDED.isdisjoint(self.words[max(0, d - BACK) : d]):
            return None, 1
        return None, 0

    def _figure_before(self, d: int) -> Amount | None:
        """The amount a direction word after a comma describes: "EUR 3 mn, down from",
        "EUR 5 mn, representing a decrease of"."""
        comma = next((j for j in range(d - 1, max(-1, d - 4), -1) if self.ends[j]), None)
        if comma is None or not self.tokens[comma].endswith(","):
            return None
        return self.amount_before(comma + 1)

    def _forward(self, d: int) -> int | None:
        """The metric ahead over SKIPPABLE words and periods ("an increase in the group's
        third-quarter net sales"), and up to two other words right before it ("higher raw
        material costs"); of a compound, its last word ("production costs" is about costs). A
        noun reaches it only through "in" or "of" ("growth in sales", not "growth markets")."""
        words, metrics = self.words, self.metrics
        if words[d] in fl.NOUNS and (d + 1 == len(words) or words[d + 1] not in ("in", "of")):
            return None
        modifiers = 0
        for j in range(d + 1, min(len(words), d + 1 + FORWARD)):
            if self.ends[j - 1]:
                return None
            if j in metrics:
                while j + 1 in metrics and not self.ends[j]:
                    j += 1
                return j
            if not modifiers and self._skippable(j):
                continue
            word = words[j]
            if modifiers == 2 or not word.isalpha() or word in fl.STOPS or j in self.directions:
                return None
            modifiers += 1
        return None

    def _skippable(self, j: int) -> bool:
        """SKIPPABLE, or a period: "third-quarter", "2009", "q3"."""
        word = self.words[j]
        if word in fl.SKIPPABLE or word in fl.PERIODS:
            return True
        return word.rpartition("-")[2] in fl.PERIODS or (word.isdigit() and int(word) in YEARS)

    def _backward(self, d: int) -> int | None:
        """The nearest metric back in the clause; one comma right before the direction word
        (or before "a"/"an" and it) may be crossed: "EUR 7.2 mn, down from", "EUR 410 mn, a
        decline of 1 %". A qualified metric gives way to the one it qualifies: in "profit
        excluding restructuring costs grew" profit grew."""
        words, tokens = self.words, self.tokens
        qualified = None
        for j in range(d - 1, max(-1, d - 1 - BACK), -1):
            if self.ends[j]:
                right_before = j == d - 1 or (j == d - 2 and words[d - 1] in ("a", "an"))
                if not (right_before and tokens[j].endswith(",")):
                    return qualified
            if j in self.metrics:
                if j > 1 and words[j - 1] in ("in", "of") and j - 2 in self.directions:
                    return None  # "the drop in profit was larger": the drop was
                if j > 1 and words[j - 1] == "of" and j - 2 in self.metrics:
                    return j - 2  # "cost of sales rose": the cost rose
                if qualified is not None or fl.QUALIFIERS.isdisjoint(words[max(0, j - 3) : j]):
                    return j
                qualified = j
            if words[j] in fl.CLAUSE_WORDS or j in self.directions:
                return qualified
        return qualified

    def _tied_to_amount(self, d: int) -> bool:
        """Whether a sum or percentage follows the direction word: "fell 5 %", "rose by 5 %"."""
        starts = {amount.start for amount in self.amounts if not amount.bare}
        for j in range(d + 1, min(len(self.words), d + 4)):
            if self.ends[j - 1]:
                return False
            if j in starts:
                return True
            if self.words[j] not in fl.TO_AMOUNT:
                return False
        return False

    def metric_before(self, k: int, *, commas: int = 1) -> int | None:
        """The nearest metric before position ``k`` in its clause, across at most ``commas``
        commas: the figure a comparison is about ("operating loss was EUR 1.3 mn, down from")."""
        crossed = 0
        for j in range(k - 1, max(-1, k - 1 - BACK), -1):
            if self.ends[j]:
                crossed += 1
                if crossed > commas or not self.tokens[j].endswith(","):
                    return None
            if j in self.metrics:
                return j
            if self.words[j] in fl.CLAUSE_WORDS:
                return None
        return None

    def side(self, k: int) -> tuple[int | None, Amount | None]:
        """The metric and amount that "to", "from" or "compared with" at ``k`` introduces,
        within SIDE words of SIDE_WORDS and metrics: "from a net loss of EUR 6 mn", "from an
        EUR 5.3 mn loss"."""
        starts = {amount.start: amount for amount in self.amounts}
        metric = None
        for j in range(k + 1, min(len(self.words), k + 1 + SIDE)):
            if self.ends[j - 1]:
                break
            if j in starts:
                return (self.metric_after(starts[j]) if metric is None else metric), starts[j]
            if j in self.metrics:
                metric = j if metric is None else metric
            elif self.words[j] not in fl.SIDE_WORDS:
                break
        return metric, None

    def metric_after(self, amount: Amount) -> int | None:
        """A metric named right after an amount: "an EUR 5.3 mn loss", "0.80 eur dividend"."""
        after = (i for i in (amount.end, amount.end + 1) if not any(self.ends[amount.start : i]))
        return next((i for i in after if i in self.metrics), None)

    def amount_before(self, k: int, like: Amount | None = None) -> Amount | None:
        """The nearest amount ending before ``k`` in the clause, across at most one comma; in
        the currency of ``like`` if there is one ("EUR 8 mn ( $ 10 mn ) compared to EUR 9")."""
        found = None
        for amount in reversed(self.amounts):
            if amount.end > k:
                continue
            if k - amount.end > BACK or sum(self.ends[amount.end - 1 : k]) > 1:
                break
            if like is None or like.currency is None or amount.currency in (like.currency, None):
                return amount
            found = found or amount
        return found


@dataclass(frozen=True, slots=True)
class _Comparison:
    """ "to A from B", "from B to A", "A compared with B", "A versus B": A now, B before."""

    at: int  # the "from" or "compared" that carries the valence
    now_metric: int | None
    before_metric: int | None
    now: Amount | None
    before: Amount | None

    def swing(self, words: Sequence[str]) -> int:
        """1 from a loss to a profit, -1 from a profit to a loss, 0 if neither."""
        if self.now_metric is None or self.before_metric is None:
            return 0
        now, before = words[self.now_metric], words[self.before_metric]
        if now in fl.PROFIT_LIKE and before in fl.LOSS_LIKE:
            return 1
        if now in fl.LOSS_LIKE and before in fl.PROFIT_LIKE:
            return -1
        return 0


def _comparisons(reading: _Reading) -> list[_Comparison]:
    found = []
    words = reading.words
    for k, word in enumerate(words):
        if word == "from" and (k == 0 or words[k - 1] not in fl.RANGES):
            found.append(_from(reading, k))
        elif word in fl.COMPARED:
            after = k + 1 if k + 1 < len(words) and words[k + 1] in ("to", "with") else k
            before_metric, before = reading.side(after)
            now = reading.amount_before(k, like=before)
            now_metric = reading.metric_before(now.start if now else k)
            if now_metric is None and now is not None:
                now_metric = reading.metric_after(now)
            found.append(_Comparison(k, now_metric, before_metric, now, before))
    return found


def _from(reading: _Reading, k: int) -> _Comparison:
    """A "from": its amount and metric are the past ("from a loss of EUR 6 mn"); the present is
    after a "to" before it ("to EUR 3 mn from") or after it ("from EUR 9 mn to EUR 3 mn")."""
    words = reading.words
    before_metric, before = reading.side(k)
    to = next(
        (t for t in range(k - 1, max(-1, k - 1 - TO_BEFORE_FROM), -1) if words[t] == "to"), None
    )
    if to is not None and any(reading.ends[to : k - 1]):  # a comma right before "from" is fine
        to = None
    if to is None and before is not None:
        after = range(before.end, min(len(words), before.end + 3))
        to = next(
            (
                t
                for t in after
                if words[t] == "to"
                and words[t - 1] not in fl.COMPARED
                and not any(reading.ends[k:t])
            ),
            None,
        )
    if to is None:
        return _Comparison(k, reading.metric_before(k), before_metric, None, before)
    now_metric, now = reading.side(to)
    if now_metric is None:
        now_metric = reading.metric_before(min(to, k))
    return _Comparison(k, now_metric, before_metric, now, before)


def finance_valences(
    tokens: Sequence[str],
    words: Sequence[str],
    valences: Valences = Valences(),
    *,
    kept: Set[str] = frozenset(),
) -> dict[int, float] | None:
    """Word position -> valence for a finance text (0: score as a plain word); None when the
    text has no finance pattern, so VADER's own scores stand. A good-news metric with no move
    scores as a plain word ("operating profit was EUR 3 mn" is no news), unless it has a
    finance valence or is in ``kept`` (the deployment's lexicon overrides)."""
    if _TRIGGERS.isdisjoint(words) and not DIGIT.search("".join(tokens)):
        return None  # the common case in posts, decided without reading further
    amounts = find_amounts(tokens)
    sums = not all(amount.bare for amount in amounts)
    if not sums and fl.MARKERS.isdisjoint(words) and _MOVES.isdisjoint(words):
        return None  # nothing to read as finance, and no word that could make a rule fire
    reading = _Reading(tokens, words, amounts)
    found: dict[int, float] = {}
    linked: dict[int, int] = {}  # direction word -> its metric
    used: set[int] = set()  # metrics a rule speaks for: the rule's word carries their news
    for d, move in reading.directions.items():
        metric, polarity = reading.polarity_of(d)
        if not polarity:
            continue
        if metric is not None:
            linked[d] = metric
        sign = {"better": 1, "worse": -1, "up": polarity, "down": -polarity}[move]
        found[d] = sign * valences.direction
    for comparison in _comparisons(reading):
        sides = {comparison.now_metric, comparison.before_metric} - {None}
        if swing := comparison.swing(words):
            found[comparison.at] = swing * valences.swing
            found.update({d: 0.0 for d, metric in linked.items() if metric in sides})
        elif (change := _direction(comparison, reading, set(linked.values()))) is not None:
            found[comparison.at] = change * valences.comparison
        else:
            continue
        used.update(m for m in sides if m is not None)
    if not (found or sums) and fl.MARKERS.isdisjoint(words):
        return None
    used.update(linked.values())
    plain = {m: 0.0 for m in reading.metrics if m in used or words[m] in _PLAIN_METRICS - kept}
    signs = {amount.start: 0.0 for amount in amounts if amount.signed}
    return {**plain, **signs, **_plain_phrases(words), **found}


def _direction(comparison: _Comparison, reading: _Reading, moved: set[int]) -> int | None:
    """The sign of a comparison's numbers on its metric, unless a direction word speaks for
    that metric already."""
    metric = (
        comparison.now_metric if comparison.now_metric is not None else comparison.before_metric
    )
    if metric is None or metric in moved or comparison.now is None or comparison.before is None:
        return None
    change = comparison.now.minus(comparison.before)
    if not change:
        return None
    return reading.metrics[metric] * (1 if change > 0 else -1)


def _plain_phrases(words: Sequence[str]) -> Mapping[int, float]:
    """Words that are plain in a phrase: "as well as", "free cash flow" (see PLAIN_BEFORE)."""
    return {
        i: 0.0
        for i, word in enumerate(words[:-1])
        if words[i + 1] in fl.PLAIN_BEFORE.get(word, ())
        and (word != "well" or (i > 0 and words[i - 1] == "as"))
    }


class FinanceVader:
    """VADER with the finance rules; ``polarity_scores`` like VADER's.

    ``plain`` scores the texts with no finance pattern (default: FastVader with the same
    overrides; vaderSentiment's own analyzer gives the same numbers). Lexicon overrides hold
    in finance texts too, and win over the finance lexicon's plain words."""

    def __init__(
        self,
        lexicon_overrides: Mapping[str, float] | None = None,
        *,
        plain: Analyzer | None = None,
        valences: Valences = Valences(),
    ) -> None:
        overrides = dict(lexicon_overrides or {})
        self._engine = FastVader(
            {**fl.FINANCE_VALENCES, **overrides}, removed=fl.NEUTRAL - overrides.keys()
        )
        # Scores texts with no finance pattern for contributions, when ``plain`` is not fast.
        self._vader = plain if isinstance(plain, FastVader) else FastVader(overrides)
        self._plain = plain if plain is not None else self._vader
        self._valences = valences
        self._kept = frozenset(overrides)

    def reads_as_finance(self, text: str) -> bool:
        """Whether the text has a finance pattern, so the rules, not VADER alone, score it."""
        split = self._engine.split(text)
        return finance_valences(split.tokens, split.words, self._valences) is not None

    def polarity_scores(self, text: str) -> dict[str, float]:
        split = self._engine.split(text)
        found = finance_valences(split.tokens, split.words, self._valences, kept=self._kept)
        if found is not None:
            return self._engine.score_split(split, found)
        if isinstance(self._plain, FastVader):  # the same split: no need to read the text again
            return self._plain.score_split(split)
        return self._plain.polarity_scores(text)

    def contributions(self, text: str) -> list[tuple[str, float]]:
        """Each scored word's final valence, as :meth:`FastVader.contributions`, with the
        finance rules' valences where they apply; a text with no finance pattern is read by
        VADER with the overrides alone (the reference analyzer gives the same numbers)."""
        split = self._engine.split(text)
        found = finance_valences(split.tokens, split.words, self._valences, kept=self._kept)
        if found is not None:
            return self._engine.split_contributions(split, found)
        return self._vader.split_contributions(split)
