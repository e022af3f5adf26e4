"""Who wrote a voice's documents: a bounded sample of authors and scores, from which the
analytics estimate how much repeat authors widen an interval (:mod:`ravine.analytics.clusters`).

The roll-ups hold no authors, and reading every document of a range would cost a request a
full scan: the sample is the latest documents of the range, one backward range of the index on
(entity, voice, published_at).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Integer, Select, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ravine.analytics.clusters import AuthorSample
from ravine.models import Document
from ravine.repository.counted import counted_in
from ravine.rollup import SCALE, engagement_weight

SAMPLE_SIZE = 5_000
"""Documents per voice and range: ρ to within about ±0.04 where most authors post once (±0.06
at 3,000, ±0.08 at 2,000), read in about 10 ms at a million documents."""


def _epoch_seconds(dialect: str) -> ColumnElement[Any]:
    """published_at as whole seconds since the epoch, computed by the database (parsing
    thousands of timestamps in Python costs more than reading them)."""
    at = Document.__table__.c.published_at
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", at)), BigInteger)
    return cast(func.strftime("%s", at), Integer)


def sample_query(
    dialect: str, *, entity_id: int, voice: str, since: datetime, until: datetime, limit: int
) -> Select[Any]:
    """The latest ``limit`` counted documents (scored, live, no near-duplicate) of the voice
    published in [since, until), newest first: time (epoch seconds), author, x, engagement."""
    c = Document.__table__.c
    engagement = (
        func.coalesce(c.likes, 0) + func.coalesce(c.reposts, 0) + func.coalesce(c.replies, 0)
    )
    return (
        select(
            _epoch_seconds(dialect),
            c.author,
            cast(func.round(c.compound * SCALE), BigInteger),
            cast(engagement, BigInteger),
        )
        .where(*counted_in(entity_id=entity_id, voice=voice, since=since, until=until))
        .order_by(c.published_at.desc())
        .limit(limit)
    )


def author_sample(
    session: Session,
    *,
    entity_id: int,
    voice: str,
    since: datetime,
    until: datetime,
    limit: int = SAMPLE_SIZE,
) -> AuthorSample:
    """:func:`sample_query`'s documents, oldest first."""
    dialect = session.get_bind().dialect.name
    query = sample_query(
        dialect, entity_id=entity_id, voice=voice, since=since, until=until, limit=limit
    )
    rows = session.execute(query).all()
    if not rows:
        return AuthorSample.empty()
    at, authors, x, engaged = zip(*reversed(rows), strict=True)
    return AuthorSample(
        at=np.array(at, dtype=np.int64),
        author=_author_codes(authors),
        x=np.array(x, dtype=np.int64),
        weight=_weights(np.array(engaged, dtype=np.int64)),
    )


def _author_codes(authors: tuple[str | None, ...]) -> np.ndarray:
    """One code per distinct author from 0, and a code of its own for each document without
    one (nobody can be shown to have written two of them)."""
    codes, distinct = pd.factorize(pd.Series(authors, dtype=object), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    anonymous = codes < 0
    codes[anonymous] = len(distinct) + np.arange(int(anonymous.sum()))
    return codes


def _weights(engagement: np.ndarray) -> np.ndarray:
    """:func:`ravine.rollup.engagement_weight` of each total engagement, computed once per
    distinct total (the weight depends on the counts' sum alone)."""
    distinct, index = np.unique(engagement, return_inverse=True)
    weights = np.array([engagement_weight(int(e), 0, 0) for e in distinct], dtype=np.int64)
    return weights[index]
