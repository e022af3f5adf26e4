"""FastVader against vaderSentiment 3.3.2's polarity_scores: the same four floats, bit for bit.

The parity corpus is VADER's four human-rated corpora (tests/data/vader) plus seeded
generated texts built from the installed lexicon and the words every rule looks for; a
Hypothesis test draws more. Any difference fails with the text and both dicts.
"""

from __future__ import annotations

import functools
import pickle
import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    NEGATE,
    SENTIMENT_LADEN_IDIOMS,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

import ravine.vader_fast
from ravine.vader_fast import FastVader

DATA = Path(__file__).resolve().parent / "data" / "vader"
# The tweets run by default, so every run reads the data; the other three run with the slow tests.
CORPORA = [
    "tweets",
    *(
        pytest.param(name, marks=pytest.mark.slow)
        for name in ["movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"]
    ),
]
KEYS = ["neg", "neu", "pos", "compound"]
SEED = 20240611
PER_KIND = 4_000  # generated texts per kind of text below
REFERENCE = SentimentIntensityAnalyzer()
FAST = FastVader()

# ---- what generated texts are made of -------------------------------------------------------
LEXICON = sorted(REFERENCE.lexicon)
EMOJI = sorted(REFERENCE.emojis)  # single code points and the sequences the reference can't match
SEQUENCES = [
    "🇺🇸", "🇫🇷🇩🇪", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "❤️", "❤", "♥️", "👍🏽", "👏🏿", "🙏🏻", "✈️", "☺️",
    "1️⃣", "#️⃣", "😊🏻", "🏽", "\u200d", "\ufe0f", "💔💔", "😂😂😂",
]  # fmt: skip
NEGATIONS = [
    *NEGATE, "isn't", "don't", "won't", "ISN'T", "Don't", "WON'T", "isn’t", "don’t", "n't",
    "doesn't.", "(can't)", "ain't!", "wouldn't've", "NOT", "Never", "no", "No", "NO",
]  # fmt: skip
BOOSTERS = [*BOOSTER_DICT, "VERY", "Really", "EXTREMELY", "kinda", "KIND OF", "Sort-Of"]
IDIOMS = [*SPECIAL_CASES, *SENTIMENT_LADEN_IDIOMS, "The Shit", "THE BOMB", "Bad Ass", "badass"]
RULE_WORDS = [
    "but", "BUT", "But", "but,", "least", "at least", "very least", "the least", "at the least",
    "LEAST", "never so", "never this", "never", "so", "this", "SO", "without doubt",
    "without a doubt", "without any doubt", "doubt", "or", "nor", "no", "kind", "of", "sort",
    "kind of", "sort of", "kinda", "just enough", "yeah right", "kiss of death", "to die for",
    "beating heart", "bus stop", "the", "to", "die", "for", "right", "heart", "stop",
]  # fmt: skip
FILLERS = [
    "the", "a", "it", "was", "is", "flight", "crew", "app", "we", "they", "today", "and",
    "I", "you", "movie", "service", "food", "of", "to", "with", "x", "A", "i", "2", "ok",
]  # fmt: skip
PUNCTUATION = [
    "!", "?", ".", ",", "...", "!!", "??", "?!", "!?", ":)", ":(", ":-D", ":D", ";)", "<3",
    ":'(", "-", "--", "'", '"', "(", ")", "*", "#", "@", "&", "/", "\\", "''", "..", "!!!!!!",
]  # fmt: skip
NON_ASCII = [
    "café", "über", "naïve", "Ελληνικά", "καλό", "ΚΑΛΌΣ", "ΟΔΟΣ", "ΑΣ.", "日本語", "好", "İstanbul",
    "\u212a", "ＧＯＯＤ", "straße", "ǅemal", "Ωmega", "é", "ü", "Ü", "ﬁne", "«good»", "“bad”",
    "…", "–", "Привет", "ПЛОХО", "مرحبا", "😊", "good😊", "😊good", "bad💔bad", "¡genial!",
]  # fmt: skip
NEVER_WITHOUT = [
    "never so", "never this", "never", "without doubt", "without a doubt", "without any doubt",
    "never so very", "so", "this", "without", "doubt",
]  # fmt: skip
NO_SHAPES = [
    "no {w}", "no {x} {w}", "no {x} or {w}", "no {x} nor {w}", "no {w} {w}", "no no {w}",
    "{w} no", "no", "NO {w}", "no {x} {x} {w}", "{w} no {w}", "no {x} {x} or {w}",
]  # fmt: skip
APOSTROPHES = [
    "isn't", "don't", "won't", "can't", "I'm", "it's", "'good'", "o'clock", "rock'n'roll",
    "'bad", "nice'", "y'all", "n't", "’", "don’t", "'''", "'s", "Mary's", "cann't", "'no'",
]  # fmt: skip
SEPARATORS = [" "] * 12 + ["  ", "\t", "\n", ", ", ". ", "! ", "\u00a0", "\u2003", "\u200b", ""]


