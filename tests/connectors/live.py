"""A sources file over the fake upstreams: what `ravine ingest run` tests read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ingest.live.problems import toml_value
from ravine.models import Document, IngestRun, Source
from tests.connectors.server import LocalServer
from tests.connectors.upstreams import FakeAlgolia, FakeDrop, FakeFeed, FakeMastodon

ENTITY = {"name": "Northwind Air", "slug": "northwind-air",
          "aliases": ["Northwind", "@northwindair", "#northwind"]}  # fmt: skip
# Documents each source stores from the recorded fixtures (public ones: only those that name
# the entity; Hacker News has two hits that do not).
STORED = {"newsroom": 5, "hn": 18, "mastodon": 19, "drop": 16}


def table(header: str, values: Mapping[str, Any]) -> str:
    return f"[{header}]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items()) + "\n"


@dataclass
class Upstreams:
    feed: FakeFeed
    algolia: FakeAlgolia
    mastodon: FakeMastodon
    drop: FakeDrop

    @classmethod
    def start(cls, server: LocalServer, tmp_path: Path, *, token: str | None = None) -> Upstreams:
        return cls(
            FakeFeed(server, "/newsroom/feed.xml", "newsroom.xml", "newsroom_updated.xml"),
            FakeAlgolia(server),
            FakeMastodon(server, token=token),
            FakeDrop(tmp_path / "drop"),
        )

    def sources(
        self, server: LocalServer, **overrides: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        common = {"entity": "northwind-air"}
        sources = {
            "newsroom": {"kind": "rss", "voice": "corporate", "url": self.feed.url},
            "hn": {"kind": "hackernews", "voice": "public", "query": "Northwind",
                   "base_url": server.base_url, "since": "2025-06-01", "hits_per_page": 6},
            "mastodon": {"kind": "mastodon", "voice": "public", "instance": server.base_url,
                         "hashtag": "northwind", "limit": 5, "backfill_pages": 10},
            "drop": {"kind": "files", "voice": "public", "path": "drop", "batch_size": 5},
        }  # fmt: skip
        return {name: {"name": name, **common, **s, **overrides.get(name, {})}
                for name, s in sources.items()}  # fmt: skip


def write_sources(
    path: Path,
    sources: Mapping[str, Mapping[str, Any]],
    *,
    defaults: Mapping[str, Any] | None = None,
) -> Path:
    text = table("defaults", {"user_agent": "Ravine tests", "retries": 1, **(defaults or {})})
    text += table("[entities]", ENTITY)
    text += "".join(table("[sources]", source) for source in sources.values())
    path.write_text(text)
    return path


def stored(engine: Engine) -> dict[str, int]:
    """Documents per source name."""
    with Session(engine) as session:
        query = (
            select(Source.name, func.count(Document.id))
            .join(Document, Document.source_id == Source.id)
            .group_by(Source.name)
        )
        return dict(session.execute(query).all())


def runs(engine: Engine) -> list[tuple[str, IngestRun]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Source.name, IngestRun).join(Source).order_by(IngestRun.id)
        ).all()
        return [(name, run) for name, run in rows]
