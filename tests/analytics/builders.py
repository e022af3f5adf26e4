"""Raw documents → the sums the repository hands to analytics, built with the real roll-up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import pytest

from ravine.rollup import COLUMNS, contribution

Doc = float | tuple[float, int]
"""A document: its compound score, or (compound, engagement weight); the weight defaults to 1."""


def near(expected: float) -> object:
    """Equal to 1e-9, absolute or relative."""
    return pytest.approx(expected, rel=1e-9, abs=1e-9)


def contribution_of(doc: Doc) -> tuple[int, ...]:
    compound, weight = doc if isinstance(doc, tuple) else (doc, 1)
    return contribution(compound=compound, weight=weight)


def sums_of(docs: Iterable[Doc]) -> dict[str, int]:
    """The eleven roll-up sums over some documents, added up with ``rollup.contribution``."""
    total = [0] * len(COLUMNS)
    for doc in docs:
        part = contribution_of(doc)
        total = [a + b for a, b in zip(total, part, strict=True)]
    return dict(zip(COLUMNS, total, strict=True))


def sums_frame(cells: Mapping[tuple[int, str], Sequence[Doc]]) -> pd.DataFrame:
    """The repository's period frame: one row per (period, voice) with documents."""
    rows = [{"period": p, "voice": v, **sums_of(docs)} for (p, v), docs in cells.items() if docs]
    return pd.DataFrame(rows, columns=["period", "voice", *COLUMNS])


def hourly_frame(docs: Iterable[tuple[str, str, Doc]]) -> pd.DataFrame:
    """The repository's hourly frame from (UTC time, voice, document), bucketed by hour start."""
    buckets: defaultdict[tuple[pd.Timestamp, str], list[Doc]] = defaultdict(list)
    for when, voice, doc in docs:
        buckets[pd.Timestamp(when, tz="UTC").floor("h"), voice].append(doc)
    rows = [{"hour": h, "voice": v, **sums_of(d)} for (h, v), d in buckets.items()]
    return pd.DataFrame(rows, columns=["hour", "voice", *COLUMNS])


def documents_frame(docs: Iterable[tuple[str, str, Doc]]) -> pd.DataFrame:
    """The public documents' frame reaction windows read: one row per document with its
    ``published_at`` and roll-up contribution (the corporate voice is never read)."""
    rows = [
        (pd.Timestamp(when, tz="UTC"), *contribution_of(doc))
        for when, voice, doc in docs
        if voice == "public"
    ]
    return pd.DataFrame(rows, columns=["published_at", *COLUMNS])