def _halves() -> list[tuple[str, str]]:
    """Pairs of one-word lexicon entries where the second has exactly half the first's valence
    (up to 8 words of each valence)."""
    by_valence: dict[float, list[str]] = {}
    for word in LEXICON:
        if word.isalpha():
            by_valence.setdefault(REFERENCE.lexicon[word], []).append(word)
    return [
        (word, half)
        for value, words in by_valence.items()
        if value != 0
        for word in words[:8]
        for half in by_valence.get(value * 0.5, [])[:8]
    ]


HALVES = _halves()


def _cased(rng: random.Random, word: str) -> str:
    """Mostly as is; sometimes UPPER, Title or random case, to stress the ALL-CAPS rules."""
    roll = rng.random()
    if roll < 0.65:
        return word
    if roll < 0.85:
        return word.upper()
    if roll < 0.93:
        return word.title()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


def _join(rng: random.Random, pieces: Iterable[str]) -> str:
    text = ""
    for piece in pieces:
        text += (rng.choice(SEPARATORS) if text else "") + piece
    return text


def _lex(rng: random.Random) -> str:
    return _cased(rng, rng.choice(LEXICON))


def _filler(rng: random.Random, count: int) -> list[str]:
    """``count`` words before a lexicon word: mostly neutral, some lexicon words or boosters,
    so the "word before is not in the lexicon" conditions go both ways."""
    pool = (FILLERS, FILLERS, FILLERS, LEXICON, BOOSTERS, RULE_WORDS)
    return [_cased(rng, rng.choice(rng.choice(pool))) for _ in range(count)]


def _tail(rng: random.Random) -> list[str]:
    """Nothing, or a few more words and punctuation."""
    if rng.random() < 0.5:
        return []
    tail = [*_filler(rng, rng.randint(0, 2)), _lex(rng)]
    return [*tail, rng.choice(PUNCTUATION)] if rng.random() < 0.3 else tail


def _opening(rng: random.Random) -> list[str]:
    return _filler(rng, rng.choice([0, 0, 1, 2, 3, 4]))


def negations(rng: random.Random) -> str:
    """A negation 1, 2, 3 or 4 words before a lexicon word (only 1..3 count)."""
    gap = _filler(rng, rng.choice([0, 1, 2, 3]))
    return _join(rng, [*_opening(rng), rng.choice(NEGATIONS), *gap, _lex(rng), *_tail(rng)])


def never_without(rng: random.Random) -> str:
    """The "never so/this" and "without doubt" checks, and their words at every distance."""
    lead = rng.choice(NEVER_WITHOUT)
    gap = _filler(rng, rng.choice([0, 0, 1, 2]))
    return _join(rng, [*_opening(rng), _cased(rng, lead), *gap, _lex(rng), *_tail(rng)])


def but_duplicates(rng: random.Random) -> str:
    """Few distinct lexicon words repeated around one or two "but"s, often a word before and
    one of half its valence after: list.index finds the first equal value, so the halved word
    before "but" is found (and halved again) instead of the one after it."""
    pair = list(rng.choice(HALVES))
    words = [*pair, *(rng.choice(LEXICON) for _ in range(rng.randint(1, 2)))]
    pool = [*words, *words, *words, *FILLERS[:6], *BOOSTERS[:3], *NEGATIONS[:3]]
    before = [rng.choice(pool) for _ in range(rng.randint(0, 6))]
    after = [rng.choice(pool) for _ in range(rng.randint(0, 6))]
    if rng.random() < 0.6:
        before.insert(rng.randint(0, len(before)), pair[0])
        after.insert(rng.randint(0, len(after)), pair[1])
    pieces = [*before, rng.choice(["but", "BUT", "But", "but,"]), *after]
    if rng.random() < 0.2:
        pieces.insert(rng.randint(0, len(pieces)), "but")
    if rng.random() < 0.7:
        return _join(rng, pieces)
    return _join(rng, [_cased(rng, piece) for piece in pieces])


def least(rng: random.Random) -> str:
    lead = rng.choice(["least", "at least", "very least", "the least", "at the least", "LEAST"])
    return _join(rng, [*_opening(rng), _cased(rng, lead), _lex(rng), *_tail(rng)])


