"""The one exception analytics raises for a request a person can correct (the API answers 422)."""

from __future__ import annotations

from ravine.errors import RavineError


class AnalyticsError(RavineError, ValueError):
    """A request that cannot be answered as asked; the message says how to ask instead."""
