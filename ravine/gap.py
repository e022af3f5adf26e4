"""The ravine for an entity: sums from the repository in, analytics out (what the API serves).

Nothing here loads documents: series come from roll-up sums aggregated in SQL; reaction windows
from hourly roll-ups around each statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

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
from ravine.repository.series import hourly_sums, period_sums, statements
from ravine.rollup import COLUMNS

View = Literal["raw", "baseline"]
MAX_STATEMENTS = 500


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


def _sums_frame(session: Session, query: GapQuery, periods: Periods) -> pd.DataFrame:
    bounds = periods.utc_bounds()
    rows = period_sums(
        session,
        entity_id=query.entity_id,
        tz=query.tz,
        freq=query.freq,
        since=bounds[0][0],
        until=bounds[-1][1],
    )
    index = {label: i for i, label in enumerate(periods.labels)}
    records = [(index[label], voice, *map(int, sums)) for label, voice, *sums in rows]
    return pd.DataFrame.from_records(records, columns=["period", "voice", *COLUMNS])


def gap_series(session: Session, query: GapQuery) -> tuple[Periods, pd.DataFrame]:
    """Per period: both voices' statistics and the ravine (raw, or baseline z-scores)."""
    periods = make_periods(since=query.since, until=query.until, freq=query.freq, tz=query.tz)
    if query.view == "raw":
        return periods, ravine_series(
            _sums_frame(session, query, periods), periods, options=query.options
        )
    # The trailing baseline needs the periods before the first one shown.
    lead = make_periods(
        since=query.since - timedelta(days=query.baseline_days),
        until=query.until,
        freq=query.freq,
        tz=query.tz,
    )
    frame = baseline_series(
        _sums_frame(session, query, lead),
        lead,
        options=query.options,
        baseline_days=query.baseline_days,
    )
    shown = frame[frame["label"].isin(periods.labels)].reset_index(drop=True)
    return periods, shown


def statement_reactions(session: Session, query: GapQuery, *, window_days: float) -> pd.DataFrame:
    """For each corporate statement in the range: public sentiment before vs after it."""
    periods = make_periods(since=query.since, until=query.until, freq="day", tz=query.tz)
    start, end = periods.utc_bounds()[0][0], periods.end
    found = statements(
        session, entity_id=query.entity_id, since=start, until=end, limit=MAX_STATEMENTS
    )
    frame = pd.DataFrame.from_records(
        [(i, published, title or text[:120]) for i, published, title, text in found],
        columns=["id", "published_at", "title"],
    )
    window = timedelta(days=window_days)
    hours = hourly_sums(
        session,
        entity_id=query.entity_id,
        voice="public",
        since=start - window,
        until=end + window,
    )
    hourly = pd.DataFrame.from_records(
        [(hour, "public", *map(int, sums)) for hour, *sums in hours],
        columns=["hour", "voice", *COLUMNS],
    )
    if not hourly.empty:
        hourly["hour"] = pd.to_datetime(hourly["hour"], utc=True)
    if not frame.empty:
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    options = query.options
    return reactions(
        hourly,
        frame,
        window_days=window_days,
        min_n=options.min_n,
        metric=options.metric,
        weighted=options.weighted,
    )
