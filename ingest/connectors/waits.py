"""How long to wait before the next request: backoff with jitter, and what servers ask for.

Servers say it in different ways: ``Retry-After`` (seconds or an HTTP date), Mastodon's
``X-RateLimit-Reset`` (an ISO 8601 time), Bluesky's ``RateLimit-Reset`` (epoch seconds) and
Reddit's ``X-Ratelimit-Reset`` (seconds from now). All become seconds to wait from ``now``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_RESET_HEADERS = ("x-ratelimit-reset", "ratelimit-reset")
_REMAINING_HEADERS = ("x-ratelimit-remaining", "ratelimit-remaining")
_EPOCH_THRESHOLD = 1_000_000_000  # a reset above this is a Unix time, below it a delay


def backoff_delay(attempt: int, *, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Exponential backoff with "equal jitter": half of the delay fixed, half random, so many
    clients that failed together do not come back together, yet none retries at once."""
    ceiling = min(cap, base * 2.0**attempt)
    return ceiling / 2 + rand() * ceiling / 2


def _seconds_until(value: str, now: datetime) -> float | None:
    """A delay in seconds, an epoch time, an ISO 8601 time or an HTTP date, as seconds from now."""
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if number != number or number < 0:  # NaN or negative: meaningless
            return None
        return max(0.0, number - now.timestamp()) if number > _EPOCH_THRESHOLD else number
    when: datetime | None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def requested_wait(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """What a 429 or 503 asks for: ``Retry-After`` first, else the rate limit's reset time."""
    for name in ("retry-after", *_RESET_HEADERS):
        value = headers.get(name)
        if value is not None and (wait := _seconds_until(value, now)) is not None:
            return wait
    return None


def exhausted_for(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """Seconds until the rate limit resets when a response says none are left, else None."""
    for name in _REMAINING_HEADERS:
        value = headers.get(name)
        if value is None:
            continue
        try:
            remaining = float(value.split(";")[0])
        except ValueError:
            return None
        if remaining >= 1:
            return None
        for reset in _RESET_HEADERS:
            if (given := headers.get(reset)) is not None:
                return _seconds_until(given, now)
        return None
    return None
