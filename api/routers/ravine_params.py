"""The query parameters shared by every ravine endpoint, turned into a core GapQuery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from api.deps import ReadSession
from api.params import check_day
from ravine.analytics import METRIC_INFO, SeriesOptions
from ravine.analytics.options import MAX_WINDOW_DAYS
from ravine.errors import ConfigError
from ravine.gap import GapQuery, View
from ravine.models import Entity
from ravine.repository.overview import newest_scored_hour
from ravine.timebuckets import local_period

DEFAULT_DAYS = 365

METRIC_HELP = (  # from the metrics' own declarations, so the two cannot disagree
    "; ".join(
        f"{name}: {info.definition}, higher is {info.higher}" for name, info in METRIC_INFO.items()
    )
    + ". The ravine is how much rosier the company sounds (public − corporate where higher is "
    "gloomier). Positive means compound ≥ 0.05, negative ≤ −0.05."
)


Freq = Literal["day", "week", "month"]
MetricName = Literal["compound", "net", "negative_share"]
Weighting = Literal["none", "engagement"]
DATE = r"^\d{4}-\d{2}-\d{2}$"
SinceQ = Annotated[
    str | None,
    Query(pattern=DATE, description="First local day, YYYY-MM-DD (default: a year before until)."),
]
UntilQ = Annotated[
    str | None,
    Query(pattern=DATE, description="Last local day, inclusive (default: the newest document's)."),
]
FreqQ = Annotated[Freq, Query(description="Period length; weeks start on Monday.")]
TzQ = Annotated[str, Query(max_length=64, description="IANA time zone, e.g. America/New_York.")]
MetricQ = Annotated[MetricName, Query(description=METRIC_HELP)]
MinNQ = Annotated[
    int,
    Query(
        ge=1,
        le=10_000,
        description="Fewer documents (or effective documents, when weighted) in a period and "
        "voice: null.",
    ),
]
SmoothQ = Annotated[int, Query(ge=1, le=365, description="Pool each period with k − 1 before it.")]
WeightingQ = Annotated[
    Weighting,
    Query(description="engagement: weight w = 1 + ⌊log₂(1 + likes + reposts + replies)⌋."),
]
WindowQ = Annotated[
    int,
    Query(
        ge=0,
        le=MAX_WINDOW_DAYS,
        description="Days: the corporate voice at each period pools its statements of the "
        "trailing N days up to the period's end, so a few statements a week still meet min_n "
        "(0: per period, like the public; raw view only).",
    ),
]
ViewQ = Annotated[
    View, Query(description="baseline: each voice as a z-score against its trailing 90 days.")
]


@dataclass(frozen=True, slots=True)
class SeriesParams:
    since: date | None
    until: date | None
    freq: Freq
    tz: str
    metric: MetricName
    min_n: int
    smooth: int
    weighting: Weighting
    view: View
    corporate_window: int

    def query(self, session: Session, entity: Entity) -> GapQuery:
        until = self.until or _last_day(session, entity, tz=self.tz)
        since = self.since or until - timedelta(days=DEFAULT_DAYS - 1)
        if since > until:
            raise ConfigError(f"since ({since}) must not be after until ({until})")
        options = SeriesOptions(
            metric=self.metric,
            min_n=self.min_n,
            smooth=self.smooth,
            weighted=self.weighting == "engagement",
            corporate_window=self.corporate_window,
        )
        return GapQuery(
            entity_id=entity.id, since=since, until=until, freq=self.freq, tz=self.tz,
            options=options, view=self.view,
        )  # fmt: skip


def _last_day(session: Session, entity: Entity, *, tz: str) -> date:
    """Default end of the range: the local day of the entity's newest document, else today."""
    newest = newest_scored_hour(session, entity_id=entity.id)
    if newest is None:
        return date.today()
    return date.fromisoformat(local_period(newest, tz=tz, freq="day"))


def series_params(
    since: SinceQ = None,
    until: UntilQ = None,
    freq: FreqQ = "day",
    tz: TzQ = "UTC",
    metric: MetricQ = "compound",
    min_n: MinNQ = 5,
    smooth: SmoothQ = 1,
    weighting: WeightingQ = "none",
    view: ViewQ = "raw",
    corporate_window: WindowQ = 0,
) -> SeriesParams:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"tz: {tz!r} is not an IANA time zone; use e.g. UTC or America/New_York"
        ) from None
    return SeriesParams(
        local_day(since, "since"), local_day(until, "until"), freq, tz, metric, min_n, smooth,
        weighting, view, corporate_window,
    )  # fmt: skip


def local_days(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """``since`` and ``until`` query parameters as dates, either open, in order."""
    first, last = local_day(since, "since"), local_day(until, "until")
    if first and last and first > last:
        raise ConfigError(f"since ({first}) must not be after until ({last})")
    return first, last


def local_day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD query parameter as a date in range (a ConfigError, 422, says why not)."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{name}: {value!r} is not a calendar date (YYYY-MM-DD)") from None
    try:
        return check_day(day, name)
    except ValueError as error:
        raise ConfigError(str(error)) from None


Series = Annotated[SeriesParams, Depends(series_params)]
__all__ = ["ReadSession", "Series", "SeriesParams"]
