"""Fixtures shared by every test: databases on both backends, built by the real migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import make_engine, make_session_factory
from tests.databases import BACKENDS, DatabaseFactory

BACKEND_PARAMS = [
    pytest.param(name, marks=[pytest.mark.postgres] if name == "postgresql" else [], id=name)
    for name in BACKENDS
]


@pytest.fixture(scope="session", params=BACKEND_PARAMS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp(request.param))
    yield factory
    factory.cleanup()


@pytest.fixture
def db_url(databases: DatabaseFactory) -> str:
    """URL of a fresh database at the head revision, on each backend in turn."""
    return databases.migrated()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"
