"""Entity masking: an entity's own names must not score as sentiment.

VADER's lexicon rates some brand words ("united" is +1.8, and "@united" loses its "@"), which
would bias an entity's whole public line. Each mention becomes one neutral placeholder token, so
VADER's three-word negation and booster windows still see the same neighbours.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

# Not in VADER's lexicon, booster or negation lists, and long enough (> 2 letters) that VADER
# strips punctuation around it like around any other word.
PLACEHOLDER = "xentity"

_TAG_PREFIXES = "@#$"
# A mention must not continue a word on either side ("Reunited", "jobs@united.com").
_BEFORE = r"(?<![\w@#$])"
_AFTER = r"(?!\w)"


def _clean(term: str) -> str:
    return " ".join(term.split())


def entity_terms(*, name: str, slug: str, aliases: Sequence[str]) -> tuple[str, ...]:
    """The terms to mask for an entity, deduplicated case-insensitively, longest first."""
    unique: dict[str, str] = {}
    for term in (name, slug.replace("-", " "), *aliases):
        cleaned = _clean(term)
        if re.search(r"\w", cleaned):
            unique.setdefault(cleaned.casefold(), cleaned)
    return tuple(sorted(unique.values(), key=lambda term: (-len(term), term.casefold())))


def _alternatives(term: str) -> list[str]:
    """Regex alternatives for one term: the phrase, and its @handle/#hashtag/$cashtag forms."""
    if term[0] in _TAG_PREFIXES:
        return [re.escape(term)]
    words = term.split()
    phrase = r"\s+".join(re.escape(word) for word in words)
    forms = [f"[@#$]?{phrase}"]
    if len(words) > 1:
        forms.append("[@#$]" + re.escape("".join(words)))
    return forms


@functools.lru_cache(maxsize=1024)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = {_clean(term) for term in terms}
    usable = (term for term in cleaned if re.search(r"\w", term))
    ordered = sorted(usable, key=lambda term: (-len(term), term))
    if not ordered:
        return None
    alternatives = [form for term in ordered for form in _alternatives(term)]
    return re.compile(f"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}", re.IGNORECASE)


def _placeholder(mention: re.Match[str]) -> str:
    # VADER's ALL-CAPS differential counts upper-case words; keep the mention's class.
    return PLACEHOLDER.upper() if mention.group().isupper() else PLACEHOLDER


def mask(text: str, terms: Sequence[str]) -> str:
    """Replace every mention of ``terms`` in ``text`` by one placeholder token."""
    pattern = _pattern(tuple(terms))
    return text if pattern is None else pattern.sub(_placeholder, text)
