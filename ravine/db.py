"""Engines and sessions: one place that knows how to talk to SQLite and PostgreSQL.

Services never commit; :func:`session_scope` does, once, when the unit of work succeeds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "ravine_write"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, enforced foreign keys and ``BEGIN IMMEDIATE`` writes."""
    if make_url(url).get_backend_name() != "sqlite":
        # No server-side prepared statements: a generic plan cached while a table was small
        # (seq scan) would stay in use as the table grows, making batch imports quadratic.
        return create_engine(
            url, echo=echo, pool_pre_ping=True, connect_args={"prepare_threshold": None}
        )
    engine = create_engine(url, echo=echo)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # A writer that starts deferred and upgrades later fails at once with SQLITE_BUSY when another
    # writer got in between; BEGIN IMMEDIATE waits for the lock instead (busy_timeout).
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(
    factory: sessionmaker[Session], *, write: bool = False, snapshot: bool = False
) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error.

    ``write=True`` takes SQLite's write lock at the start, so a read-then-write batch cannot be
    overtaken by another writer between its read and its write. ``snapshot=True`` makes every
    query of the transaction see the same committed state (PostgreSQL's REPEATABLE READ; a
    SQLite transaction always does).
    """
    with factory() as session:
        if write:
            session.connection(execution_options={_WRITE_OPTION: True})
        elif snapshot and factory.kw["bind"].dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
