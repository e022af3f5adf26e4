"""The ``ravine`` command line, on top of every other package; exit codes in ``exit_codes``."""

from cli.main import main

__all__ = ["main"]
