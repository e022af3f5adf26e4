"""English detection: VADER reads English only, so other languages are left unscored.

Most posts are settled by a cheap function-word check; only the rest pay for py3langid.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid import langid

# English function words and a few very common short words that are rare in Dutch, German,
# French, Spanish, Italian and the Slavic languages. Words that are not ("is", "was", "we", "in",
# "a", "die", "so", "will", "but", "my", "to", "for", "of", "on", "me", "i") are left out, so two
# distinct hits are strong evidence.
ENGLISH_WORDS = frozenset(
    {
        "the", "and", "you", "your", "this", "that", "with", "have", "has", "not", "they",
        "what", "would", "just", "are", "were", "our", "it's", "i'm", "don't", "can't", "been",
        "from", "about", "very", "because", "there", "their", "which", "when", "should",
        "could", "i've", "didn't", "doesn't", "isn't", "won't", "these", "those", "really",
        "it", "be", "his", "him", "she", "who", "how", "why", "where", "out", "get", "got",
        "good", "like", "love", "know", "want", "need", "today", "thanks", "that's", "you're",
        "i'll", "i'd", "dont", "cant", "didnt", "thats",
    }
)  # fmt: skip

# Below these, py3langid is too unreliable to call a text non-English.
MIN_PROBABILITY = 0.9
MIN_LETTERS = 20

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_UNDETERMINED = frozenset({"", "und", "mul", "zxx", "mis"})
_ISO_639_2_ENGLISH = "eng"


def normalise_lang(code: str | None) -> str | None:
    """Reduce a language tag to its primary subtag ("en-US" -> "en"); None when it says nothing."""
    if code is None:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if primary in _UNDETERMINED:
        return None
    return "en" if primary == _ISO_639_2_ENGLISH else primary


def _looks_english(text: str) -> bool:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    hits = ENGLISH_WORDS.intersection(words)
    return len(hits) >= 2


@functools.cache
def _identifier() -> langid.LanguageIdentifier:
    """The model, loaded when the first doubtful text needs it: a process that never meets one
    (an English feed, a source that tags its language) never imports numpy or py3langid.
    From the cache it maps in ~0.1 s, imports included; the first time ever it takes ~0.5 s."""
    from ravine.langid_cache import load_identifier

    return load_identifier(norm_probs=True)


def detect_language(text: str) -> str | None:
    """Return "en", another ISO 639-1 code when confident, or None when unsure."""
    if _looks_english(text):
        return "en"
    lang, probability = _identifier().classify(text)
    code = str(lang)
    if code == "en":
        return "en"
    letters = sum(char.isalpha() for char in text)
    if float(probability) >= MIN_PROBABILITY and letters >= MIN_LETTERS:
        return code
    return None
