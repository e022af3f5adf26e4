"""Bulk writes straight through the DBAPI driver, for the ingest hot path.

SQLAlchemy's per-row parameter processing costs more than SQLite's own insert, so the few
statements that move whole batches bind plain tuples here. Values are stored exactly as the
ORM types store them (tests read them back through the models to keep it so).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Select, Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

if typing.TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

    Upsert = postgresql.Insert | sqlite.Insert


def datetime_binder(connection: Connection) -> Callable[[datetime | None], Any]:
    """How an aware datetime is bound: SQLite keeps naive UTC text in SQLAlchemy's format,
    PostgreSQL takes the aware value for ``timestamptz``."""
    if connection.dialect.name != "sqlite":
        return lambda value: value

    def sqlite_text(value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        text = value.isoformat(" ")[:-6]  # without "+00:00"; a third faster than timespec=
        return text if value.microsecond else f"{text}.000000"

    return sqlite_text


def json_binder(connection: Connection) -> Callable[[Any], Any]:
    """How a JSON value is bound: SQLite keeps text (as SQLAlchemy's JSON type writes it),
    PostgreSQL's binary COPY takes the object for a ``json`` column."""
    if connection.dialect.name != "sqlite":
        return lambda value: value
    return lambda value: json.dumps(value, ensure_ascii=False)


def insert_many(
    connection: Connection, *, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Plain inserts: ``executemany`` on SQLite, binary ``COPY … FROM STDIN`` on PostgreSQL (a
    round trip per row, even pipelined, costs PostgreSQL four times what COPY does, and the
    binary format spares both sides formatting and parsing numbers and times as text)."""
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        connection.exec_driver_sql(sql, rows)
        return
    sql = f"COPY {table.name} ({names}) FROM STDIN (FORMAT BINARY)"
    try:
        with _driver_cursor(connection) as cursor, cursor.copy(sql) as copy:
            copy.set_types([_postgres_type(connection, table.c[name]) for name in columns])
            for row in rows:
                copy.write_row(row)
    except connection.dialect.loaded_dbapi.IntegrityError as error:
        # Raised by the driver, under SQLAlchemy: callers catch SQLAlchemy's exception.
        raise IntegrityError(sql, None, error) from error


def _postgres_type(connection: Connection, column: Column[Any]) -> str:
    """The type name psycopg needs to send a column's values in binary: ``VARCHAR(512)`` is
    sent as ``varchar``, SQLAlchemy's ``FLOAT`` (PostgreSQL's ``float8``) as ``float8``."""
    name = column.type.compile(dialect=connection.dialect).split("(")[0].lower()
    return "float8" if name == "float" else name


def add_many(
    connection: Connection,
    *,
    table: str,
    keys: Mapping[str, str],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """Insert rows, or add their values to the row with the same key (``ON CONFLICT … + …``).

    ``keys`` maps key columns to their PostgreSQL types (the value columns are bigint). Keys
    must be unique within ``rows``: PostgreSQL refuses to update one row twice in a statement.
    """
    if not rows:
        return
    names = [*keys, *columns]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    head = f"INSERT INTO {table} ({', '.join(names)})"
    if connection.dialect.name == "sqlite":
        marks = ", ".join("?" * len(names))
        connection.exec_driver_sql(f"{head} VALUES ({marks}) {conflict}", rows)
        return
    # One statement over column arrays: a row-per-statement upsert is the slow part otherwise.
    types = [*keys.values(), *(["bigint"] * len(columns))]
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    params = tuple(_array_literal(column) for column in zip(*rows, strict=True))
    connection.exec_driver_sql(f"{head} SELECT * FROM unnest({arrays}) {conflict}", params)


def _array_literal(values: Sequence[Any]) -> str:
    """An array literal of ints, texts or aware datetimes (see :func:`text_array_literal`)."""
    first = values[0]
    if isinstance(first, int):
        return "{" + ",".join(map(str, values)) + "}"
    if isinstance(first, datetime):
        return "{" + ",".join(f'"{value.isoformat()}"' for value in values) + "}"
    return text_array_literal(values)


def text_array_literal(values: Iterable[str]) -> str:
    """A PostgreSQL ``text[]`` literal: psycopg adapts a Python list element by element, in
    Python, which costs more per key than the index lookup it feeds. Texts hold no NUL."""
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def binary_rows(session: Session, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A query's rows, sent by PostgreSQL in binary: bytea arrives as its bytes, not as hex
    text to decode (half the time for the few megabytes of an entity's packed days)."""
    if session.get_bind().dialect.name != "postgresql":
        return [tuple(row) for row in session.execute(query)]
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect)
    with _driver_cursor(connection) as cursor:
        cursor.execute(str(compiled), compiled.params, binary=True)
        return list(cursor.fetchall())


@contextmanager
def _driver_cursor(connection: Connection) -> Iterator[Any]:
    """The psycopg cursor under SQLAlchemy's connection, in the same transaction."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    finally:
        cursor.close()


def upsert_into(dialect: str, table: Any) -> Upsert:
    """An INSERT that can end ``ON CONFLICT … DO UPDATE`` on ``dialect``. The dialect's module
    is imported here: an import into SQLite never loads PostgreSQL's (about 30 ms)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)
