"""Period labels from the first one, and UTC bounds from the offsets at the edges, give back
exactly the periods of the core, DST changes and odd zones included."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.timeline import dates, days_in, step_of, utc_bounds, utc_offsets
from ravine.analytics import Freq, make_periods

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",  # +05:30
    "Australia/Lord_Howe",  # a half-hour DST shift
    "America/Santiago",  # DST changes at midnight: some local midnights do not exist
]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_labels_and_bounds_are_rebuilt_exactly(tz: str, freq: Freq) -> None:
    periods = make_periods(since=date(2023, 12, 20), until=date(2025, 12, 31), freq=freq, tz=tz)
    assert dates(periods.labels[0], len(periods.labels), freq) == periods.labels
    offsets = utc_offsets([*periods.starts, periods.end])
    assert utc_bounds(periods.labels, step=freq, offsets=offsets) == periods.utc_bounds()


def test_offsets_are_sent_only_where_they_change() -> None:
    periods = make_periods(
        since=date(2025, 3, 8), until=date(2025, 3, 10), freq="day", tz="America/New_York"
    )
    assert utc_offsets([*periods.starts, periods.end]) == [[0, -5 * 3600], [2, -4 * 3600]]
    utc = make_periods(since=date(2025, 1, 1), until=date(2025, 12, 31), freq="day", tz="UTC")
    assert utc_offsets([*utc.starts, utc.end]) == [[0, 0]]


def test_month_labels_roll_over_the_year() -> None:
    assert dates("2024-11", 4, "month") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert dates("2024-12-30", 2, "week") == ["2024-12-30", "2025-01-06"]


def test_a_period_length_in_days_and_the_frequency_of_labels() -> None:
    assert [days_in(label, "month") for label in ("2024-02", "2025-02", "2025-03", "2025-12")] == [
        29, 28, 31, 31
    ]  # fmt: skip
    assert days_in("2025-03-10", "week") == 7 and days_in("2025-03-30", "day") == 1
    assert step_of(["2025-01", "2025-02"]) == step_of(["2025-01"]) == "month"
    assert step_of(["2025-03-03", "2025-03-10"]) == "week"
    assert step_of(["2025-03-03", "2025-03-04"]) == step_of(["2025-03-03"]) == step_of([]) == "day"
