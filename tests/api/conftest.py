"""API test fixtures: the app over a real database, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli.main import run
from ravine.config import load_settings
from tests.cli import SAMPLE
from tests.databases import DatabaseFactory


def load_sample_into(url: str) -> None:
    steps = [
        ["entities", "import", str(SAMPLE / "entities.csv")],
        ["ingest", "file", str(SAMPLE / "statements.jsonl"), "--voice", "corporate",
         "--entity-column", "entity", "--workers", "1"],
        ["ingest", "file", str(SAMPLE / "posts.csv"), "--voice", "public", "--entity-column",
         "entity", "--map", "external_id=post_id", "--workers", "1"],
    ]  # fmt: skip
    for step in steps:
        assert run(["--quiet", "--database-url", url, *step]) == 0, step


@pytest.fixture(scope="session")
def sample_url(databases: DatabaseFactory) -> str:
    """One database per backend holding the sample dataset; tests must not write to it."""
    url = databases.migrated()
    load_sample_into(url)
    return url


def client_for(url: str, **settings: object) -> TestClient:
    return TestClient(create_app(load_settings(database_url=url, **settings)))


@pytest.fixture
def client(sample_url: str) -> Iterator[TestClient]:
    with client_for(sample_url) as test_client:
        yield test_client


@pytest.fixture
def empty_client(db_url: str) -> Iterator[TestClient]:
    with client_for(db_url) as test_client:
        yield test_client
