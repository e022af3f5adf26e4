"""Entity masking: no tracked entity's names may score as sentiment.

VADER's lexicon rates some brand words ("united" is +1.8, and "@united" loses its "@"), which
would bias the public line of an entity, and of every other entity whose posts name it ("flew
Delta after United cancelled"). Each mention of any tracked entity becomes one neutral
placeholder token, so VADER's three-word negation and booster windows still see the same
neighbours.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

# Not in VADER's lexicon, booster or negation lists, and long enough (> 2 letters) that VADER
# strips punctuation around it like around any other word.
PLACEHOLDER = "xentity"

_TAG_PREFIXES = "@#$"
# A mention must not continue a word on either side ("Reunited", "jobs@united.com").
_BEFORE = r"(?<![\w@#$])"
_AFTER = r"(?!\w)"
# Pattern atoms besides single characters: an optional or a required tag prefix, a word gap.
_MAYBE_TAG, _TAG, _GAP = "[@#$]?", "[@#$]", r"\s+"

Masker = Callable[[str], str]


def _clean(term: str) -> str:
    return " ".join(term.split())


def unique_terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Usable terms, deduplicated case-insensitively, longest first."""
    unique: dict[str, str] = {}
    for term in terms:
        cleaned = _clean(term)
        if re.search(r"\w", cleaned):
            unique.setdefault(cleaned.casefold(), cleaned)
    return tuple(sorted(unique.values(), key=lambda term: (-len(term), term.casefold())))


def entity_terms(*, name: str, slug: str, aliases: Sequence[str]) -> tuple[str, ...]:
    """The terms to mask for an entity: its name, its slug's words and its aliases."""
    return unique_terms((name, slug.replace("-", " "), *aliases))


def _char(char: str) -> str:
    # The pattern ignores case, so "U" and "u" can share a branch.
    lower = char.lower()
    return re.escape(lower if len(lower) == 1 else char)


def _forms(term: str) -> list[list[str]]:
    """Atom sequences for one term: the phrase, and its @handle/#hashtag/$cashtag forms."""
    if term[0] in _TAG_PREFIXES:
        return [[_char(char) for char in term]]
    words = [[_char(char) for char in word] for word in term.split()]
    phrase = [_MAYBE_TAG, *words[0]]
    for word in words[1:]:
        phrase += [_GAP, *word]
    forms = [phrase]
    if len(words) > 1:
        forms.append([_TAG] + [atom for word in words for atom in word])
    return forms


class _Node:
    """A prefix tree of atom sequences: thousands of terms share their first characters, so the
    regex engine tries a few branches at each position instead of every term."""

    __slots__ = ("children", "end", "longest")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.end = False
        self.longest = 0  # atoms below this node on its longest path

    def add(self, atoms: Sequence[str]) -> None:
        node = self
        for index, atom in enumerate(atoms):
            node.longest = max(node.longest, len(atoms) - index)
            node = node.children.setdefault(atom, _Node())
        node.end = True

    def regex(self) -> str:
        # Longer terms first, as a term-by-term alternation would try them.
        ordered = sorted(self.children.items(), key=lambda item: -item[1].longest)
        branches = [atom + child.regex() for atom, child in ordered]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if self.end else body


def _placeholder(mention: re.Match[str]) -> str:
    # VADER's ALL-CAPS differential counts upper-case words; keep the mention's class.
    return PLACEHOLDER.upper() if mention.group().isupper() else PLACEHOLDER


def _unchanged(text: str) -> str:
    return text


@functools.lru_cache(maxsize=64)
def masker(terms: tuple[str, ...]) -> Masker:
    """One compiled pattern for all ``terms``: replaces each mention by one placeholder."""
    usable = unique_terms(terms)
    if not usable:
        return _unchanged
    root = _Node()
    for term in usable:
        for form in _forms(term):
            root.add(form)
    pattern = re.compile(f"{_BEFORE}{root.regex()}{_AFTER}", re.IGNORECASE)
    return functools.partial(pattern.sub, _placeholder)


def mask(text: str, terms: Sequence[str]) -> str:
    """Replace every mention of ``terms`` in ``text`` by one placeholder token."""
    return masker(tuple(terms))(text)