def idioms(rng: random.Random) -> str:
    """Special cases and "kind of"/"sort of" at every distance before or after a lexicon word
    (the reference only checks them with 3 words before the lexicon word)."""
    idiom = _cased(rng, rng.choice([*IDIOMS, *BOOSTERS[-20:], "kind of", "sort of", "kind"]))
    gap = _filler(rng, rng.choice([0, 0, 1, 2]))
    pieces = [*_opening(rng), idiom, *gap, _lex(rng), *_tail(rng)]
    if rng.random() < 0.3:
        pieces = [*_opening(rng), _lex(rng), idiom, *_tail(rng)]
    return _join(rng, pieces)


def boosters(rng: random.Random) -> str:
    lead = [_cased(rng, rng.choice(BOOSTERS)) for _ in range(rng.randint(1, 3))]
    gap = _filler(rng, rng.choice([0, 0, 1]))
    return _join(rng, [*_opening(rng), *lead, *gap, _lex(rng), *_tail(rng)])


def capitals(rng: random.Random) -> str:
    """ALL CAPS mixed with lower case, and texts in all caps (no differential then)."""
    pool = [*LEXICON, *FILLERS, *BOOSTERS, *NEGATIONS]
    pieces = [rng.choice(pool) for _ in range(rng.randint(1, 12))]
    text = _join(rng, [_cased(rng, piece) for piece in pieces])
    return text.upper() if rng.random() < 0.3 else text


def punctuation_runs(rng: random.Random) -> str:
    """Runs of "!" and "?" of many lengths (the caps are 4 "!" and 3 "?"), anywhere."""
    count = rng.randint(0, 8)
    pieces = [_lex(rng) if rng.random() < 0.5 else rng.choice(FILLERS) for _ in range(count)]
    for _ in range(rng.randint(1, 3)):
        run = "!" * rng.randint(0, 7) + "?" * rng.randint(0, 6)
        if rng.random() < 0.3:
            run = "".join(rng.sample(run, len(run)))
        pieces.insert(rng.randint(0, len(pieces)), run)
    glue = rng.random() < 0.5  # "good!!!" rather than "good !!!"
    return ("" if glue else " ").join(pieces) if pieces else ""


def emoji(rng: random.Random) -> str:
    """Single and multi-code-point emoji (skin tones, flags, ZWJ), spaced or glued to words."""
    pieces: list[str] = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.4:
            pieces.append(rng.choice(EMOJI))
        elif roll < 0.55:
            pieces.append(rng.choice(SEQUENCES))
        elif roll < 0.8:
            pieces.append(_lex(rng))
        else:
            pieces.append(rng.choice([*FILLERS, *NEGATIONS, *PUNCTUATION]))
    if rng.random() < 0.4:
        return "".join(pieces)
    return _join(rng, pieces)


def non_ascii(rng: random.Random) -> str:
    pool = [*NON_ASCII, *NON_ASCII, *LEXICON, *FILLERS]
    pieces = [rng.choice(pool) for _ in range(rng.randint(1, 10))]
    return _join(rng, [_cased(rng, piece) for piece in pieces])


def no_rule(rng: random.Random) -> str:
    """The word "no" before a lexicon word, before "or"/"nor", alone, twice, at the end."""
    text = rng.choice(NO_SHAPES)
    while "{w}" in text or "{x}" in text:
        text = text.replace("{w}", rng.choice(LEXICON), 1).replace("{x}", rng.choice(FILLERS), 1)
    return _join(rng, [*_opening(rng), _cased(rng, text), *_tail(rng)])


def contractions(rng: random.Random) -> str:
    """Apostrophes in and around words: contractions, quotes, possessives."""
    pool = [*APOSTROPHES, *APOSTROPHES, *LEXICON, *FILLERS]
    pieces = [rng.choice(pool) for _ in range(rng.randint(1, 10))]
    return _join(rng, [_cased(rng, piece) for piece in pieces])


def mixed(rng: random.Random) -> str:
    """Anything from every pool, up to 40 pieces."""
    pools = [LEXICON, LEXICON, FILLERS, NEGATIONS, BOOSTERS, IDIOMS, RULE_WORDS, PUNCTUATION,
             EMOJI, SEQUENCES, NON_ASCII]  # fmt: skip
    pieces = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 40))]
    return _join(rng, [_cased(rng, piece) for piece in pieces])


