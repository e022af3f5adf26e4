"""The ravine for an entity: roll-up hours in, analytics out (what the API serves).

Nothing here loads documents: series and reaction windows are summed from the entity's hourly
roll-ups, read as columns (and kept between requests by a :class:`ravine.hour_cache.HourCache`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from ravine.analytics import (
    AnalyticsError,
    Freq,
    Periods,
    SeriesOptions,
    baseline_series,
    make_periods,
    ravine_series,
    reactions,
)
from ravine.analytics.hours import HourColumns
from ravine.repository.series import EntityHours, statements
from ravine.rollup import COLUMNS
from ravine.titles import NAMING_CHARS, display_title

View = Literal["raw", "baseline"]
MAX_STATEMENTS = 500  # statements a reactions answer holds
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


def gap_series(query: GapQuery, hours: EntityHours) -> tuple[Periods, pd.DataFrame]:
    """Per period: both voices' statistics and the ravine (raw, or baseline z-scores), from
    the entity's roll-up hours (:func:`ravine.repository.series.hour_columns`), and each
    voice's documents in the period itself."""
    periods = make_periods(since=query.since, until=query.until, freq=query.freq, tz=query.tz)
    window = query.options.corporate_window
    if query.view == "raw":
        sums = _per_period(hours, periods)
        pooled = dict(sums)
        if window:
            corporate = hours.get("corporate", HourColumns.empty())
            pooled["corporate"] = corporate.per_window(*periods.trailing_edges(window))
        frame = ravine_series(pooled, periods, options=query.options)
        return periods, _with_documents(frame, sums)
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
    frame = baseline_series(
        lead_sums,
        lead,
        options=query.options,
        baseline_days=query.baseline_days,
    )
    shown = frame.iloc[len(lead.labels) - len(periods.labels) :].reset_index(drop=True)
    return periods, _with_documents(shown, lead_sums)


def statements_in(
    session: Session, entity_id: int, periods: Periods, *, limit: int
) -> pd.DataFrame:
    """The first ``limit`` corporate statements in ``periods``, oldest first: id, published_at
    (UTC), title (:func:`ravine.titles.display_title`) and period, the index of the period
    it falls in."""
    start, end = periods.utc_bounds()[0][0], periods.end
    found = statements(
        session, entity_id=entity_id, since=start, until=end, limit=limit, text_chars=NAMING_CHARS
    )
    frame = pd.DataFrame.from_records(
        [(i, published, display_title(title, text)) for i, published, title, text in found],
        columns=["id", "published_at", "title"],
    )
    published = pd.DatetimeIndex(pd.to_datetime(frame["published_at"], utc=True))
    frame["published_at"] = published
    seconds = published.as_unit("ns").asi8 // 1_000_000_000
    frame["period"] = np.searchsorted(periods.epoch_edges, seconds, side="right") - 1
    return frame


def statement_frame(session: Session, query: GapQuery) -> tuple[datetime, datetime, pd.DataFrame]:
    """The UTC bounds of the query's local days, and the corporate statements in them
    (:func:`statements_in`, at most :data:`MAX_STATEMENTS`)."""
    periods = make_periods(since=query.since, until=query.until, freq="day", tz=query.tz)
    frame = statements_in(session, query.entity_id, periods, limit=MAX_STATEMENTS)
    return periods.utc_bounds()[0][0], periods.end, frame


def statement_reactions(
    session: Session,
    query: GapQuery,
    hours: EntityHours,
    *,
    window_days: float,
) -> pd.DataFrame:
    """For each corporate statement in the range: public sentiment before vs after it."""
    start, end, frame = statement_frame(session, query)
    window = timedelta(days=window_days)
    public = hours.get("public", HourColumns.empty())
    near = public.between(
        math.ceil((start - window).timestamp()), math.ceil((end + window).timestamp())
    )
    hourly = pd.DataFrame(near.sums, columns=list(COLUMNS))
    hourly.insert(0, "voice", "public")
    hourly.insert(0, "hour", pd.to_datetime(near.starts, unit="s", utc=True))
    options = query.options
    return reactions(
        hourly,
        frame,
        window_days=window_days,
        min_n=options.min_n,
        metric=options.metric,
        weighted=options.weighted,
    )
