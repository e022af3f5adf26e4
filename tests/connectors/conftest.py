"""Fixtures for connector tests: a local server, our HTTP client pointed at it, a context."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ingest.connectors.base import Context
from ingest.connectors.http import HttpClient, HttpPolicy, make_client
from tests.connectors.server import LocalServer

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)  # "now" of the recorded fixtures
USER_AGENT = "Ravine tests (ops@example.com)"
POLICY = HttpPolicy(timeout=5.0, retries=2, backoff=0.5, backoff_cap=10.0, max_wait=60.0)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer().running() as running:
        yield running


@pytest.fixture(autouse=True)
def local_upstreams(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake upstreams listen on 127.0.0.1, which sources may not read by default."""
    monkeypatch.setenv("RAVINE_ALLOW_PRIVATE_NETWORK", "true")


@pytest.fixture
def sleeps() -> list[float]:
    """Waits the HTTP layer asked for (tests record them instead of sleeping)."""
    return []


@pytest.fixture
def http(sleeps: list[float]) -> Iterator[HttpClient]:
    client = HttpClient(
        make_client(user_agent=USER_AGENT, policy=POLICY, allow_private=True),  # 127.0.0.1
        policy=POLICY,
        sleep=sleeps.append,
        rand=lambda: 0.5,
        clock=lambda: NOW,
    )
    yield client
    client.close()


@pytest.fixture
def context(http: HttpClient) -> Context:
    return Context(http=http, now=lambda: NOW, environ={"MASTODON_TOKEN": "t0ken-s3cret"})
