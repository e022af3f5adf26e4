"""Sentence splitter: the units whose scores a text's score is made of.

VADER's compound grows with the number of sentences in a text, so a text of several is scored
as the mean of its sentences (those with sentiment). Posts and reviews are often written in
lower case, so a sentence may start with any letter; the cases where a period does not end one
(abbreviations, initials, numbers, addresses) are recognised by rule, which keeps the core free
of NLP models.
"""

from __future__ import annotations

import re

# Lower-case, without the final period: abbreviations that stand before more of the same
# sentence (names, companies, "vs."), so their period never ends one. Dotted forms ("U.S.",
# "e.g.", "a.m.") and single-letter initials ("J. Smith") are recognised by _DOTTED instead.
ABBREVIATIONS = frozenset(
    {
        "inc", "corp", "co", "ltd", "llc", "plc", "pty", "bros", "dept", "mr", "mrs", "ms", "dr",
        "prof", "st", "mt", "jr", "sr", "gen", "gov", "sen", "rep", "rev", "capt", "sgt", "lt",
        "col", "vs", "etc", "cf", "al", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
# Abbreviations only before a number ("No. 5", "vol. 2", "est. 1990"): "no. never again" is two.
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "fig", "pp", "ch", "art", "sec", "est", "ca"})

_PUNCT = r"(?P<punct>[.!?\u2026]+)(?P<close>[\"'\u201d\u2019)\]]*)"
# Emoticons (":)", ";-(", ":((", ":D", "<3") on their own, and emoji with their joiners,
# variation selectors, skin tones and flags.
_EMOTICON = r"(?<!\S)(?:[:;=][-o^']?[()\[\]DPpOo/\\|*]+|[xX]D+|</?3+)"
_PICTOGRAPH = r"\u2600-\u27bf\u2b50\u2b55\U0001f000-\U0001faff"
_EMOJI = f"[{_PICTOGRAPH}][\u200d\ufe0f{_PICTOGRAPH}]*"
_FACE = f"(?:{_EMOTICON}|{_EMOJI})"
# A sentence ends at a run of end punctuation (an ellipsis included) with any closing quotes or
# brackets, or at an emoji or emoticon; any emoji or emoticons after it belong to it. Whitespace
# or the end of the line must follow. The lookahead on the first character lets the search pass
# over most positions at once.
_END = re.compile(
    f"(?=[.!?\\u2026:;=xX<{_PICTOGRAPH}])(?:{_PUNCT}|{_FACE})(?:\\s*{_FACE})*(?=\\s|$)"
)
# Single letters with periods between them, e.g. "J", "U.S", "e.g" (before the final period).
_DOTTED = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
# The word before a period, without leading brackets or quotes. Abbreviations are short, so only
# a bounded window is searched.
_LAST_WORD = re.compile(r"[^\s\w]*(\S*)\Z")
_WINDOW = 24
# An ellipsis is a pause as often as an end ("great player... when it worked"), and a quoted or
# bracketed exclamation or question may stand inside a sentence ('she said "never!" and left'):
# these end a sentence only before a capital, a digit, or an opening quote or bracket before one.
_ELLIPSIS = re.compile(r"\.\.|\u2026")
_CAPITAL_NEXT = re.compile(r"\s+[\"'\u201c\u2018(\[]*[^\W_a-z]")
_DIGIT_NEXT = re.compile(r"\s+\d")
# Fragments of fewer words than this ("Wow!", "I'm in!", ":)") are interjections, not
# sentences: they join a neighbour, so a short post is not averaged as if it were long.
MIN_WORDS = 3
# A word is a space-separated token with a letter or digit; handles, hashtags, cashtags, links
# and addresses are not words of a sentence ("Love it! http://x.co/a" is one sentence).
_WORD = re.compile(r"(?![@#$][^\W\d]|https?://|www\.|[^@]*@.)\S*?[^\W_]")


def _is_abbreviation(line: str, period: int) -> bool:
    """Whether the period at ``period`` closes an abbreviation or initial, not a sentence."""
    found = _LAST_WORD.search(line, max(0, period - _WINDOW), period)
    word = (found.group(1) if found else "").lower()
    if word in NUMBER_ABBREVIATIONS:
        return _DIGIT_NEXT.match(line, period + 1) is not None
    # "I" is the pronoun ("so did I."), not an initial.
    return word in ABBREVIATIONS or (word != "i" and _DOTTED.fullmatch(word) is not None)


def _ends_sentence(line: str, end: re.Match[str]) -> bool:
    punct = end.group("punct")
    if punct is None:
        return True
    if punct == "." and _is_abbreviation(line, end.start()):
        return False
    if _ELLIPSIS.search(punct) or (end.group("close") and "." not in punct):
        return _CAPITAL_NEXT.match(line, end.end()) is not None
    return True


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for end in _END.finditer(line):
        if _ends_sentence(line, end):
            pieces.append(line[start : end.end()])
            start = end.end()
    pieces.append(line[start:])
    return pieces


def _is_fragment(piece: str, min_words: int) -> bool:
    """Whether ``piece`` has fewer than ``min_words`` words; counts no further than that."""
    words = 0
    for token in piece.split():
        words += _WORD.match(token) is not None
        if words == min_words:
            return False
    return True


def _join_fragments(pieces: list[str], min_words: int) -> list[str]:
    """Attach fragments of fewer than ``min_words`` words to the sentence before (or after)
    them."""
    joined: list[str] = []
    carry = ""
    for piece in pieces:
        if _is_fragment(piece, min_words):
            if joined:
                joined[-1] = f"{joined[-1]} {piece}"
            else:
                carry = f"{carry} {piece}".strip()
            continue
        joined.append(f"{carry} {piece}".strip())
        carry = ""
    if carry:
        joined.append(carry)
    return joined


def split_sentences(text: str, *, min_words: int = MIN_WORDS) -> list[str]:
    """Split at every line break and after . ! ? runs, ellipses, emoji and emoticons followed
    by whitespace, in any case; pieces of fewer than ``min_words`` words join their
    neighbours."""
    pieces: list[str] = []
    for line in text.splitlines():
        pieces.extend(piece.strip() for piece in _split_line(line))
    return _join_fragments([piece for piece in pieces if piece], min_words)
