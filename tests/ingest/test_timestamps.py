"""parse_timestamp: the forms exports write, time zones and DST, rejections, round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.files.timestamps import parse_timestamp

NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, *rest: int) -> datetime:
    second, micro = (*rest, 0, 0)[:2]
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 in its variants
        ("2015-02-24T19:35:52Z", utc(2015, 2, 24, 19, 35, 52)),
        ("2015-02-24 19:35:52Z", utc(2015, 2, 24, 19, 35, 52)),
        ("2015-02-24T11:35:52-08:00", utc(2015, 2, 24, 19, 35, 52)),
        ("2015-02-24T11:35:52-0800", utc(2015, 2, 24, 19, 35, 52)),
        ("2015-02-24T11:35:52-08", utc(2015, 2, 24, 19, 35, 52)),
        ("2015-02-24 11:35:52 -0800", utc(2015, 2, 24, 19, 35, 52)),  # Twitter US Airline
        ("2015-02-24 11:35:52.25 -08:00", utc(2015, 2, 24, 19, 35, 52, 250000)),
        ("2015-02-24 11:35:52,5  +0100", utc(2015, 2, 24, 10, 35, 52, 500000)),
        ("2015-02-24T19:35:52.123456789+00:00", utc(2015, 2, 24, 19, 35, 52, 123456)),
        ("2015-02-24 19:35 UTC", utc(2015, 2, 24, 19, 35)),
        ("2015-02-24 19:35:52 gmt", utc(2015, 2, 24, 19, 35, 52)),
        ("  2015-02-24T19:35:52Z\n", utc(2015, 2, 24, 19, 35, 52)),
        ("20150224T193552Z", utc(2015, 2, 24, 19, 35, 52)),
        ("20150224193552", utc(2015, 2, 25, 0, 35, 52)),  # compact, naive: New York time
        ("2015-02-24", utc(2015, 2, 24, 5)),  # date only: midnight in New York
        ("20150224", utc(2015, 2, 24, 5)),
        # RFC 2822, and the classic Twitter API form
        ("Tue, 24 Feb 2015 11:35:52 -0800", utc(2015, 2, 24, 19, 35, 52)),
        ("24 Feb 2015 19:35:52 GMT", utc(2015, 2, 24, 19, 35, 52)),
        ("Tue, 24 Feb 2015 19:35:52 UT", utc(2015, 2, 24, 19, 35, 52)),
        ("Tue, 24 Feb 2015 14:35:52 EST", utc(2015, 2, 24, 19, 35, 52)),
        ("Tue, 24 Feb 2015 12:35:52 PDT", utc(2015, 2, 24, 19, 35, 52)),
        ("Tue, 24 Feb 2015 19:35:52 -0000", utc(2015, 2, 24, 19, 35, 52)),
        ("Tue, 24 Feb 2015 14:35:52", utc(2015, 2, 24, 19, 35, 52)),  # no zone: New York
        ("Tue Feb 24 19:35:52 +0000 2015", utc(2015, 2, 24, 19, 35, 52)),
        # epoch seconds and milliseconds, as numbers and strings
        (1424806552, utc(2015, 2, 24, 19, 35, 52)),
        (1424806552.25, utc(2015, 2, 24, 19, 35, 52, 250000)),
        (1424806552123, utc(2015, 2, 24, 19, 35, 52, 123000)),
        (1424806552123.0, utc(2015, 2, 24, 19, 35, 52, 123000)),
        ("1424806552", utc(2015, 2, 24, 19, 35, 52)),
        (" 1424806552.5 ", utc(2015, 2, 24, 19, 35, 52, 500000)),
        ("1424806552123", utc(2015, 2, 24, 19, 35, 52, 123000)),
        ("1170032400000", utc(2007, 1, 29, 1)),  # fromisoformat would read a year 1170 date
        (0, utc(1970, 1, 1)),
    ],
)
def test_accepted_forms(value: object, expected: datetime) -> None:
    parsed = parse_timestamp(value, default_tz=NEW_YORK)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # spring forward, 2025-03-09: 02:00 EST jumps to 03:00 EDT
        ("2025-03-09 01:59:59", utc(2025, 3, 9, 6, 59, 59)),
        ("2025-03-09 02:30:00", utc(2025, 3, 9, 7, 30)),  # does not exist: fold=0 reads it as EST
        ("2025-03-09 03:00:00", utc(2025, 3, 9, 7)),
        # fall back, 2025-11-02: 02:00 EDT goes back to 01:00 EST
        ("2025-11-02 00:59:59", utc(2025, 11, 2, 4, 59, 59)),
        ("2025-11-02 01:30:00", utc(2025, 11, 2, 5, 30)),  # happens twice: fold=0 is the first
        ("2025-11-02 02:00:00", utc(2025, 11, 2, 7)),
        ("2025-07-04T12:00", utc(2025, 7, 4, 16)),
        ("2025-01-04T12:00", utc(2025, 1, 4, 17)),
    ],
)
def test_naive_values_are_read_in_the_default_zone(local: str, expected: datetime) -> None:
    assert parse_timestamp(local, default_tz=NEW_YORK) == expected


def test_default_zone_does_not_touch_aware_values() -> None:
    for zone in (UTC, NEW_YORK, ZoneInfo("Asia/Kolkata")):
        assert parse_timestamp("2015-02-24T19:35:52Z", default_tz=zone) == utc(
            2015, 2, 24, 19, 35, 52
        )
    assert parse_timestamp("2015-02-24T19:35", default_tz=ZoneInfo("Asia/Kolkata")) == utc(
        2015, 2, 24, 14, 5
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty timestamp"),
        ("   ", "empty timestamp"),
        ("yesterday", r"'yesterday' is not a timestamp; use ISO 8601 .* RFC 2822 .* epoch"),
        ("2015-02-30", "is not a timestamp"),
        ("2015-13-01T00:00Z", r"is not a valid date \(month must be in 1..12\)"),
        ("2015-02-24 25:00 UTC", r"is not a valid date \(hour must be in 0..23\)"),
        ("20151399", r"is not a valid date \(month must be in 1..12\)"),
        ("Tue, 30 Feb 2015 11:35:52 GMT", "is not a timestamp"),
        ("Tue, 24 Feb 2015 11:35:52 XYZ", "unknown time zone 'XYZ'"),
        ("1,424,806,552", "is not a timestamp"),
        (True, "boolean"),
        (False, "boolean"),
        (None, "is not a timestamp"),
        ([2015, 2, 24], r"list \[2015, 2, 24\] is not a timestamp"),
        ({"date": "2015-02-24"}, "dict .* is not a timestamp"),
        (float("nan"), "is not a timestamp"),
        (float("inf"), "is not a timestamp"),
        ("1969-12-31T23:59:59Z", "outside the years 1970-2100"),
        ("2101-01-01T00:00:00Z", "outside the years 1970-2100"),
        ("2100-12-31T23:00:00-05:00", "outside the years 1970-2100"),
        ("0001-01-01T00:00:00+01:00", "outside the years 1970-2100"),
        ("9999-12-31T23:59:59-01:00", "outside the years 1970-2100"),
        (-1, "outside the years 1970-2100"),
        ("-1424806552", "outside the years 1970-2100"),
        (4_133_980_800, "outside the years 1970-2100"),
        (10**30, "outside the years 1970-2100"),
        (99_999_999_999, "outside the years 1970-2100"),  # below 1e11: seconds, year 5138
        ("Mon, 24 Feb 1969 11:35:52 -0800", "outside the years 1970-2100"),
    ],
)
def test_rejections(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_timestamp(value, default_tz=UTC)
    assert "\n" not in str(caught.value)


def test_long_values_are_quoted_short() -> None:
    with pytest.raises(ValueError) as caught:
        parse_timestamp("x" * 5000, default_tz=UTC)
    assert len(str(caught.value)) < 250


def test_edges_of_the_range() -> None:
    assert parse_timestamp("1970-01-01T00:00:00Z", default_tz=UTC) == utc(1970, 1, 1)
    assert parse_timestamp("1969-12-31T19:00:00-05:00", default_tz=UTC) == utc(1970, 1, 1)
    last = parse_timestamp("2100-12-31T23:59:59.999999Z", default_tz=UTC)
    assert last == utc(2100, 12, 31, 23, 59, 59, 999999)
    assert parse_timestamp(4_133_980_799, default_tz=UTC) == utc(2100, 12, 31, 23, 59, 59)


# --- round trips -------------------------------------------------------------------------

OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
ZONES = st.one_of(
    OFFSETS, st.sampled_from([ZoneInfo(n) for n in ("America/New_York", "Asia/Kathmandu")])
)
INSTANTS = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59)
).map(lambda naive: naive.replace(tzinfo=UTC))


@given(INSTANTS, ZONES)
def test_iso_round_trip(instant: datetime, zone: timezone | ZoneInfo) -> None:
    local = instant.astimezone(zone)
    for text in (local.isoformat(), local.isoformat(sep=" "), local.isoformat(timespec="seconds")):
        expected = instant.replace(microsecond=0) if "." not in text else instant
        assert parse_timestamp(text, default_tz=NEW_YORK) == expected


@given(INSTANTS.map(lambda dt: dt.replace(microsecond=0)), OFFSETS)
def test_rfc2822_round_trip(instant: datetime, zone: timezone) -> None:
    text = format_datetime(instant.astimezone(zone))
    assert parse_timestamp(text, default_tz=NEW_YORK) == instant


@given(INSTANTS.map(lambda dt: dt.replace(microsecond=0)))
def test_epoch_seconds_round_trip(instant: datetime) -> None:
    seconds = int(instant.timestamp())
    for value in (seconds, float(seconds)):
        assert parse_timestamp(value, default_tz=NEW_YORK) == instant
    if seconds >= 10**8:  # 8-digit strings are YYYYMMDD dates (epoch values of 1970-1973)
        assert parse_timestamp(str(seconds), default_tz=NEW_YORK) == instant


# Milliseconds are told apart by size (>= 1e11), so they start at 1973-03-03T09:46:40Z.
@given(
    st.datetimes(min_value=datetime(1973, 3, 4), max_value=datetime(2100, 12, 31)).map(
        lambda naive: naive.replace(tzinfo=UTC, microsecond=naive.microsecond // 1000 * 1000)
    )
)
def test_epoch_milliseconds_round_trip(instant: datetime) -> None:
    millis = (instant - utc(1970, 1, 1)) // timedelta(milliseconds=1)
    for value in (millis, str(millis)):
        assert parse_timestamp(value, default_tz=NEW_YORK) == instant
