"""Near-duplicates: copies, retweets and repeats that should count once (pure, no database).

A document is a duplicate when an earlier document of the same entity and voice (by
publication time, then id) has the same normalised text and either the same author within
:data:`AUTHOR_WINDOW`, or any author within :data:`WINDOW` (a chain of copies a day apart each
counts once in all). Texts of fewer than :data:`MIN_WORDS` words are duplicates only of the same
author's: "thank you" or "worst airline ever" are written independently by many people.

Both rules compare one key per document, :func:`text_key`: the normalised text's 64-bit
digest, with the author folded in for short texts. So the documents that may be duplicates of
each other are exactly those with one key, and :func:`duplicates` decides among them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)
AUTHOR_WINDOW = timedelta(days=30)
MIN_WORDS = 5

# One pass: a link or an @mention matches whole and captures nothing; else a run of letters
# and digits is a word. Punctuation, symbols, emoji and spacing fall between matches.
_WORDS = re.compile(r"(?:https?://|www\.)\S+|(?<!\w)@\w+|([^\W_]+)")


def normalise(text: str) -> str:
    """Casefolded words and digits, one space apart: links, @mentions, a leading "RT",
    punctuation, symbols and spacing make no difference."""
    words = [word for word in _WORDS.findall(text.casefold()) if word]
    if words[:1] == ["rt"]:
        del words[0]
    return " ".join(words)


def text_key(text: str, author: str | None) -> int | None:
    """The signed 64-bit key documents must share to be duplicates of each other; None for
    a document that can be nobody's duplicate (nothing left of its text, or a short text
    without an author)."""
    words = normalise(text)
    if not words:
        return None
    if words.count(" ") + 1 < MIN_WORDS:
        if author is None:
            return None
        words = f"{author}\x00{words}"
    digest = hashlib.blake2b(words.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


Member = tuple[int, str | None, datetime]
"""A counted document with a key: (id, author, published_at)."""


def duplicates(members: Iterable[Member]) -> set[int]:
    """The ids among documents of one key (one entity and voice) that are duplicates.

    Each is compared with every earlier one, duplicates included, so the answer depends on
    the documents alone, never on the order they were stored in.
    """
    found: set[int] = set()
    last: datetime | None = None
    last_by_author: dict[str, datetime] = {}
    for document_id, author, at in sorted(members, key=lambda m: (m[2], m[0])):
        seen = last_by_author.get(author) if author is not None else None
        if (last is not None and at - last <= WINDOW) or (
            seen is not None and at - seen <= AUTHOR_WINDOW
        ):
            found.add(document_id)
        last = at
        if author is not None:
            last_by_author[author] = at
    return found