KINDS: dict[str, Callable[[random.Random], str]] = {
    kind.__name__: kind
    for kind in (
        negations, never_without, but_duplicates, least, idioms, boosters, capitals,
        punctuation_runs, emoji, non_ascii, no_rule, contractions, mixed,
    )
}  # fmt: skip
EDGE_CASES = [
    "", " ", "   ", "\t", "\n", "\t\n \r", "\u00a0", "\u200b", "!", "?", "!!!!!!", "???", "?!?!",
    ".", "...", ":)", ":(", ":-)", ":D", ":d", "<3", "a", "I", "a b c", "x y z w", "no", "NO",
    "No.", "not", "but", "BUT", "least", "kind", "kind of", "of", "so", "this", "never so",
    "the shit", "the bomb", "this is the shit", "not the bomb", "yeah right", "no no no",
    "at least", "very least", "the least", "😊", "😊😊", "😊abc", "abc😊", "a😊b", " 😊 ", "🇺🇸",
    "❤️", "👍🏽", "🔛", "🔛🔛🔛", "🔝!", "!😊", "' '", "''", "--", "(", ")", "()", "é", "ΣΣΣ",
    "GOOD", "GOOD bad", "good BAD!!!", "VERY good", "very GOOD", "VERY GOOD", "Very Good",
]  # fmt: skip
# The examples in ravine/vader_fast.py's comments, one per quirk.
QUIRK_EXAMPLES = [
    "magnificently but active", "magnificently active but", "good but good", "good good but good",
    "this is the shit", "the shit", "this is not the bomb", "this is the bomb", "not the bomb",
    "I am so happy", "I am happy", "so happy", "not a good", "not a b good", "not a b c good",
    "no. good", "no good", "not. good", "no problems or worries", "no no good", "NO good",
    "cut the mustard", "cut", "he is kind of bad", "it was kind of good", "kind of good",
    "it was sort of really good", "isn’t good", "isn't good", "GOOD job", "GOOD JOB",
    "the least good", "at least good", "very least good", "least good", "😊abc", "👏🏽 great",
    "❤️ you", "🇺🇸 great", "🔛 good", "(good).", ":) good", "you are such a bad ass",
    "that was the kiss of death", "VERY no good", "without doubt good", "never so good",
]  # fmt: skip


@functools.cache
def generated(kind: str, count: int = PER_KIND) -> list[str]:
    """``count`` texts of one kind, the same on every run (a seed per kind)."""
    rng = random.Random(f"{SEED}-{kind}")
    return [KINDS[kind](rng) for _ in range(count)]


def long_text(rng: random.Random, chars: int) -> str:
    """A text of about ``chars`` characters, from every kind of generated text."""
    parts: list[str] = []
    while sum(len(part) + 1 for part in parts) < chars:
        parts.append(rng.choice(list(KINDS.values()))(rng))
    return " ".join(parts)


# ---- comparison ------------------------------------------------------------------------------
def differences(
    texts: Iterable[str],
    fast: FastVader = FAST,
    reference: SentimentIntensityAnalyzer = REFERENCE,
) -> list[str]:
    """One message per text whose dicts differ in keys or in any field (==, and repr so that
    -0.0 and 0.0 count as different)."""
    found: list[str] = []
    for text in texts:
        ours = fast.polarity_scores(text)
        theirs = reference.polarity_scores(text)
        same = list(ours) == list(theirs) == KEYS and all(
            ours[key] == theirs[key] and repr(ours[key]) == repr(theirs[key]) for key in KEYS
        )
        if not same:
            found.append(f"text={text!r}\n  fast:      {ours}\n  reference: {theirs}")
    return found


def assert_same(
    texts: list[str],
    fast: FastVader = FAST,
    reference: SentimentIntensityAnalyzer = REFERENCE,
) -> None:
    found = differences(texts, fast, reference)
    shown = "\n".join(found[:5])
    assert not found, f"{len(found)} of {len(texts)} texts differ, e.g.\n{shown}"


