"""Errors a person can act on: each message says what went wrong, where, and how to fix it."""


class RavineError(Exception):
    """Base class for expected failures, reported as one line without a traceback."""


class ConfigError(RavineError):
    """A setting, flag or input path is invalid (CLI exit code 2)."""


class SchemaNotCurrentError(ConfigError):
    """The database is behind (or ahead of) the migrations this code expects."""


class NotFoundError(RavineError):
    """A named entity, source or other record does not exist."""
