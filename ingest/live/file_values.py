"""Values the sources file writes the same way wherever they appear: durations and zones."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_duration(value: object) -> object:
    """``"15m"``, ``"1h30m"``, ``"45s"``, ``"1d"`` or a number of seconds, as seconds."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if not text or _DURATION.sub("", text):
        raise ValueError(f'{value!r} is not a duration; write e.g. "90s", "15m", "2h" or "1d"')
    return sum(float(amount) * _UNITS[unit] for amount, unit in _DURATION.findall(text))


Duration = Annotated[float, BeforeValidator(parse_duration), Field(ge=0, examples=["15m"])]


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'{value!r} is not an IANA time zone; write e.g. tz = "UTC"') from None
    return value


TimeZone = Annotated[str, AfterValidator(_known_zone), Field(examples=["Europe/Amsterdam"])]
