"""The ravine chart of one query, assembled from the database: its series, statement diamonds,
annotations and alert events drawn by :func:`dashboard.figures.ravine_figure`. The dashboard's
figure answer and the report both draw it here, so the two cannot draw different charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from dashboard.alert_marks import Alert
from dashboard.events import Event
from dashboard.figures import Statement, caption, ravine_figure
from ravine.gap import MAX_MARKED, GapQuery, GapSeries, exact_hours, gap_series, statements_in
from ravine.models import Annotation
from ravine.repeat_authors import SampleReader
from ravine.repository.alerts import StoredEvent, events_between
from ravine.repository.annotations import annotations_between
from ravine.repository.series import EntityHours


@dataclass(frozen=True, slots=True)
class Chart:
    series: GapSeries
    annotations: list[Annotation]  # those overlapping the range, oldest first
    alerts: list[StoredEvent]  # alert events with days in the range, oldest first
    figure: dict[str, Any]  # a Plotly figure: data and layout


def _markers(session: Session, query: GapQuery, series: GapSeries) -> list[Statement]:
    periods = series.periods
    marks = statements_in(session, query.entity_id, periods, limit=MAX_MARKED)
    # Local wall-clock minutes as text, in one array operation rather than a strftime each; a
    # day's diamond needs only the time of day.
    wall = marks["published_at"].dt.tz_convert(query.tz).dt.tz_localize(None)
    local = np.datetime_as_string(wall.to_numpy().astype("datetime64[m]")).tolist()
    cut = 11 if query.freq == "day" else 0
    labels, titles = periods.labels, marks["title"].tolist()
    return [
        Statement(period=labels[p], local=at[cut:].replace("T", " "), title=title)
        for p, at, title in zip(marks["period"].tolist(), local, titles, strict=True)
    ]


def _alerts(session: Session, query: GapQuery) -> list[StoredEvent]:
    """The entity's alert events in the range, oldest first: read left to right, as the
    chart is and as its annotations are listed."""
    found = events_between(session, entity_id=query.entity_id, since=query.since,
                           until=query.until)  # fmt: skip
    return found[::-1]


def _drawn(stored: StoredEvent) -> Alert:
    event = stored.event
    return Alert(event.day, event.direction, event.rule, event.kind, event.detail)


def ravine_chart(
    session: Session, query: GapQuery, hours: EntityHours, samples: SampleReader
) -> Chart:
    """The chart of ``query`` from the entity's roll-up ``hours`` and author ``samples`` (as
    :func:`ravine.gap.gap_series` takes them, cached or read afresh)."""
    series = gap_series(query, exact_hours(session, query, hours), samples)
    frame = series.frame
    names = [str(name) for name in frame.columns]
    columns = [frame[name].tolist() for name in names]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    marked = annotations_between(session, query.entity_id, query.since, query.until)
    events = [Event(a.start_date, a.end_date, a.label) for a in marked]
    alerts = _alerts(session, query)
    options = query.options
    figure = ravine_figure(
        rows, metric=options.metric, statements=_markers(session, query, series), events=events,
        alerts=[_drawn(stored) for stored in alerts], baseline=query.view == "baseline",
        freq=query.freq, corporate_window=options.corporate_window,
    )  # fmt: skip
    return Chart(series, marked, alerts, figure)


def query_caption(entity: str, query: GapQuery) -> str:
    """The chart's one-sentence caption for ``query``: what it shows and how it was pooled."""
    options = query.options
    return caption(
        entity=entity, since=query.since.isoformat(), until=query.until.isoformat(),
        freq=query.freq, metric=options.metric, min_n=options.min_n,
        baseline=query.view == "baseline", baseline_days=query.baseline_days,
        smooth=options.smooth, weighted=options.weighted,
        corporate_window=options.corporate_window,
    )  # fmt: skip
