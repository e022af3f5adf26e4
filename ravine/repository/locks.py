"""Locks that keep overlapping cron runs apart: one run per source at a time.

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


@contextmanager
def source_run_lock(engine: Engine, source_id: int) -> Iterator[bool]:
    """Try to take the run lock of a source; yields whether it was taken (never waits)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            key = {"cls": _RUN_LOCK_CLASS, "key": source_id}
            taken = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:cls, :key)"), key))
            connection.commit()
            try:
                yield taken
            finally:
                if taken:
                    connection.execute(text("SELECT pg_advisory_unlock(:cls, :key)"), key)
                    connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield True  # a private in-memory database: no other process can see it
        return
    folder = Path(f"{database}.locks")
    folder.mkdir(exist_ok=True)
    with (folder / f"source-{source_id}.lock").open("a") as handle:
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
