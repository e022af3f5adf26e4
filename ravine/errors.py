"""Errors a person can act on: each message says what went wrong, where, and how to fix it.

Every failure Ravine expects is a ``RavineError``; the CLI prints it as one line (exit code 2
for the configuration branch, else 1) and the API answers it as a problem document. The
tree, with where each class lives::

    RavineError
    ├── ConfigError                 a setting, flag, path or query parameter is invalid
    │   ├── SchemaNotCurrentError   the database is behind (or ahead of) the migrations
    │   └── SourcesFileError        ingest.live.problems: a sources file entry is invalid
    ├── NotFoundError               a named entity, source or record does not exist
    ├── AnalyticsError              ravine.analytics.errors: a series that cannot be computed
    │                               as asked (also a ValueError)
    ├── RowError                    ingest.files.fields: one input row is rejected, the rest
    │                               go on (also a ValueError)
    ├── TooLongError                ingest.files.csv_lines: a record outgrew its size budget
    ├── DeliveryFailed              ingest.alerts.delivery: an alert did not reach a channel
    │   └── Transient               one try failed for a reason that may pass (retried)
    └── ConnectorError              ingest.connectors.errors: a live source failed this run
        ├── RetriableError          temporary; the next run resumes from the saved cursor
        │   └── PayloadError        the upstream answered what its API never returns
        └── FatalError              fails the same way until a person acts
            ├── GoneError           the upstream resource is missing (404, 410)
            ├── TooLargeError       a response over the source's max_bytes
            └── BlockedAddressError ingest.connectors.guard: a non-public address
"""


class RavineError(Exception):
    """Base class for expected failures, reported as one line without a traceback."""


class ConfigError(RavineError):
    """A setting, flag or input path is invalid (CLI exit code 2)."""


class SchemaNotCurrentError(ConfigError):
    """The database is behind (or ahead of) the migrations this code expects."""


class NotFoundError(RavineError):
    """A named entity, source or other record does not exist."""
