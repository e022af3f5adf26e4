"""A chart's periods, compactly: their labels from the first one, and their UTC bounds from
the zone's UTC offset at each edge (the page rebuilds both, see ``periodBounds`` in app.js).

Labels are consecutive local dates (days, Monday weeks, months), so the first label, a count
and the frequency make them all. A period runs from its local midnight to the next one; the
UTC offset there changes only at DST, so a few [edge, offset] pairs give every bound.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

STEPS = ("day", "week", "month")


def dates(first: str, count: int, step: str) -> list[str]:
    """``count`` labels from ``first``: "2025-03-10" for days and weeks, "2025-03" for months."""
    start = _day(first)
    if step == "month":
        months = [start.year * 12 + start.month - 1 + i for i in range(count)]
        return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
    days = {"day": 1, "week": 7}[step]
    return [(start + timedelta(days=days * i)).isoformat() for i in range(count)]


def days_in(label: str, step: str) -> int:
    """The local days of the period a label starts: 1, 7, or the month's 28 to 31."""
    if step != "month":
        return {"day": 1, "week": 7}[step]
    start = _day(label)
    following = dates(label, 2, "month")[1]
    return (_day(following) - start).days


def step_of(labels: list[str]) -> str:
    """The frequency of consecutive period labels (a lone day label reads as a day)."""
    if labels and len(labels[0]) == 7:
        return "month"
    if len(labels) > 1 and dates(labels[0], 2, "week")[1] == labels[1]:
        return "week"
    return "day"


def _day(label: str) -> date:
    """The first local day of a period label ("2025-03-10", or "2025-03" for a month)."""
    return date.fromisoformat(label if len(label) == 10 else f"{label}-01")


def utc_offsets(edges: list[datetime]) -> list[list[int]]:
    """``[edge, seconds east of UTC]`` at the first edge and wherever the offset changes."""
    changes: list[list[int]] = []
    for i, edge in enumerate(edges):
        offset = edge.utcoffset()
        seconds = 0 if offset is None else int(offset.total_seconds())
        if not changes or changes[-1][1] != seconds:
            changes.append([i, seconds])
    return changes


def utc_bounds(
    labels: list[str], *, step: str, offsets: list[list[int]]
) -> list[tuple[datetime, datetime]]:
    """Each period's [start, end) in UTC, as the page computes it for drill-down."""
    edges = dates(labels[0], len(labels) + 1, step) if labels else []
    moments = []
    for i, label in enumerate(edges):
        seconds = next(s for edge, s in reversed(offsets) if edge <= i)
        moments.append(datetime.combine(_day(label), time(), UTC) - timedelta(seconds=seconds))
    return list(pairwise(moments))
