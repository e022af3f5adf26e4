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

View = Literal["raw", "baseline"]
MAX_STATEMENTS = 500
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


def gap_series(query: GapQuery, hours: EntityHours) -> tuple[Periods, pd.DataFrame]:
    """Per period: both voices' statistics and the ravine (raw, or baseline z-scores), from
    the entity's roll-up hours (:func:`ravine.repository.series.hour_columns`)."""
    periods = make_periods(since=query.since, until=query.until, freq=query.freq, tz=query.tz)
    if query.view == "raw":
        return periods, ravine_series(_per_period(hours, periods), periods, options=query.options)
    # The trailing baseline needs the periods before the first one shown.
    lead = make_periods(
        since=query.since - timedelta(days=query.baseline_days),
        until=query.until,
        freq=query.freq,
        tz=query.tz,
    )
    frame = baseline_series(
        _per_period(hours, lead),
        lead,
        options=query.options,
        baseline_days=query.baseline_days,
    )
    shown = frame.iloc[len(lead.labels) - len(periods.labels) :].reset_index(drop=True)
    return periods, shown


def statement_frame(session: Session, query: GapQuery) -> tuple[datetime, datetime, pd.DataFrame]:
    """The UTC bounds of the query's local days, and the corporate statements in them (id,
    published_at, title: the title, else the start of the text), oldest first."""
    periods = make_periods(since=query.since, until=query.until, freq="day", tz=query.tz)
    start, end = periods.utc_bounds()[0][0], periods.end
    found = statements(
        session, entity_id=query.entity_id, since=start, until=end, limit=MAX_STATEMENTS
    )
    frame = pd.DataFrame.from_records(
        [(i, published, title or text[:120]) for i, published, title, text in found],
        columns=["id", "published_at", "title"],
    )
    if not frame.empty:
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return start, end, frame


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
