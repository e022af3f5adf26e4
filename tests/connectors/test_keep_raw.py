"""``keep_raw``: the upstream record is stored in documents.raw only for sources that ask."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ravine.models import Document, Source
from tests.cli import ravine
from tests.connectors.live import Upstreams, write_sources
from tests.connectors.server import LocalServer


def raw_by_source(engine: Engine) -> dict[str, list[object]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Source.name, Document.raw).join(Source, Document.source_id == Source.id)
        )
        found: dict[str, list[object]] = {}
        for name, raw in rows:
            found.setdefault(name, []).append(raw)
    return found


def test_raw_is_kept_where_configured_and_only_there(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    upstreams = Upstreams.start(server, tmp_path)
    sources = upstreams.sources(server, hn={"keep_raw": True}, drop={"keep_raw": True})
    config = write_sources(tmp_path / "sources.toml", sources, defaults={"keep_raw": False})
    assert ravine(capsys, db_url, "ingest", "run", "--config", str(config)).code == 0
    raw = raw_by_source(engine)
    assert all(value is None for value in raw["newsroom"] + raw["mastodon"])
    hits = [value for value in raw["hn"] if isinstance(value, dict)]
    assert len(hits) == len(raw["hn"]) and all("objectID" in hit for hit in hits)
    rows = [value for value in raw["drop"] if isinstance(value, dict)]
    assert len(rows) == len(raw["drop"]) and all("text" in row for row in rows)


def test_feed_entries_keep_only_what_json_can_hold(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    upstreams = Upstreams.start(server, tmp_path)
    sources = upstreams.sources(server)
    config = write_sources(
        tmp_path / "sources.toml", {"newsroom": sources["newsroom"]}, defaults={"keep_raw": True}
    )
    assert ravine(capsys, db_url, "ingest", "run", "--config", str(config)).code == 0
    entries = raw_by_source(engine)["newsroom"]
    assert entries and all(isinstance(entry, dict) and entry.get("title") for entry in entries)
    assert all("published_parsed" not in entry for entry in entries if isinstance(entry, dict))
