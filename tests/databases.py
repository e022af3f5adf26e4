"""Throwaway test databases on real SQLite files and the real PostgreSQL server.

Each backend's schema is built once per test session by the real migrations into a template;
every test then gets its own copy (a copied file, or ``CREATE DATABASE … TEMPLATE``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ravine import migrate
from ravine.db import make_engine

POSTGRES_ENV = "RAVINE_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    """The server URL for PostgreSQL tests; they skip only where none is set and not in CI."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set; CI must run the PostgreSQL tests")
    pytest.skip(f"{POSTGRES_ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")


@contextmanager
def _admin(server_url: str) -> Iterator[Engine]:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


def create_postgres_database(server_url: str, *, template: str = "template0") -> str:
    """Create a uniquely named database and return its URL."""
    name = f"ravine_test_{uuid.uuid4().hex[:12]}"
    with _admin(server_url) as admin, admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    with _admin(server_url) as admin, admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class DatabaseFactory:
    """Hands out empty or migrated databases of one backend and removes them afterwards."""

    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend = backend
        self.workdir = workdir
        self._server = postgres_url() if backend == "postgresql" else ""
        self._created: list[str] = []
        self._template: str | None = None

    def empty(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.workdir / f'{uuid.uuid4().hex[:12]}.db'}"
        url = create_postgres_database(self._server)
        self._created.append(url)
        return url

    def migrated(self) -> str:
        if self._template is None:
            self._template = self.empty()
            engine = make_engine(self._template)
            migrate.upgrade(engine)
            engine.dispose()
        if self.backend == "sqlite":
            copy = self.empty()
            shutil.copyfile(make_url(self._template).database or "", make_url(copy).database or "")
            return copy
        template = make_url(self._template).database or ""
        url = create_postgres_database(self._server, template=template)
        self._created.append(url)
        return url

    def cleanup(self) -> None:
        for url in reversed(self._created):
            drop_postgres_database(self._server, url)
        self._created.clear()
