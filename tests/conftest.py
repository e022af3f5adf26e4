"""Fixtures shared by every test: databases on both backends, built by the real migrations.

Also the run's depth: CI (env CI set) runs the tests marked slow and draws more Hypothesis
examples; a local run skips slow tests unless given --run-slow, and draws few examples.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import make_engine, make_session_factory
from tests.databases import BACKENDS, DatabaseFactory


def _in_ci() -> bool:
    """CI=true (or any value but empty, 0, false, no) asks for the full run."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


IN_CI = _in_ci()
SLOW_REASON = "slow: runs in CI or with --run-slow"

# Example counts come from the profile alone (tests set no max_examples), so one switch makes
# the whole suite shallow for quick local runs and deep in CI. The "ci" profile keeps
# Hypothesis' own CI defaults: derandomized, no example database, no deadline.
settings.register_profile("dev", settings.get_profile("default"), max_examples=25)
settings.register_profile("ci", settings.get_profile("ci"), max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run the tests marked slow (CI always runs them)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip slow tests in a local run, so that the default `pytest` stays a few minutes."""
    if IN_CI or config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason=SLOW_REASON)
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip_slow)


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
