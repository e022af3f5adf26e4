"""Timestamps from imported files, whatever shape the export tool wrote them in, as UTC.

Files come from many tools: ISO 8601 in its variants, RFC 2822 (mail, RSS, the classic Twitter
API), and epoch numbers. Every value becomes an aware UTC datetime or a ValueError that says
which forms are accepted.

Naive values are read in the import's time zone with ``fold=0`` (PEP 495): a wall time skipped
by a spring-forward change (02:30 on 2025-03-09 in America/New_York) is read with the offset in
force before the change (EST, so 07:30 UTC), and a time repeated by a fall-back change (01:30 on
2025-11-02) is read as its first occurrence (EDT, so 05:30 UTC).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime

__all__ = ["parse_timestamp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_YEAR = 1970
_MAX_YEAR = 2100
# Epoch values at or above this magnitude are milliseconds: 1e11 seconds would be the year 5138.
_MILLIS_FROM = 1e11
# Seconds from the epoch to 2101-01-01, the first instant after the accepted range.
_EPOCH_LIMIT = 4_133_980_800

_ACCEPTED = (
    "use ISO 8601 (2015-02-24T11:35:52Z), RFC 2822 (Tue, 24 Feb 2015 11:35:52 -0800) "
    "or epoch seconds or milliseconds"
)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
# ISO forms Python's fromisoformat refuses: a space before the offset after a fraction, several
# spaces, or a zone written as UTC/GMT ("2015-02-24 11:35:52.5 -08:00", "2015-02-24 11:35 UTC").
_ISO_LOOSE = re.compile(
    r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*"
    r"(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)",
    re.IGNORECASE,
)
# RFC 2822 with a zone name the email module does not know parses as naive: refuse it rather
# than silently reading it in the import's zone.
_TRAILING_NAME = re.compile(r"\d\s+([A-Za-z]+)$")
_NEGATIVE_ZERO = re.compile(r"\s-0000(?:\s|$)")


def parse_timestamp(value: object, *, default_tz: tzinfo) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are read in ``default_tz``."""
    if isinstance(value, str):
        text = value.strip()
        # Numbers first: fromisoformat reads some digit strings as dates. "YYYY-" is no number.
        if text[4:5] != "-" and _NUMBER.fullmatch(text):
            parsed = _parse_number_text(text, value)
        else:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                parsed = _parse_other_text(text, value)
    elif isinstance(value, bool):
        raise ValueError(f"{value!r} is a boolean, not a timestamp; {_ACCEPTED}")
    elif isinstance(value, int | float):
        return _from_epoch(value, value)
    else:
        raise ValueError(f"{type(value).__name__} {_quote(value)} is not a timestamp; {_ACCEPTED}")
    if not _MIN_YEAR - 1 <= parsed.year <= _MAX_YEAR + 1:  # before astimezone can overflow
        raise _out_of_range(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    utc = parsed.astimezone(UTC)
    if not _MIN_YEAR <= utc.year <= _MAX_YEAR:
        raise _out_of_range(value)
    return utc


def _parse_number_text(text: str, value: str) -> datetime:
    """Epoch seconds or milliseconds, except compact dates (YYYYMMDD, YYYYMMDDHHMMSS).

    As epoch values, 8 digits would be 1970-1973 and 14 digits after 2100, so neither clashes.
    """
    if text.isdigit() and len(text) in (8, 14):
        return _fromisoformat(f"{text[:8]}T{text[8:]}" if len(text) == 14 else text, value)
    return _from_epoch(float(text) if "." in text else int(text), value)


def _parse_other_text(text: str, value: str) -> datetime:
    """Parse the forms ``datetime.fromisoformat`` refuses, or raise the standard error."""
    if not text:
        raise ValueError(f"empty timestamp; {_ACCEPTED}")
    loose = _ISO_LOOSE.fullmatch(text)
    if loose:
        zone = loose[2].upper()
        offset = "+00:00" if zone in {"Z", "UTC", "GMT"} else zone
        return _fromisoformat(loose[1].replace(",", ".") + offset, value)
    return _parse_rfc2822(text, value)


def _parse_rfc2822(text: str, value: str) -> datetime:
    """Read RFC 2822 dates, and the classic Twitter form ``Tue Feb 24 11:35:52 +0000 2015``."""
    try:
        if not any(c.isalpha() for c in text):  # every RFC 2822 date names its month
            raise ValueError(text)
        parsed = parsedate_to_datetime(text)
    except ValueError:
        raise ValueError(f"{_quote(value)} is not a timestamp; {_ACCEPTED}") from None
    if parsed.tzinfo is None:
        unknown = _TRAILING_NAME.search(text)
        if unknown:
            raise ValueError(
                f"unknown time zone {unknown[1]!r} in {_quote(value)}; "
                "write the offset as +HHMM, e.g. -0800"
            )
        if _NEGATIVE_ZERO.search(text):  # RFC 2822: -0000 is UTC with no local zone known
            return parsed.replace(tzinfo=UTC)
    return parsed


def _fromisoformat(text: str, value: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{_quote(value)} is not a valid date ({exc}); {_ACCEPTED}") from None


def _from_epoch(number: float, value: object) -> datetime:
    """Epoch seconds, or milliseconds when the magnitude is at least 1e11."""
    if not math.isfinite(number):
        raise ValueError(f"{_quote(value)} is not a timestamp; {_ACCEPTED}")
    millis = abs(number) >= _MILLIS_FROM
    if not 0 <= (number / 1000 if millis else number) < _EPOCH_LIMIT:
        raise _out_of_range(value)
    if millis:
        return _EPOCH + timedelta(milliseconds=number)
    return _EPOCH + timedelta(seconds=number)


def _out_of_range(value: object) -> ValueError:
    return ValueError(
        f"{_quote(value)} is outside the years {_MIN_YEAR}-{_MAX_YEAR}; "
        "check the column, or the unit of epoch values (seconds or milliseconds)"
    )


def _quote(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
