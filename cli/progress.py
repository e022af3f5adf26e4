"""A progress bar on a terminal, nothing under cron or in a pipe."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)


class Tracker(Protocol):
    def __call__(self, done: int, total: int | None) -> None: ...


@contextmanager
def progress_bar(
    description: str, *, console: Console, enabled: bool, in_bytes: bool = False
) -> Iterator[Tracker]:
    """Yield ``track(done, total)``; draws only when ``enabled``."""
    if not enabled:
        yield lambda _done, _total: None
        return
    counter = DownloadColumn() if in_bytes else MofNCompleteColumn()
    columns = (TextColumn("{task.description}"), BarColumn(), counter, TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def track(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        yield track
