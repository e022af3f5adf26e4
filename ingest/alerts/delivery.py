"""What every alert channel shares: the message, the retry policy, the failure, the retry loop.

A check delivers each event to each of its channels; a delivery that fails for a reason that
may pass (a refused connection, a timeout, a 5xx or 429, an SMTP 4xx) is tried again within
the run with doubling waits, and a check that still fails leaves the event for the next check.
The message's ``key`` goes out with every try (``Idempotency-Key``, ``Message-ID``), so a
receiver that got a try whose answer was lost can drop the repeat.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ravine.errors import ConfigError, RavineError

log = logging.getLogger(__name__)

MAX_WAIT = 60.0  # seconds: no single wait, asked for or computed, is longer


class DeliveryFailed(RavineError):  # noqa: N818 (the name the alert modules share)
    """A message did not reach a channel. The message is one line saying what failed and where
    (never a secret: no password, no webhook path or query, only scheme://host[:port]) and
    whether a later attempt may succeed; ``retriable`` says the same to code."""

    def __init__(self, message: str, *, retriable: bool) -> None:
        super().__init__(message)
        self.retriable = retriable


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One event, rendered once and sent to every channel."""

    key: str  # stable per event and channel, e.g. "ravine-alert-42": Idempotency-Key, Message-ID
    subject: str  # one line
    text: str  # plain text, a few lines; each channel escapes it for its own format
    link: str | None = None  # the event on the dashboard, when known
    event: dict[str, Any] = field(default_factory=dict)  # JSON-able: rule, kind, entity, day …


@dataclass(frozen=True, slots=True, kw_only=True)
class Retry:
    """How hard one check tries a delivery: ``attempts`` tries in all, waiting ``backoff``
    seconds before the second and doubling after each (1, 2, 4 …), at most 60 s a wait."""

    attempts: int = 4
    backoff: float = 1.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ConfigError(f"alert delivery attempts must be at least 1 (got {self.attempts})")
        if not self.backoff >= 0:  # NaN too
            raise ConfigError(f"alert delivery backoff must be 0 s or more (got {self.backoff})")

    def wait(self, tries: int) -> float:
        """Seconds to wait after ``tries`` failed tries (1: before the second)."""
        return min(MAX_WAIT, self.backoff * 2.0 ** (tries - 1))


class Transient(DeliveryFailed):  # a signal inside with_retries, never raised out of it
    """A try failed for a reason that may pass; ``wait`` is what the server asked for, if it
    did (a 429's Retry-After), else the backoff applies."""

    def __init__(self, reason: str, *, wait: float | None = None) -> None:
        super().__init__(reason, retriable=True)
        self.reason = reason
        self.wait = wait


def with_retries(
    send: Callable[[], None],
    *,
    where: str,
    retry: Retry,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call ``send`` until it returns, raises :class:`DeliveryFailed` (given up at once), or has
    raised :class:`Transient` ``retry.attempts`` times; then the failure is retriable by the
    next check. ``where`` names the channel in messages, e.g. "webhook https://hooks.slack.com"."""
    for tries in range(1, retry.attempts + 1):
        try:
            send()
        except Transient as failure:
            if tries == retry.attempts:
                times = "attempt" if tries == 1 else "attempts"
                raise DeliveryFailed(
                    f"{where}: {failure.reason} after {tries} {times}; the next check retries it",
                    retriable=True,
                ) from None
            wait = retry.wait(tries) if failure.wait is None else min(MAX_WAIT, failure.wait)
            log.info(
                "%s: %s; try %d of %d in %.1f s", where, failure.reason, tries + 1,
                retry.attempts, wait,
            )  # fmt: skip
            sleep(wait)
        else:
            return
