"""What a corporate statement is called wherever it is listed: the chart's diamonds, the
statement list and the reactions API.

Official accounts post untitled statements as often as press offices publish titled releases;
an untitled one is named by its first words, so every statement can be found and chosen.
"""

from __future__ import annotations

TITLE_CHARS = 80
"""The most characters of a text that name an untitled statement (before the "…")."""
ELLIPSIS = "…"
NAMING_CHARS = 4 * TITLE_CHARS
"""The start of a text :func:`display_title` reads: enough words unless it is mostly
whitespace, so a statement's name needs only this much of its text."""


def display_title(title: str | None, text: str) -> str:
    """``title`` when it has any words, else the start of ``text`` (whitespace collapsed), cut
    at a word boundary to at most :data:`TITLE_CHARS` characters and marked with "…"."""
    if title and title.strip():
        return title.strip()
    words = " ".join(text[:NAMING_CHARS].split())
    if len(words) <= TITLE_CHARS:
        return words
    cut = words.rfind(" ", 0, TITLE_CHARS + 1)  # a space just past the limit ends a whole word
    start = words[:cut] if cut > 0 else words[:TITLE_CHARS]  # one long word: cut inside it
    return start.rstrip(" ,;:.!?-–—") + ELLIPSIS
