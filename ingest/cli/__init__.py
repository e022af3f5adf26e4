"""The ``ravine`` command line. Exit codes: 0 ok, 1 partial failure, 2 usage or configuration."""

from ingest.cli.main import main

__all__ = ["main"]
