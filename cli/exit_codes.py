"""What ``ravine`` exits with, so cron and scripts can tell a partial run from a bad call."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The command's exit status."""

    OK = 0
    PARTIAL = 1  # the run went ahead but something failed: rows rejected, a source failed
    USAGE = 2  # nothing was done: a bad flag, setting, input path, or an unreachable database
