"""Write batches on one background thread, in order, while the main thread keeps parsing.

The database driver releases the GIL while SQLite or PostgreSQL works, so parsing the next batch
overlaps with storing this one. Each batch is still one transaction: stopping (an error, Ctrl-C)
lets the batch in progress finish or roll back whole and drops the batches not yet started.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


class BackgroundWriter(Generic[T]):
    def __init__(self, write: Callable[[T], None], *, depth: int = 2) -> None:
        self._write = write
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ravine-writer", daemon=True)

    def __enter__(self) -> BackgroundWriter[T]:
        self._thread.start()
        return self

    def submit(self, item: T) -> None:
        """Queue one batch (waiting while ``depth`` batches are queued); re-raise a write error."""
        while True:
            self._raise_if_failed()
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self._stop.set()  # drop what has not started; the batch in progress completes
        self._queue.put(_DONE)
        self._thread.join()
        if kind is None:
            self._raise_if_failed()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._stop.is_set() or self._error is not None:
                continue
            try:
                self._write(item)  # type: ignore[arg-type]
            except BaseException as exc:  # handed to the main thread
                self._error = exc