@functools.cache
def corpus(name: str) -> list[str]:
    """The texts of one human-rated corpus: tab-separated id, rating, text."""
    lines = (DATA / f"{name}_GroundTruth.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 2)[2] for line in lines if line.strip()]


# ---- tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CORPORA)
def test_human_rated_corpora(name: str) -> None:
    texts = corpus(name)
    assert len(texts) > 3000
    assert_same(texts)


@pytest.mark.parametrize("kind", list(KINDS))
def test_generated_texts(kind: str) -> None:
    texts = generated(kind)
    assert len(set(texts)) > PER_KIND // 4  # the generator really varies
    assert_same(texts)


def test_generated_corpus_is_large_enough() -> None:
    """The generated texts alone pass 50,000; the human-rated corpora add 23,703."""
    assert sum(len(generated(kind)) for kind in KINDS) >= 50_000


def test_edge_cases() -> None:
    assert_same(EDGE_CASES)


def test_quirk_examples() -> None:
    assert_same(QUIRK_EXAMPLES)


@pytest.mark.slow
def test_long_texts() -> None:
    """Texts of 2-8 kB, where the reference's quadratic passes and "but" duplicates pile up."""
    rng = random.Random(f"{SEED}-long")
    texts = [long_text(rng, chars) for chars in [2000, 3000, 4000, 6000, 8000] * 4]
    assert min(map(len, texts)) >= 2000
    assert_same(texts)


def test_a_repeated_but_text() -> None:
    """Dozens of equal and half values around "but": the reference rescales the first entry
    equal to each value, which may be an earlier one."""
    texts = [
        " ".join(["good"] * 40 + ["but"] + ["good"] * 40),
        " ".join(["magnificently", "active"] * 20 + ["but"] + ["active", "magnificently"] * 20),
        " ".join(["good", "bad", "great"] * 30 + ["but"] + ["bad", "good"] * 30),
        "but " + " ".join(["GOOD", "good", "very", "good"] * 25),
        " ".join(["good"] * 30 + ["but", "but"] + ["good"] * 30) + " but",
    ]
    assert_same(texts)


OVERRIDES: list[dict[str, float]] = [
    {"good": -3.0, "meh": 1.5, "ravine": 2.5, "shit": 3},
    # rule words made lexicon words: the rules that need "not in the lexicon" switch off
    {"least": 0.5, "but": 1.0, "not": -1.0, "so": 2.0, "very": 2.0, "the": 0.7, "of": -0.5},
    # zeros and ties, which the "but" rule's list.index and the caps rule treat specially
    {"no": 0.0, "kind": 0.0, "great": 1.9, "nice": 1.9, "happy": 0.0, "x": 1.9},
]


@pytest.mark.parametrize("overrides", OVERRIDES, ids=["values", "rule-words", "zeros-and-ties"])
def test_lexicon_overrides(overrides: dict[str, float]) -> None:
    reference = SentimentIntensityAnalyzer()
    reference.lexicon = {**reference.lexicon, **overrides}
    fast = FastVader(overrides)
    words = list(overrides)
    rng = random.Random(f"{SEED}-overrides")
    pool = [*words, *words, *RULE_WORDS, *FILLERS]
    texts = [
        _join(rng, [_cased(rng, rng.choice(pool)) for _ in range(rng.randint(1, 12))])
        for _ in range(1500)
    ]
    texts += generated("mixed", 500) + generated("but_duplicates", 500) + EDGE_CASES
    assert_same(texts, fast=fast, reference=reference)


def test_overrides_stay_with_their_analyzer() -> None:
    FastVader({"good": -4.0})
    assert FAST.polarity_scores("good") == REFERENCE.polarity_scores("good")


def test_a_full_token_cache_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ravine.vader_fast, "_CACHE_LIMIT", 7)
    fast = FastVader()
    assert_same(generated("mixed", 300), fast=fast)
    assert len(fast._lower_of) <= 7


def test_a_pickled_analyzer_scores_the_same() -> None:
    texts = generated("mixed", 200)
    fast = FastVader({"good": -1.0})
    fast.polarity_scores("warm the cache")
    copy = pickle.loads(pickle.dumps(fast))
    assert copy._lower_of == {}
    assert [copy.polarity_scores(text) for text in texts] == [
        fast.polarity_scores(text) for text in texts
    ]


def test_every_value_is_a_float() -> None:
    for text in EDGE_CASES + generated("mixed", 200):
        assert all(type(value) is float for value in FAST.polarity_scores(text).values())


_TOKENS = st.one_of(
    st.sampled_from(LEXICON),
    st.sampled_from([*NEGATIONS, *BOOSTERS, *IDIOMS, *RULE_WORDS, *FILLERS]),
    st.sampled_from([*EMOJI, *SEQUENCES]),
    st.sampled_from([*PUNCTUATION, *NON_ASCII]),
    st.text(max_size=4),
)
_CASES: list[Callable[[str], str]] = [str, str.upper, str.lower, str.title, str.swapcase]
_WORDS = st.tuples(_TOKENS, st.sampled_from(_CASES), st.sampled_from(SEPARATORS)).map(
    lambda drawn: drawn[1](drawn[0]) + drawn[2]
)


@settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_WORDS, max_size=30).map("".join))
def test_drawn_texts(text: str) -> None:
    assert_same([text])
