"""Query parameters shared by several endpoints, parsed into the core's types."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from ingest.storable import text_problem

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
"""The dates a request may name. Periods, baselines and time zones reach months beyond the
dates asked for, and Python's dates end at year 9999: this keeps every computation in range."""


def printable(value: str | None) -> str | None:
    """Names are shown and stored as they are: control characters (NUL among them, which
    PostgreSQL cannot store) and broken Unicode are refused."""
    if value is None:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError("contains a control character (such as NUL); use printable text")
    if problem := text_problem(value, "the name"):
        raise ValueError(problem)
    return value


def check_day(day: date, name: str) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{name} {day} is out of range: use a date from {EARLIEST} to {LATEST}")
    return day


def _date_or_datetime(value: str) -> str:
    try:
        day = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date (2025-03-01) or ISO 8601 time (2025-03-01T12:00:00Z)"
        ) from None
    check_day(day.date() if isinstance(day, datetime) else day, "the date")
    return value


When = Annotated[str, AfterValidator(_date_or_datetime)]
Since = Annotated[
    When | None, Query(description="Start: a date (from its first moment, UTC) or an ISO time.")
]
Until = Annotated[
    When | None,
    Query(description="End: a date (inclusive: up to its last moment, UTC) or an ISO time."),
]


def start_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(), UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def end_of(value: str | None) -> datetime | None:
    """Exclusive upper bound: the day after a date, or the time itself."""
    moment = start_of(value)
    if moment is None or value is None:
        return None
    return moment + timedelta(days=1) if len(value) == 10 else moment
