"""Annotations drawn on the ravine chart: a dotted line on an event's day, or a faint span over
a range's days, through every panel, so the eye can follow an event from the voices down to the
ravine. Lines and spans are layout shapes, which Plotly cannot hover, so one marker per event
at the foot of the top panel carries its label; none joins the legend, whose rows stay as they
are (the events are listed under the chart instead)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboard import palette

MARK_Y = 0.03  # on the top panel's overlay axis (y4, 0 to 1.05): its foot


@dataclass(frozen=True, slots=True)
class Event:
    """An annotation: its first local day, its last (None for one day) and its label."""

    start: date
    end: date | None
    label: str

    @property
    def days(self) -> str:
        return self.start.isoformat() + (f" – {self.end.isoformat()}" if self.end else "")


def event_shapes(events: Sequence[Event]) -> list[dict[str, Any]]:
    """A line at each one-day event's start, a span from a range's first day to the end of its
    last, across the whole plot height (the legend sits above it)."""
    shapes = []
    for event in events:
        frame = {"xref": "x", "yref": "paper", "y0": 0, "y1": 1, "layer": "below"}
        if event.end is None:
            day = event.start.isoformat()
            line = {"color": palette.EVENT, "width": 1.5, "dash": "dot"}
            shapes.append({"type": "line", "x0": day, "x1": day, "line": line, **frame})
        else:
            after = (event.end + timedelta(days=1)).isoformat()
            shapes.append(
                {"type": "rect", "x0": event.start.isoformat(), "x1": after, "line": {"width": 0},
                 "fillcolor": palette.EVENT_SPAN, **frame}
            )  # fmt: skip
    return shapes


def event_marks(events: Sequence[Event]) -> list[dict[str, Any]]:
    """One triangle per event at its first day, hovering its days and label."""
    if not events:
        return []
    return [
        {"type": "scatter", "x": [e.start.isoformat() for e in events], "y": [MARK_Y] * len(events),
         "yaxis": "y4", "mode": "markers", "name": "Events", "showlegend": False,
         "marker": {"symbol": "triangle-up", "size": 11, "color": palette.EVENT},
         # Plotly draws HTML in hover labels: labels are shown as text, their tags escaped.
         "hovertext": [f"{e.days}<br>{html.escape(e.label, quote=False)}" for e in events],
         "hovertemplate": "<b>Event</b> %{hovertext}<extra></extra>", "meta": {"role": "events"}}
    ]  # fmt: skip
