"""Locks that keep overlapping cron runs apart: one run per source, one alert check, at a time.

A run spans many transactions (one per page), so the lock must outlive each of them, and it must
vanish with a process that is killed. PostgreSQL: a session-level advisory lock on a connection
held for the run (released when the connection ends, even after ``kill -9``). SQLite: an
``flock`` on a file beside the database (the kernel drops it when the process dies).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

# Namespaces of Ravine's advisory locks; distinct from the per-transaction source lock
# (``documents.lock_source``), which the same process takes while it holds a run lock.
_RUN_LOCK_CLASS = 0x52415652  # "RAVR"
_CONFIG_LOCK_CLASS = 0x52415643  # "RAVC"
_ALERTS_LOCK_CLASS = 0x52415641  # "RAVA"


@contextmanager
def source_run_lock(engine: Engine, source_id: int) -> Iterator[bool]:
    """Try to take the run lock of a source; yields whether it was taken (never waits)."""
    with _run_lock(engine, _RUN_LOCK_CLASS, source_id, f"source-{source_id}.lock") as taken:
        yield taken


@contextmanager
def alerts_check_lock(engine: Engine) -> Iterator[bool]:
    """Try to take the lock of alert checks (one at a time, across processes); never waits."""
    with _run_lock(engine, _ALERTS_LOCK_CLASS, 0, "alerts.lock") as taken:
        yield taken


@contextmanager
def _run_lock(engine: Engine, namespace: int, key: int, filename: str) -> Iterator[bool]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            values = {"cls": namespace, "key": key}
            taken = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:cls, :key)"), values))
            connection.commit()
            try:
                yield taken
            finally:
                if taken:
                    connection.execute(text("SELECT pg_advisory_unlock(:cls, :key)"), values)
                    connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield True  # a private in-memory database: no other process can see it
        return
    folder = Path(f"{database}.locks")
    folder.mkdir(exist_ok=True)
    with (folder / filename).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_configuration(session: Session) -> None:
    """Serialise writers of entities and sources (two syncs at once) until commit. SQLite's
    write sessions are serialised already (``BEGIN IMMEDIATE``)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:cls, 0)"), {"cls": _CONFIG_LOCK_CLASS})
