"""Why a source could not be read, classified for the runner: try again later, or tell a person.

Messages are one line (what failed, where, what to do) and never contain secrets or query
strings: they are logged and stored in ``ingest_runs.error``.
"""

from __future__ import annotations

from ravine.errors import RavineError


class ConnectorError(RavineError):
    """A source failed this run; the other sources still run."""


class RetriableError(ConnectorError):
    """Temporary (network, 5xx, rate limit): the next run tries again from the saved cursor."""


class PayloadError(RetriableError):
    """The upstream answered with something that is not what its API returns."""


class FatalError(ConnectorError):
    """Fails the same way until a person acts (refused credentials, a wrong URL, bad settings),
    so it is never retried within a run."""


class GoneError(FatalError):
    """The upstream has no such resource (404, 410): fatal for a source's own URL, while a
    connector that follows a link from a record (a filing's index) skips that record instead."""


class TooLargeError(FatalError):
    """A response larger than the source's ``max_bytes`` (decoded): it is not read further."""
