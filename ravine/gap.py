"""The ravine for an entity: roll-up hours in, analytics out (what the API serves).

Series and reaction windows are summed from the entity's hourly roll-ups, read as columns (and
kept between requests by a :class:`ravine.hour_cache.HourCache`); only the hours a reaction
window's side partly covers, and those a half-hour zone's midnights cut, are read document by
document, so sides and local days are exact. Intervals allow for repeat authors, estimated from
a bounded sample of each voice's documents (:mod:`ravine.repeat_authors`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from ravine.analytics import (
    AnalyticsError,
    Freq,
    Periods,
    SeriesOptions,
    baseline_series,
    edge_hours,
    make_periods,
    ravine_series,
    reactions,
)
from ravine.analytics.clusters import Clustering
from ravine.analytics.hours import HOUR_SECONDS, HourColumns
from ravine.repeat_authors import SampleReader, reaction_clustering, series_clustering
from ravine.repository.document_queries import decode_cursor, encode_cursor
from ravine.repository.series import (
    EntityHours,
    count_statements,
    scores_in,
    statements,
)
from ravine.rollup import COLUMNS, contribution, engagement_weight
from ravine.titles import NAMING_CHARS, display_title

View = Literal["raw", "baseline"]
MAX_STATEMENTS = 500  # statements a page of reactions holds at most
MAX_MARKED = 20_000  # statements a chart counts in its diamonds
VOICES = ("corporate", "public")


@dataclass(frozen=True, slots=True, kw_only=True)
class GapQuery:
    entity_id: int
    since: date
    until: date
    freq: Freq = "day"
    tz: str = "UTC"
    options: SeriesOptions = field(default_factory=SeriesOptions)
    view: View = "raw"
    baseline_days: int = 90


def _per_period(hours: EntityHours, periods: Periods) -> dict[str, np.ndarray]:
    empty = HourColumns.empty()
    return {voice: hours.get(voice, empty).per_period(periods) for voice in VOICES}


def _with_documents(frame: pd.DataFrame, sums: dict[str, np.ndarray]) -> pd.DataFrame:
    """``corporate_documents`` and ``public_documents``: each period's own documents, what its
    volume bar and drill-down count, whatever window or smoothing its ``n`` pooled."""
    n = COLUMNS.index("n")
    for voice in VOICES:
        frame[f"{voice}_documents"] = sums[voice][-len(frame) :, n]
    return frame


def _edges(query: GapQuery) -> np.ndarray:
    """Every instant (epoch seconds) where a period or corporate window of the query starts
    or ends: what the roll-up hours must be cut at to sum them exactly."""
    since = query.since - timedelta(days=query.baseline_days if query.view == "baseline" else 0)
    periods = make_periods(since=since, until=query.until, freq=query.freq, tz=query.tz)
    edges = [periods.epoch_edges]
    if query.options.corporate_window:
        edges.extend(periods.trailing_edges(query.options.corporate_window))
    return np.concatenate(edges)


def exact_hours(session: Session, query: GapQuery, hours: EntityHours) -> EntityHours:
    """The entity's roll-up hours cut where the query's periods begin and end off the hour.

    Local midnights of zones whose offset is not whole hours (Asia/Kolkata +05:30, Nepal
    +05:45, Lord Howe Island's half-hour DST) fall inside a UTC hour: that hour's documents
    are read one by one and split at the midnight, so every local day sums exactly its own
    documents. In whole-hour zones nothing is read and the hours come back as they were.
    """
    edges = _edges(query)
    cut = np.unique(edges[edges % HOUR_SECONDS != 0])
    if not len(cut):
        return hours
    starts = cut - cut % HOUR_SECONDS
    held = np.zeros(len(starts), dtype=bool)  # only hours with documents need reading
    for columns in hours.values():
        held |= np.isin(starts, columns.starts)
    found = scores_in(
        session,
        entity_id=query.entity_id,
        hours=[datetime.fromtimestamp(start, UTC) for start in starts[held].tolist()],
        voices=VOICES,
    )
    exact: EntityHours = {}
    for voice, columns in hours.items():
        posts = [row[1:] for row in found if row[0] == voice]
        at, block = _contributions(posts)
        order = np.argsort(at, kind="stable")
        exact[voice] = columns.cut(cut, at[order], block[order])
    return exact


def _contributions(
    found: Sequence[tuple[datetime, float, int | None, int | None, int | None]],
) -> tuple[np.ndarray, np.ndarray]:
    """Documents' times (ns since the epoch) and roll-up contributions: the same integers
    :func:`ravine.repository.rollups.rebuild` sums, so partial hours stay exact."""
    parts = [
        contribution(compound=x, weight=engagement_weight(likes, reposts, replies))
        for _, x, likes, reposts, replies in found
    ]
    block = np.array(parts, dtype=np.int64).reshape(-1, len(COLUMNS))
    at = pd.to_datetime([row[0] for row in found], utc=True).as_unit("ns").asi8
    return np.asarray(at, dtype=np.int64), block


class GapSeries(NamedTuple):
    periods: Periods
    frame: pd.DataFrame
    clustering: dict[str, Clustering]  # each voice's repeat-author estimate behind its CIs


def gap_series(query: GapQuery, hours: EntityHours, samples: SampleReader) -> GapSeries:
    """Per period: both voices' statistics and the ravine (raw, or baseline z-scores), from
    the entity's roll-up hours (:func:`ravine.repository.series.hour_columns`), and each
    voice's documents in the period itself. Intervals allow for repeat authors as estimated
    from ``samples`` of the voices' documents (:mod:`ravine.repeat_authors`)."""
    periods = make_periods(since=query.since, until=query.until, freq=query.freq, tz=query.tz)
    window = query.options.corporate_window
    if query.view == "raw":
        sums = _per_period(hours, periods)
        pooled = dict(sums)
        if window:
            corporate = hours.get("corporate", HourColumns.empty())
            pooled["corporate"] = corporate.per_window(*periods.trailing_edges(window))
        clustering = series_clustering(samples, periods, query.options)
        frame = ravine_series(pooled, periods, options=query.options, clustering=clustering)
        return GapSeries(periods, _with_documents(frame, sums), clustering)
    if window:
        raise AnalyticsError(
            "a corporate window applies to the raw view only: drop corporate_window or use view=raw"
        )
    # The trailing baseline needs the periods before the first one shown.
    lead = make_periods(
        since=query.since - timedelta(days=query.baseline_days),
        until=query.until,
        freq=query.freq,
        tz=query.tz,
    )
    lead_sums = _per_period(hours, lead)
    clustering = series_clustering(samples, lead, query.options)
    frame = baseline_series(
        lead_sums,
        lead,
        options=query.options,
        baseline_days=query.baseline_days,
        clustering=clustering,
    )
    shown = frame.iloc[len(lead.labels) - len(periods.labels) :].reset_index(drop=True)
    return GapSeries(periods, _with_documents(shown, lead_sums), clustering)


def statements_in(
    session: Session,
    entity_id: int,
    periods: Periods,
    *,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> pd.DataFrame:
    """The first ``limit`` corporate statements in ``periods`` (past ``after``, a statement's
    published_at and id), oldest first: id, published_at (UTC), title
    (:func:`ravine.titles.display_title`) and period, the index of the period it falls in."""
    start, end = periods.utc_bounds()[0][0], periods.end
    found = statements(
        session, entity_id=entity_id, since=start, until=end, limit=limit, text_chars=NAMING_CHARS,
        after=after,
    )  # fmt: skip
    frame = pd.DataFrame.from_records(
        [(i, published, display_title(title, text)) for i, published, title, text in found],
        columns=["id", "published_at", "title"],
    )
    published = pd.DatetimeIndex(pd.to_datetime(frame["published_at"], utc=True))
    frame["published_at"] = published
    seconds = published.as_unit("ns").asi8 // 1_000_000_000
    frame["period"] = np.searchsorted(periods.epoch_edges, seconds, side="right") - 1
    return frame


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementPage:
    """One page of the corporate statements in a query's local days, oldest first, and what
    it is out of: a reader is told when the page is not all of them."""

    start: datetime  # the UTC bounds of the query's local days
    end: datetime
    frame: pd.DataFrame  # :func:`statements_in`
    total: int  # statements in the whole range
    next_cursor: str | None  # where the next page starts; None on the last page


def statement_page(
    session: Session, query: GapQuery, *, cursor: str | None = None, limit: int = MAX_STATEMENTS
) -> StatementPage:
    """Up to ``limit`` statements of the query's range, from ``cursor`` (a previous page's
    ``next_cursor``) on. Pages are keyed on (published_at, id), so paging lists every
    statement exactly once."""
    periods = make_periods(since=query.since, until=query.until, freq="day", tz=query.tz)
    after = decode_cursor(cursor, "published_at") if cursor is not None else None
    found = statements_in(session, query.entity_id, periods, limit=limit + 1, after=after)
    frame = found.iloc[:limit]
    next_cursor = None
    if len(found) > limit:
        last = frame.iloc[-1]
        next_cursor = encode_cursor(last["published_at"].to_pydatetime(), int(last["id"]))
    start, end = periods.utc_bounds()[0][0], periods.end
    total = count_statements(session, entity_id=query.entity_id, since=start, until=end)
    return StatementPage(start=start, end=end, frame=frame, total=total, next_cursor=next_cursor)


def edge_documents(
    session: Session, entity_id: int, published_at: pd.Series, *, window_days: float
) -> pd.DataFrame:
    """The public documents of the hours reaction windows only partly cover
    (:func:`ravine.analytics.reactions.edge_hours`), each as its roll-up contribution."""
    hours = edge_hours(published_at, window_days=window_days).to_pydatetime().tolist()
    found = scores_in(session, entity_id=entity_id, hours=hours)
    at, block = _contributions([row[1:] for row in found])
    frame = pd.DataFrame(block, columns=list(COLUMNS))
    frame.insert(0, "published_at", pd.to_datetime(at, unit="ns", utc=True))
    return frame


def statement_reactions(
    session: Session,
    query: GapQuery,
    hours: EntityHours,
    samples: SampleReader,
    *,
    window_days: float,
    cursor: str | None = None,
    limit: int = MAX_STATEMENTS,
) -> tuple[StatementPage, pd.DataFrame]:
    """A page of the corporate statements in the range (:func:`statement_page`), and for
    each the public sentiment before vs after it (:func:`ravine.analytics.reactions`), each
    side's CI allowing for repeat authors as estimated from ``samples``."""
    page = statement_page(session, query, cursor=cursor, limit=limit)
    window = timedelta(days=window_days)
    public = hours.get("public", HourColumns.empty())
    near = public.between(
        math.ceil((page.start - window).timestamp()), math.ceil((page.end + window).timestamp())
    )
    hourly = pd.DataFrame(near.sums, columns=list(COLUMNS))
    hourly.insert(0, "voice", "public")
    hourly.insert(0, "hour", pd.to_datetime(near.starts, unit="s", utc=True))
    documents = edge_documents(
        session, query.entity_id, page.frame["published_at"], window_days=window_days
    )
    options = query.options
    frame = reactions(
        hourly,
        documents,
        page.frame,
        window_days=window_days,
        min_n=options.min_n,
        metric=options.metric,
        weighted=options.weighted,
        clustering=reaction_clustering(
            samples, page.frame["published_at"], window_days=window_days, options=options
        ),
    )
    return page, frame
