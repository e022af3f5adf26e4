"""VADER's human-rated corpora (tests/data/vader) as texts and as the documents they came from.

The NYT editorial and Amazon review snippets carry ids "<document>_<sentence>", so their
documents can be rebuilt: the snippets in sentence order, joined by spaces. Some sentence numbers
are missing from the files; the document is what is left. Raters rated sentences, not documents,
so a document's rating is the mean of its sentences' ratings: the only document rating the data
supports, and one that weighs every sentence alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "vader"
TWEETS = "tweets"
MOVIES = "movieReviewSnippets"
EDITORIALS = "nytEditorialSnippets"
REVIEWS = "amazonReviewSnippets"


@dataclass(frozen=True, slots=True)
class Rated:
    """A text and its raters' mean rating on -4..+4; ``snippets`` is how many it was built of."""

    text: str
    rating: float
    snippets: int = 1


def _rows(name: str) -> list[tuple[str, float, str]]:
    """(id, rating, text) of one corpus: tab-separated, CRLF, UTF-8."""
    rows: list[tuple[str, float, str]] = []
    for line in (DATA / f"{name}_GroundTruth.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            ident, rating, text = line.split("\t", 2)
            rows.append((ident, float(rating), text))
    return rows


def snippets(name: str) -> list[Rated]:
    """Every rated text of a corpus, as the raters saw it."""
    return [Rated(text, rating) for _, rating, text in _rows(name)]


def documents(name: str) -> list[Rated]:
    """The documents of a corpus with "<document>_<sentence>" ids, in file order."""
    parts: dict[str, list[tuple[int, float, str]]] = defaultdict(list)
    for ident, rating, text in _rows(name):
        document, sentence = ident.split("_")
        parts[document].append((int(sentence), rating, text.strip()))
    rebuilt: list[Rated] = []
    for sentences in parts.values():
        sentences.sort()
        text = " ".join(text for _, _, text in sentences)
        rebuilt.append(Rated(text, fmean(rating for _, rating, _ in sentences), len(sentences)))
    return rebuilt
