"""`ravine serve` runs a real uvicorn on 127.0.0.1; it refuses a database that is behind."""

from __future__ import annotations

import subprocess

import httpx

from ravine import migrate
from ravine.db import make_engine
from tests.cli import RAVINE_PROCESS
from tests.databases import DatabaseFactory
from tests.server import free_port, serving


def test_a_real_server_answers_over_http(sample_url: str) -> None:
    with serving(sample_url) as base:
        assert httpx.get(f"{base}/readyz", timeout=5).json()["status"] == "ready"
        entities = httpx.get(f"{base}/api/v1/entities", timeout=5).json()["items"]
        assert {e["slug"] for e in entities} == {"northwind-air", "helio-bank", "brightleaf-foods"}
        series = httpx.get(
            f"{base}/api/v1/ravine",
            params={"entity": "northwind-air", "freq": "month", "since": "2025-01-01",
                    "until": "2025-12-31"},
            timeout=10,
        ).json()  # fmt: skip
        assert len(series["periods"]) == 12
        assert httpx.get(f"{base}/docs", timeout=5).status_code == 200


def test_serve_refuses_a_database_that_is_behind_unless_told_to_migrate(
    databases: DatabaseFactory,
) -> None:
    url = databases.empty()
    engine = make_engine(url)
    migrate.upgrade(engine, "0fadfdf25fee")  # the first revision: behind head
    engine.dispose()
    refused = subprocess.run(
        [*RAVINE_PROCESS, "--database-url", url, "serve", "--port", str(free_port())],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "run `ravine db upgrade`" in refused.stderr
    with serving(url, "--migrate") as base:
        assert httpx.get(f"{base}/readyz", timeout=5).json()["status"] == "ready"
