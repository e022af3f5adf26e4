"""The background writer keeps order, hands errors to the caller and stops cleanly."""

from __future__ import annotations

import threading
import time

import pytest

from ingest.writer import BackgroundWriter


def test_items_are_written_in_order_on_another_thread() -> None:
    written: list[tuple[int, str]] = []

    def write(item: int) -> None:
        time.sleep(0.001 * (item % 3))
        written.append((item, threading.current_thread().name))

    with BackgroundWriter(write) as writer:
        for item in range(50):
            writer.submit(item)
    assert [item for item, _ in written] == list(range(50))
    assert {name for _, name in written} == {"ravine-writer"}


def test_a_write_error_reaches_the_caller_and_later_items_are_not_written() -> None:
    written: list[int] = []

    def write(item: int) -> None:
        if item == 3:
            raise RuntimeError("disk full")
        written.append(item)

    with pytest.raises(RuntimeError, match="disk full"), BackgroundWriter(write) as writer:
        for item in range(100):
            writer.submit(item)
            time.sleep(0.001)
    assert written == [0, 1, 2]


def test_stopping_finishes_the_item_in_progress_and_drops_the_queue() -> None:
    started, written = threading.Event(), []

    def write(item: int) -> None:
        started.set()
        time.sleep(0.2)
        written.append(item)

    with pytest.raises(KeyboardInterrupt), BackgroundWriter(write, depth=5) as writer:
        for item in range(5):
            writer.submit(item)
        started.wait(5)
        raise KeyboardInterrupt
    assert written == [0]
