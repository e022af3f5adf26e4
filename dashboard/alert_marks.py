"""Alert events drawn on the ravine chart: a yellow triangle on the ravine's panel, pointing
the way the rule saw the ravine (or public volume) move, in the period that holds the event's
day and at that period's ravine, so the eye meets the alarm where the line moved. Events of
one period and direction share one triangle, which hovers each of them (rule, kind, the detail
sentence); like annotations they stay out of the legend and are listed under the chart."""

from __future__ import annotations

import html
import textwrap
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dashboard import palette
from ravine.analytics.alerts import kind_label

SYMBOLS = {"up": "triangle-up", "down": "triangle-down"}
HOVER_WIDTH = 70  # characters a line of the detail takes in a hover: Plotly does not wrap


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert event as the chart draws it: its local day, which way it went, its rule, its
    kind and its one-sentence detail."""

    day: date
    direction: str  # up or down
    rule: str
    kind: str
    detail: str


def period_of(labels: Sequence[str], day: date) -> int | None:
    """The index of the period holding ``day``, None before the first. Labels are ISO dates
    (days, weeks) or "2025-03" (months): each sorts after the days before its period and not
    after its own, so the last label not after the day's ISO date is its period."""
    found = bisect_right(labels, day.isoformat()) - 1
    return found if found >= 0 else None


def _hover(alert: Alert) -> str:
    """One event's lines in a hover; Plotly draws HTML there, so the data's texts are
    escaped."""
    lines = textwrap.wrap(alert.detail, HOVER_WIDTH) or [""]
    detail = "<br>".join(html.escape(line, quote=False) for line in lines)
    return (
        f"{alert.day.isoformat()} {html.escape(alert.rule, quote=False)}: "
        f"{kind_label(alert.kind)}<br>{detail}"
    )


def alert_marks(
    alerts: Sequence[Alert], labels: Sequence[str], ravine: Sequence[float | None]
) -> list[dict[str, Any]]:
    """One trace of triangles on the ravine's axes (none without events in the periods):
    one per period and direction, at the period's drawn ``ravine`` (at 0 where it has none)."""
    groups: dict[tuple[int, str], list[Alert]] = {}
    for alert in alerts:
        at = period_of(labels, alert.day)
        if at is not None:
            groups.setdefault((at, alert.direction), []).append(alert)
    if not groups:
        return []
    keys = list(groups)
    return [
        {"type": "scatter", "x": [labels[i] for i, _ in keys],
         "y": [ravine[i] if ravine[i] is not None else 0.0 for i, _ in keys],
         "xaxis": "x", "yaxis": "y3", "mode": "markers", "name": "Alerts", "showlegend": False,
         "marker": {"symbol": [SYMBOLS.get(way, "circle") for _, way in keys], "size": 14,
                    "color": palette.ALERT, "line": {"color": palette.ALERT_EDGE, "width": 1.5}},
         "hovertext": ["<br>".join(map(_hover, group)) for group in groups.values()],
         "hovertemplate": "<b>Alert</b> %{hovertext}<extra></extra>",
         "meta": {"role": "alerts"}}
    ]  # fmt: skip
