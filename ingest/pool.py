"""Order-preserving parallel map over worker processes, with a bounded number of jobs in flight.

Bounded so that reading a 1 GB file never races ahead of scoring and fills memory; ordered so
that a batch is written (and its cursor committed) only after every batch before it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

K = TypeVar("K")
T = TypeVar("T")
R = TypeVar("R")


ORPHAN_CHECK_SECONDS = 0.5


def _start_worker(parent: int) -> None:
    """Set up a worker: Ctrl-C is the parent's to handle (it rolls back its batch and stops the
    workers), and a worker whose parent died (kill -9) exits instead of waiting for work that
    will never come: its siblings keep the job queue open, so it would wait for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def ordered_map(
    fn: Callable[[T], R], items: Iterable[tuple[K, T]], *, workers: int
) -> Iterator[tuple[K, R]]:
    """Yield ``(key, fn(job))`` for each ``(key, job)`` in order, running ``fn`` on ``workers``
    processes (in this process when ``workers`` is 1). Keys never leave this process."""
    if workers <= 1:
        for key, job in items:
            yield key, fn(job)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),)
    )
    pending: deque[tuple[K, Future[R]]] = deque()
    try:
        for key, job in items:
            pending.append((key, pool.submit(fn, job)))
            if len(pending) > 2 * workers:
                oldest_key, future = pending.popleft()
                yield oldest_key, future.result()
        while pending:
            oldest_key, future = pending.popleft()
            yield oldest_key, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
