"""A drop-in, faster ``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment 3.3.2).

Why it exists: the reference lower-cases the whole word list again for every sentiment-bearing
word, rebuilds a 59-word negation list per check, walks every character looking for emoji and
runs ``list.index`` inside a loop for "but", so its cost grows with the square of the text
length. ``FastVader`` returns the same four numbers, bit for bit, several times faster and in
time linear in the text length, so stored scores stay comparable with VADER's published results.

vaderSentiment stays the reference and the source of data: the lexicons are read from its
package directory and the constants imported from it. Every quirk of 3.3.2 that changes the
numbers is reproduced on purpose; each is noted where it happens, with a one-line example.
``tests/test_vader_fast.py`` compares the two on the human-rated corpora and generated texts.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence, Set
from functools import cache
from heapq import heappop, heappush
from itertools import compress, repeat
from pathlib import Path
from typing import Final, NamedTuple

import vaderSentiment.vaderSentiment

_VADER = vaderSentiment.vaderSentiment  # the reference: its tables, and normalize()
# Its tables, typed. SENTIMENT_LADEN_IDIOMS is not used: the reference never calls its
# _sentiment_laden_idioms_check, so "cut the mustard" (+2 there) scores as "cut" (-1.1).
BOOSTERS: Final[Mapping[str, float]] = _VADER.BOOSTER_DICT
SPECIAL_CASES: Final[Mapping[str, float]] = _VADER.SPECIAL_CASES
NEGATIONS: Final[frozenset[str]] = frozenset(_VADER.NEGATE)
C_INCR: Final[float] = _VADER.C_INCR
N_SCALAR: Final[float] = _VADER.N_SCALAR
PACKAGE_DIR: Final = Path(_VADER.__file__).resolve().parent

# The multi-word special cases and booster n-grams ("the shit", "kind of"...): their first
# words, second words, and first two words. Tokens never contain spaces, so an n-gram of the
# reference's can only match where a token pair equals its first two words.
_IDIOMS: Final = [key.split(" ") for key in [*SPECIAL_CASES, *BOOSTERS] if " " in key]
_IDIOM_STARTS: Final = frozenset(idiom[0] for idiom in _IDIOMS)
_IDIOM_SECONDS: Final = frozenset(idiom[1] for idiom in _IDIOMS)
_IDIOM_PAIRS: Final = frozenset(f"{idiom[0]} {idiom[1]}" for idiom in _IDIOMS)
# Words that can change the valence of the lexicon word they are, or precede by up to 3 words:
# boosters, negations (and anything with "n't"), the "never so/this" and "without doubt"
# checks, "least", "no" and "kind of". A lexicon word with none of them (nor an idiom) among
# itself and the 3 words before keeps its lexicon valence, ALL CAPS aside, so skips the rules.
_MODIFIERS: Final = (
    frozenset(BOOSTERS) | NEGATIONS | {"never", "without", "so", "this", "least", "no", "kind"}
)
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]+")
_PUNCTUATION: Final = string.punctuation
_CACHE_LIMIT: Final = 200_000  # distinct tokens remembered before the cache starts over
# The pseudo-term that stands for VADER's "!" and "?" emphasis among a text's contributions.
EMPHASIS: Final = "!"


def _read(name: str) -> str:
    """A lexicon file as the reference reads it: UTF-8, line ends untouched."""
    return (PACKAGE_DIR / name).read_bytes().decode("utf-8")


@cache
def base_lexicon() -> Mapping[str, float]:
    """vader_lexicon.txt parsed like ``make_lex_dict``: word<TAB>mean<TAB>..., later lines win."""
    lexicon: dict[str, float] = {}
    for line in _read("vader_lexicon.txt").rstrip("\n").split("\n"):
        if line:
            word, measure = line.strip().split("\t")[0:2]
            lexicon[word] = float(measure)
    return lexicon


@cache
def emoji_lexicon() -> Mapping[str, str]:
    """emoji_utf8_lexicon.txt parsed like ``make_emoji_dict``: emoji<TAB>description."""
    emojis: dict[str, str] = {}
    for line in _read("emoji_utf8_lexicon.txt").rstrip("\n").split("\n"):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return emojis


@cache
def _emoji_pass() -> tuple[frozenset[str], dict[str, str], bool]:
    """(matchable emoji, the replacement of each, whether ASCII text can skip the pass).

    The reference looks up one code point at a time, so only single-code-point entries can
    match; the parts of a sequence match on their own: "👏🏽" is "clapping hands" then
    "medium skin tone", "❤️" leaves U+FE0F glued to "heart", "🇺🇸" (no entry) stays as is.
    It puts a space before a description unless the previous character was a space, and none
    after: "😊abc" gives "... smiling eyesabc". Only ``split()`` and the "!"/"?" counts see the
    result, so a space before every description gives the same words and counts.
    """
    singles = {emoji: " " + text for emoji, text in emoji_lexicon().items() if len(emoji) == 1}
    # Replacing one emoji after another equals the reference's single pass only if no
    # description contains a matchable emoji itself (true of 3.3.2's file).
    if any(char in singles for text in singles.values() for char in text):
        raise RuntimeError("an emoji description contains an emoji; replace in one pass")
    return frozenset(singles), singles, all(not emoji.isascii() for emoji in singles)


def _lower_word(token: str) -> str:
    """SentiText's word for a token, lower-cased: leading and trailing ASCII punctuation is
    stripped unless that leaves 2 characters or fewer ("(good)." -> "good", ":)" and "no."
    stay as they are, so "no." is not the negation "no"). Punctuation-only tokens ("!!!",
    "--") and 1-character ones ("a", "I") stay words, and count as neutral ones unless in the
    lexicon (":)"): 3.3.2 drops no token."""
    stripped = token.strip(_PUNCTUATION)
    return (token if len(stripped) <= 2 else stripped).lower()


def _negates(word: str) -> bool:
    """The reference's ``negated([word])``: a NEGATE word or anything containing "n't"
    (ASCII apostrophe only: "isn’t" does not negate)."""
    return word in NEGATIONS or "n't" in word


def _after_no(words: Sequence[str], i: int) -> bool:
    """Whether "no" is 1 or 2 words before, or 3 before with "or"/"nor" right before the
    word. E.g. "no problems or worries": "worries" is flipped."""
    return (
        (i > 0 and words[i - 1] == "no")
        or (i > 1 and words[i - 2] == "no")
        or (i > 2 and words[i - 3] == "no" and words[i - 1] in ("or", "nor"))
    )


def _booster(word: str, token: str, valence: float, cap_diff: bool) -> float:
    """``scalar_inc_dec`` for a booster word: its push, signed like the valence; in ALL CAPS
    (with cap_diff) C_INCR more, away from zero, a 0 valence counting as negative."""
    scalar = BOOSTERS[word]
    if valence < 0:
        scalar *= -1
    if cap_diff and token.isupper():
        scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negation_two_back(valence: float, words: Sequence[str], i: int) -> float:
    """``_negation_check`` for the word 2 before: "never so/this" boosts by 1.25,
    "without doubt" keeps the valence, a negation flips it ("not very good")."""
    two, one = words[i - 2], words[i - 1]
    if two == "never" and (one == "so" or one == "this"):
        return valence * 1.25
    if two == "without" and one == "doubt":
        return valence
    return valence * N_SCALAR if _negates(two) else valence


def _negation_three_back(valence: float, words: Sequence[str], i: int) -> float:
    """``_negation_check`` for the word 3 before. Operator precedence in the reference makes
    "so" or "this" right before the word boost by 1.25 on its own, given any non-lexicon word
    3 before: "I am so happy" gets it on top of the booster "so", "so happy" does not."""
    three, two, one = words[i - 3], words[i - 2], words[i - 1]
    if (three == "never" and (two == "so" or two == "this")) or (one == "so" or one == "this"):
        return valence * 1.25
    if three == "without" and (two == "doubt" or one == "doubt"):
        return valence
    return valence * N_SCALAR if _negates(three) else valence


def _idioms(valence: float, words: Sequence[str], i: int) -> float:
    """``_special_idioms_check``, reached only when the word has 3 words before it and the
    third is not in the lexicon: "the shit" scores 3 in "this is the shit" but not in "the
    shit". A special case replaces the valence, negation included ("this is not the bomb"
    scores as "this is the bomb"); the first backward match wins, a forward one ("bad ass",
    "kiss of death") overrides it.
    "kind of"/"sort of"/"just enough" 2-3 words back then add B_DECR unsigned, so "kind of bad"
    gets more negative. Only n-grams of whole words can match: "kiss of death" needs 3 words.
    """
    if (
        words[i] not in _IDIOM_STARTS
        and words[i - 1] not in _IDIOM_STARTS
        and words[i - 2] not in _IDIOM_STARTS
        and words[i - 3] not in _IDIOM_STARTS
    ):
        return valence
    zero, one, two, three = words[i], words[i - 1], words[i - 2], words[i - 3]
    two_one = f"{two} {one}"
    three_two_one = f"{three} {two} {one}"
    three_two = f"{three} {two}"
    for seq in (f"{one} {zero}", f"{two} {one} {zero}", two_one, three_two_one, three_two):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    last = len(words) - 1
    if last > i and (ahead := f"{zero} {words[i + 1]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[ahead]
    if last > i + 1 and (ahead := f"{zero} {words[i + 1]} {words[i + 2]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[ahead]
    for n_gram in (three_two_one, three_two, two_one):
        if n_gram in BOOSTERS:
            valence = valence + BOOSTERS[n_gram]
    return valence


def _modifier_flags(words: list[str], has_nt: bool) -> tuple[bytearray, bool]:
    """1 for each modifier (see ``_MODIFIERS``) and each idiom's first word, and whether there
    is any idiom; ``has_nt``: whether a word may contain "n't". An idiom counts only if its
    second word follows."""
    flags = bytearray(map(_MODIFIERS.__contains__, words))
    idioms = False
    if not _IDIOM_SECONDS.isdisjoint(words):
        for j in compress(range(len(words) - 1), map(_IDIOM_STARTS.__contains__, words)):
            if f"{words[j]} {words[j + 1]}" in _IDIOM_PAIRS:
                flags[j] = idioms = True
    if has_nt:
        for j in compress(range(len(words)), map(str.__contains__, words, repeat("n't"))):
            flags[j] = 1
    return flags, idioms


def _but_scaled(positions: Sequence[int], values: list[float], but: int) -> list[float]:
    """``_but_check``: halve sentiment before the first "but", ×1.5 after it.

    The reference loops over the list and rescales ``sentiments[sentiments.index(value)]``,
    the first entry equal to the value *now*, which may be an earlier, already rescaled one:
    in "magnificently but active" (3.4, 1.7) "magnificently" is halved to 1.7, then "active"
    finds it and halves it again to 0.85, and "active" is never ×1.5, so the text scores like
    "magnificently active but". Plain repeats ("good but good") come out as expected. Here each
    value keeps a heap of the positions now holding it: the same result in O(n log n) instead
    of O(n²). Zeros (unscored words) stay zero whatever happens to them, so are left out.
    """
    out = list(values)
    holders: dict[float, list[int]] = {}
    for k, value in enumerate(values):
        if value == 0:
            continue
        heap = holders.setdefault(value, [])
        heappush(heap, k)
        first = heap[0]
        if positions[first] == but:
            continue
        scaled = value * 0.5 if positions[first] < but else value * 1.5
        heappop(heap)
        out[first] = scaled
        if scaled != 0:
            heappush(holders.setdefault(scaled, []), first)
    return out


def _punctuation_emphasis(text: str) -> float:
    """Up to 4 "!" add 0.292 each; 2-3 "?" add 0.18 each, 4 or more add 0.96 (a single "?"
    adds nothing). Counted over the whole text, emoji descriptions included ("🔛" is "ON!")."""
    exclamations = min(text.count("!"), 4)
    questions = text.count("?")
    question_boost = 0.0
    if questions > 1:
        question_boost = questions * 0.18 if questions <= 3 else 0.96
    return exclamations * 0.292 + question_boost


def _scores(values: Sequence[float], words: int, text: str) -> dict[str, float]:
    """``score_valence`` over the scored words' values; the other ``words - len(values)``
    words are neutral zeros, which add nothing to the sums."""
    if not words:
        return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    total_valence = float(sum(values))
    emphasis = _punctuation_emphasis(text)
    if total_valence > 0:
        total_valence += emphasis
    elif total_valence < 0:
        total_valence -= emphasis
    compound: float = _VADER.normalize(total_valence)
    pos_sum, neg_sum, neutral = 0.0, 0.0, words - len(values)
    for value in values:
        if value > 0:
            pos_sum += float(value) + 1
        if value < 0:
            neg_sum += float(value) - 1
        if value == 0:
            neutral += 1
    if pos_sum > abs(neg_sum):
        pos_sum += emphasis
    elif pos_sum < abs(neg_sum):
        neg_sum -= emphasis
    total = pos_sum + abs(neg_sum) + neutral
    return {
        "neg": round(abs(neg_sum / total), 3),
        "neu": round(abs(neutral / total), 3),
        "pos": round(abs(pos_sum / total), 3),
        "compound": round(compound, 4),
    }


class Split(NamedTuple):
    """A text as the rules read it: after the emoji pass, its tokens, their lower-cased words."""

    text: str
    tokens: list[str]
    words: list[str]


class FastVader:
    """VADER's ``polarity_scores`` with the reference's numbers, in linear time."""

    def __init__(
        self,
        lexicon_overrides: Mapping[str, float] | None = None,
        *,
        removed: Set[str] = frozenset(),
    ) -> None:
        """``removed``: words taken out of the lexicon after the overrides, so they score as
        plain words (a zero valence would still take a booster's push: "very x")."""
        lexicon = dict(base_lexicon())
        if lexicon_overrides:
            lexicon = {**lexicon, **lexicon_overrides}
        for word in removed:
            lexicon.pop(word, None)
        self._lexicon: dict[str, float] = lexicon
        # Boosters are skipped before the lexicon is consulted ("very" is never scored), so
        # only these words get a valence of their own.
        self._scored = frozenset(word for word in lexicon if word not in BOOSTERS)
        self._least_is_word = "least" in lexicon
        self._emojis, self._descriptions, self._ascii_skips = _emoji_pass()
        self._lower_of: dict[str, str] = {}

    def polarity_scores(self, text: str) -> dict[str, float]:
        """neg/neu/pos/compound exactly as ``SentimentIntensityAnalyzer.polarity_scores``."""
        if not (self._ascii_skips and text.isascii()):
            text = self._describe_emoji(text)
        tokens = text.split()
        return self._score(text, tokens, self._lowered(tokens), {})

    def split(self, text: str) -> Split:
        """What the rules read: the text after the emoji pass, its tokens and their words."""
        if not (self._ascii_skips and text.isascii()):
            text = self._describe_emoji(text)
        tokens = text.split()
        return Split(text, tokens, self._lowered(tokens))

    def score_split(
        self, split: Split, valences: Mapping[int, float] | None = None
    ) -> dict[str, float]:
        """The scores of a split text. ``valences`` (word position -> valence) replace the
        lexicon's at those positions, and VADER's rules (negation, boosters, "but", caps) then
        apply to them as to any lexicon word; a 0 there scores the word as a plain word."""
        return self._score(*split, valences or {})

    def contributions(self, text: str) -> list[tuple[str, float]]:
        """Each scored word's final valence, after boosters, negation, caps and "but", in text
        order, then VADER's punctuation emphasis as :data:`EMPHASIS` when it counts: summed in
        this order they give exactly the total that ``normalize`` turns into the compound."""
        return self.split_contributions(self.split(text))

    def split_contributions(
        self, split: Split, valences: Mapping[int, float] | None = None
    ) -> list[tuple[str, float]]:
        """:meth:`contributions` of a split text, ``valences`` as in :meth:`score_split`."""
        text, tokens, words = split
        positions, values = self._final_values(tokens, words, valences or {})
        terms = [(words[i], value) for i, value in zip(positions, values, strict=True) if value]
        total = float(sum(values))
        if total and (emphasis := _punctuation_emphasis(text)):
            terms.append((EMPHASIS, emphasis if total > 0 else -emphasis))
        return terms

    def _score(
        self, text: str, tokens: list[str], words: list[str], valences: Mapping[int, float]
    ) -> dict[str, float]:
        return _scores(self._final_values(tokens, words, valences)[1], len(words), text)

    def _final_values(
        self, tokens: list[str], words: list[str], valences: Mapping[int, float]
    ) -> tuple[list[int], list[float]]:
        """The positions of the scored words and their valences after every rule."""
        scored = compress(range(len(words)), map(self._scored.__contains__, words))
        if valences:
            zeros = {i for i, valence in valences.items() if not valence}
            positions = sorted({*scored, *valences} - zeros)
        else:
            positions = list(scored)
        if not positions:
            return positions, []
        values = self._values(positions, words, tokens, valences)
        if "but" in words:
            values = _but_scaled(positions, values, words.index("but"))
        return positions, values

    def __getstate__(self) -> dict[str, object]:
        """Pickled (e.g. for worker processes) without the token cache, which refills."""
        return {**self.__dict__, "_lower_of": {}}

    def _describe_emoji(self, text: str) -> str:
        """Each emoji replaced by " " + its description (see ``_emoji_pass``)."""
        for emoji in self._emojis.intersection("".join(_NON_ASCII.findall(text))):
            text = text.replace(emoji, self._descriptions[emoji])
        return text

    def _lowered(self, tokens: list[str]) -> list[str]:
        """Each token's lower-cased word, computed once per distinct token."""
        try:
            return list(map(self._lower_of.__getitem__, tokens))
        except KeyError:
            return [self._learn(token) for token in tokens]

    def _learn(self, token: str) -> str:
        word = self._lower_of.get(token)
        if word is None:
            if len(self._lower_of) >= _CACHE_LIMIT:
                self._lower_of.clear()
            word = self._lower_of[token] = _lower_word(token)
        return word

    def _values(
        self,
        positions: list[int],
        words: list[str],
        tokens: list[str],
        valences: Mapping[int, float],
    ) -> list[float]:
        """The valence of each scored word, the full rules only where a modifier can reach."""
        lexicon = self._lexicon
        # ALL-CAPS words only count when some, not all, words are ALL CAPS: "GREAT job" vs
        # "GREAT JOB"; "I" is an ALL-CAPS word too. Stripping punctuation never changes
        # isupper(), so the tokens can be used.
        cap_diff = 0 < sum(map(str.isupper, tokens)) < len(tokens)
        flags, idioms = _modifier_flags(words, "n't" in "".join(words))
        values: list[float] = []
        for i in positions:
            value = valences[i] if valences and i in valences else lexicon[words[i]]
            if flags.find(1, i - 3 if i > 3 else 0, i + 1) >= 0:
                value = self._valence(i, value, words, tokens, cap_diff, idioms, valences)
            elif cap_diff and tokens[i].isupper():
                value = value + C_INCR if value > 0 else value - C_INCR
            values.append(value)
        return values

    def _valence(
        self,
        i: int,
        base: float,
        words: list[str],
        tokens: list[str],
        cap_diff: bool,
        idioms: bool,
        valences: Mapping[int, float],
    ) -> float:
        """``sentiment_valence`` for the scored word at ``i``, whose lexicon (or given)
        valence is ``base``; ``idioms``: whether the text has any idiom's first two words."""
        lexicon = self._lexicon
        word = words[i]
        last = len(words) - 1
        if word == "kind" and i < last and words[i + 1] == "of":
            return 0  # "kind of good": "kind" is a dampener here, not the lexicon's +2.4
        valence = base
        # "no" right before another scored word scores 0 and flips that word; a later "no"
        # rule resets from the lexicon: in "no no good" the second "no" scores -1.2 * -0.74.
        if word == "no" and i != last and (words[i + 1] in lexicon or valences.get(i + 1)):
            valence = 0.0
        if _after_no(words, i):
            valence = base * N_SCALAR
        # ALL CAPS adds C_INCR away from zero; a 0 valence counts as negative: "NO good".
        if cap_diff and tokens[i].isupper():
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        # The 3 words before, each only if it is not a lexicon word itself: boosters (scaled
        # 1, 0.95, 0.9 by distance) and negations, 1-3 words back ("not a b good" flips, "not a
        # b c good" does not). The reference adds 0.0 for non-boosters: no output can tell.
        if i > 0 and (one := words[i - 1]) not in lexicon:
            if one in BOOSTERS:
                valence = valence + _booster(one, tokens[i - 1], valence, cap_diff)
            if one in NEGATIONS or "n't" in one:
                valence = valence * N_SCALAR
        if i > 1 and (two := words[i - 2]) not in lexicon:
            if two in BOOSTERS:
                valence = valence + _booster(two, tokens[i - 2], valence, cap_diff) * 0.95
            valence = _negation_two_back(valence, words, i)
        if i > 2 and (three := words[i - 3]) not in lexicon:
            if three in BOOSTERS:
                valence = valence + _booster(three, tokens[i - 3], valence, cap_diff) * 0.9
            valence = _negation_three_back(valence, words, i)
            if idioms:
                valence = _idioms(valence, words, i)
        return self._least(valence, words, i)

    def _least(self, valence: float, words: list[str], i: int) -> float:
        """``_least_check``: "least" right before flips the word, except after "at"/"very":
        "the least good" flips, "at least good" and "very least good" do not, and "least
        good" at the start of the text flips."""
        if self._least_is_word or i == 0 or words[i - 1] != "least":
            return valence
        if i > 1 and words[i - 2] in ("at", "very"):
            return valence
        return valence * N_SCALAR
