"""Period boundaries in a time zone: DST days, Monday weeks, months, limits and errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ravine.analytics import MAX_PERIODS, AnalyticsError, Freq, make_periods


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(bounds: tuple[datetime, datetime]) -> float:
    return (bounds[1] - bounds[0]) / timedelta(hours=1)


def test_new_york_spring_forward_day_has_23_hours() -> None:
    periods = make_periods(
        since=date(2025, 3, 8), until=date(2025, 3, 10), freq="day", tz="America/New_York"
    )
    assert periods.labels == ["2025-03-08", "2025-03-09", "2025-03-10"]
    assert periods.utc_bounds() == [
        (utc(2025, 3, 8, 5), utc(2025, 3, 9, 5)),
        (utc(2025, 3, 9, 5), utc(2025, 3, 10, 4)),
        (utc(2025, 3, 10, 4), utc(2025, 3, 11, 4)),
    ]
    assert [hours(b) for b in periods.utc_bounds()] == [24, 23, 24]


def test_new_york_fall_back_day_has_25_hours() -> None:
    periods = make_periods(
        since=date(2025, 11, 2), until=date(2025, 11, 3), freq="day", tz="America/New_York"
    )
    assert periods.utc_bounds() == [
        (utc(2025, 11, 2, 4), utc(2025, 11, 3, 5)),
        (utc(2025, 11, 3, 5), utc(2025, 11, 4, 5)),
    ]
    assert [hours(b) for b in periods.utc_bounds()] == [25, 24]


def test_starts_are_local_midnights_in_the_zone_and_end_is_exclusive() -> None:
    zone = ZoneInfo("America/New_York")
    periods = make_periods(
        since=date(2025, 3, 9), until=date(2025, 3, 9), freq="day", tz="America/New_York"
    )
    assert periods.starts == [datetime(2025, 3, 9, tzinfo=zone)]
    assert periods.starts[0].tzinfo is zone
    assert periods.end == datetime(2025, 3, 10, tzinfo=zone)
    assert periods.freq == "day"


def test_weeks_start_on_monday_and_cover_both_ends() -> None:
    # 2025-03-05 is a Wednesday and 2025-03-17 a Monday.
    periods = make_periods(since=date(2025, 3, 5), until=date(2025, 3, 17), freq="week", tz="UTC")
    assert periods.labels == ["2025-03-03", "2025-03-10", "2025-03-17"]
    assert all(start.weekday() == 0 for start in periods.starts)
    assert periods.end == datetime(2025, 3, 24, tzinfo=ZoneInfo("UTC"))


def test_week_across_new_york_spring_forward_is_167_hours() -> None:
    periods = make_periods(
        since=date(2025, 3, 3), until=date(2025, 3, 16), freq="week", tz="America/New_York"
    )
    assert periods.utc_bounds() == [
        (utc(2025, 3, 3, 5), utc(2025, 3, 10, 4)),
        (utc(2025, 3, 10, 4), utc(2025, 3, 17, 4)),
    ]
    assert [hours(b) for b in periods.utc_bounds()] == [167, 168]


def test_months_span_the_range_and_the_year_end() -> None:
    periods = make_periods(since=date(2024, 11, 30), until=date(2025, 2, 1), freq="month", tz="UTC")
    assert periods.labels == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert [s.date() for s in periods.starts] == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert periods.end.date() == date(2025, 3, 1)


def test_month_with_a_dst_change_in_new_york() -> None:
    periods = make_periods(
        since=date(2025, 3, 15), until=date(2025, 3, 15), freq="month", tz="America/New_York"
    )
    assert periods.utc_bounds() == [(utc(2025, 3, 1, 5), utc(2025, 4, 1, 4))]


def test_europe_london_dst_days() -> None:
    spring = make_periods(
        since=date(2025, 3, 30), until=date(2025, 3, 30), freq="day", tz="Europe/London"
    )
    autumn = make_periods(
        since=date(2025, 10, 26), until=date(2025, 10, 26), freq="day", tz="Europe/London"
    )
    assert spring.utc_bounds() == [(utc(2025, 3, 30, 0), utc(2025, 3, 30, 23))]
    assert autumn.utc_bounds() == [(utc(2025, 10, 25, 23), utc(2025, 10, 27, 0))]


def test_asia_kolkata_half_hour_offset() -> None:
    periods = make_periods(
        since=date(2025, 3, 9), until=date(2025, 3, 10), freq="day", tz="Asia/Kolkata"
    )
    assert periods.utc_bounds() == [
        (utc(2025, 3, 8, 18, 30), utc(2025, 3, 9, 18, 30)),
        (utc(2025, 3, 9, 18, 30), utc(2025, 3, 10, 18, 30)),
    ]


def test_since_after_until_is_an_error() -> None:
    with pytest.raises(AnalyticsError, match=r"since \(2025-03-10\) is after until \(2025-03-01\)"):
        make_periods(since=date(2025, 3, 10), until=date(2025, 3, 1), freq="day", tz="UTC")


def test_exactly_max_periods_is_allowed() -> None:
    since = date(2010, 1, 1)
    until = since + timedelta(days=MAX_PERIODS - 1)
    periods = make_periods(since=since, until=until, freq="day", tz="UTC")
    assert len(periods.starts) == len(periods.labels) == MAX_PERIODS == 4000


@pytest.mark.parametrize(
    ("freq", "until", "message"),
    [
        (
            "day",
            date(2020, 12, 31),
            "4,001 daily periods requested; the limit is 4,000: use freq=week",
        ),
        ("week", date(2100, 1, 1), "weekly periods requested; the limit is 4,000: use freq=month"),
        ("month", date(2400, 1, 1), "monthly periods requested; the limit is 4,000: use a shorter"),
    ],
)
def test_too_many_periods_is_an_error(freq: Freq, until: date, message: str) -> None:
    since = until - timedelta(days=MAX_PERIODS) if freq == "day" else date(2000, 1, 1)
    with pytest.raises(AnalyticsError, match=message):
        make_periods(since=since, until=until, freq=freq, tz="UTC")


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_unknown_zone_is_an_error(tz: str) -> None:
    with pytest.raises(AnalyticsError, match="unknown time zone"):
        make_periods(since=date(2025, 1, 1), until=date(2025, 1, 2), freq="day", tz=tz)


def test_unknown_freq_is_an_error() -> None:
    year: Any = "year"  # what an unchecked caller might pass
    with pytest.raises(AnalyticsError, match="unknown freq 'year'"):
        make_periods(since=date(2025, 1, 1), until=date(2025, 1, 2), freq=year, tz="UTC")
