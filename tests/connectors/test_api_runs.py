"""GET /api/v1/ingest/runs serves what `ravine ingest status` shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ravine.config import load_settings
from tests.cli import ravine
from tests.connectors.live import Upstreams, write_sources
from tests.connectors.server import LocalServer


def test_runs_per_source_with_counts_and_next_due(
    capsys: pytest.CaptureFixture[str], db_url: str, server: LocalServer, tmp_path: Path
) -> None:
    upstreams = Upstreams.start(server, tmp_path, token="right")
    sources = upstreams.sources(server, mastodon={"token_env": "NO_SUCH_TOKEN_VARIABLE"})
    config = write_sources(tmp_path / "sources.toml", sources)
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config)).code == 1
    status = {row["source"]: row for row in
              json.loads(ravine(capsys, db_url, "ingest", "status", "--json").out)}  # fmt: skip
    with TestClient(create_app(load_settings(database_url=db_url))) as client:
        body = client.get("/api/v1/ingest/runs").json()
        one = client.get("/api/v1/ingest/runs", params={"source": "hn"})
        missing = client.get("/api/v1/ingest/runs", params={"source": "nope"})
    items = {item["source"]: item for item in body["items"]}
    assert list(items) == sorted(items) == ["drop", "hn", "mastodon", "newsroom"]
    hn = items["hn"]
    assert (hn["kind"], hn["entity"], hn["voice"], hn["enabled"]) == (
        "hackernews", "northwind-air", "public", True,
    )  # fmt: skip
    run = hn["last_run"]
    assert (run["status"], run["fetched"], run["inserted"], run["updated"]) == ("ok", 20, 18, 0)
    assert hn["every_seconds"] == 900 and hn["next_due"] > run["started_at"]
    assert hn["next_due"][:19] == status["hn"]["next_due"][:19]
    failed = items["mastodon"]
    assert failed["last_run"]["status"] == "failed"
    assert "NO_SUCH_TOKEN_VARIABLE" in failed["last_error"] == failed["last_run"]["error"]
    assert items["drop"]["last_run"]["rejected"] == 4
    assert one.status_code == 200 and [i["source"] for i in one.json()["items"]] == ["hn"]
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
