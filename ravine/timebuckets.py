"""Which local day, week (from Monday) or month an instant falls in, in an IANA time zone.

Labels match :class:`ravine.analytics.Periods` labels.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def local_period(moment: datetime, *, tz: str, freq: str) -> str:
    """``"2025-03-09"`` for a day or the Monday of a week, ``"2025-03"`` for a month."""
    local = moment.astimezone(_zone(tz))
    if freq == "month":
        return f"{local.year:04d}-{local.month:02d}"
    day = local.date()
    if freq == "week":
        day -= timedelta(days=day.weekday())
    return day.isoformat()
