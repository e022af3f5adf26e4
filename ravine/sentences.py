"""Sentence splitter for long texts, whose sentences are scored one by one.

VADER's compound saturates on long texts, so press releases are scored as the mean of their
sentences. A rule-based splitter is enough for that and keeps the core free of NLP models.
"""

from __future__ import annotations

import re

# Lower-case, without the final period. Dotted forms ("U.S.", "e.g.", "a.m.") and single-letter
# initials ("J. Smith") are recognised by _DOTTED instead.
ABBREVIATIONS = frozenset(
    {
        "inc", "corp", "co", "ltd", "llc", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "jr",
        "sr", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "no", "approx",
    }
)  # fmt: skip

# A run of sentence-ending punctuation (an ellipsis included), any closing quotes or brackets,
# then whitespace or the end of the line.
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
# Single letters with periods between them, e.g. "J", "U.S", "e.g" (before the final period).
_DOTTED = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
# The word before a period, without leading brackets or quotes. Abbreviations are short, so only
# a bounded window is searched.
_LAST_WORD = re.compile(r"[^\s\w]*(\S*)\Z")
_WINDOW = 24
# What starts a new sentence after the punctuation: a capital, a digit, or an opening quote or
# bracket before one. "great!! so happy" in a post is one sentence, "Great! So happy" two.
_NEXT_STARTS = re.compile(r"\s+[\"'\u201c\u2018(\[]*[^\W\d_a-z]|\s+[\"'\u201c\u2018(\[]*\d")
# Fragments of fewer words than this ("Wow!", "Thanks!!", ":)") are interjections, not
# sentences: they join a neighbour, so a short post is not averaged as if it were long.
MIN_WORDS = 3
_WORD = re.compile(r"[^\W_]+")


def _is_abbreviation(line: str, period: int) -> bool:
    """Whether the period at ``period`` closes an abbreviation or initial, not a sentence."""
    found = _LAST_WORD.search(line, max(0, period - _WINDOW), period)
    word = found.group(1) if found else ""
    return word.lower() in ABBREVIATIONS or _DOTTED.fullmatch(word) is not None


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for end in _END.finditer(line):
        if end.group() == "." and _is_abbreviation(line, end.start()):
            continue
        if end.end() < len(line) and not _NEXT_STARTS.match(line, end.end()):
            continue
        pieces.append(line[start : end.end()])
        start = end.end()
    pieces.append(line[start:])
    return pieces


def _join_fragments(pieces: list[str]) -> list[str]:
    """Attach fragments of fewer than MIN_WORDS words to the sentence before (or after) them."""
    joined: list[str] = []
    carry = ""
    for piece in pieces:
        if len(_WORD.findall(piece)) < MIN_WORDS:
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


def split_sentences(text: str) -> list[str]:
    """Split on . ! ? (and runs of them) before whitespace and a capital, digit or quote, and
    on every line break; short fragments join their neighbours."""
    pieces: list[str] = []
    for line in text.splitlines():
        pieces.extend(piece.strip() for piece in _split_line(line))
    return _join_fragments([piece for piece in pieces if piece])
