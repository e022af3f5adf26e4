"""The connectors under the contract suite: each with its fake upstream and settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ingest.connectors.base import Connector, Context, CursorModel, Page
from ingest.connectors.registry import CONNECTORS
from tests.connectors.conftest import USER_AGENT
from tests.connectors.server import LocalServer
from tests.connectors.upstreams import (
    FakeAlgolia,
    FakeAppStore,
    FakeBluesky,
    FakeDrop,
    FakeEdgar,
    FakeFeed,
    FakeMastodon,
    FakeReddit,
)


class Upstream(Protocol):
    def advance(self) -> None: ...


Setup = Callable[[LocalServer, Path], tuple[Upstream, dict[str, Any]]]


@dataclass(frozen=True)
class Case:
    kind: str
    setup: Setup
    first: int  # documents of the first complete read
    new: int  # new documents after the upstream advanced once
    path: str | None  # where its first request goes (faults are injected there); None: no HTTP

    def __str__(self) -> str:
        return self.kind


def _rss(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    feed = FakeFeed(server, "/newsroom/feed.xml", "newsroom.xml", "newsroom_updated.xml")
    return feed, {"url": feed.url}


def _hackernews(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    settings = {"query": "Northwind", "base_url": server.base_url, "hits_per_page": 6}
    return FakeAlgolia(server), {**settings, "since": "2025-06-01"}


def _mastodon(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    settings = {"instance": server.base_url, "hashtag": "northwind", "limit": 5}
    return FakeMastodon(server), {**settings, "backfill_pages": 10}


def _files(_: LocalServer, tmp: Path) -> tuple[Upstream, dict[str, Any]]:
    drop = FakeDrop(tmp / "drop")
    return drop, {"path": str(drop.folder), "batch_size": 4}


def _sec_edgar(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    roots = {"base_url": server.base_url, "archives_url": server.base_url}
    settings = {"cik": FakeEdgar.cik, "contact": USER_AGENT, "since": "2025-01-01"}
    return FakeEdgar(server), {**settings, **roots}


def _bluesky(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    settings = {"actor": FakeBluesky.handle, "base_url": server.base_url, "limit": 3}
    return FakeBluesky(server), {**settings, "backfill_pages": 10}


def _app_store(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    return FakeAppStore(server), {"app_id": FakeAppStore.app_id, "base_url": server.base_url}


def _reddit(server: LocalServer, _: Path) -> tuple[Upstream, dict[str, Any]]:
    # The contract's context holds one variable; it serves as both halves of the credentials.
    variables = {"client_id_env": "MASTODON_TOKEN", "client_secret_env": "MASTODON_TOKEN"}
    settings = {"query": "Northwind", "base_url": server.base_url, "limit": 3, "backfill_pages": 10}
    token_url = server.base_url + FakeReddit.token_path
    reddit = FakeReddit(server, client=("t0ken-s3cret", "t0ken-s3cret"))
    return reddit, {**settings, **variables, "token_url": token_url}


CASES = [
    Case("rss", _rss, first=5, new=1, path="/newsroom/feed.xml"),
    Case("hackernews", _hackernews, first=20, new=4, path=FakeAlgolia.path),
    Case("mastodon", _mastodon, first=19, new=2, path="/api/v1/timelines/tag/northwind"),
    Case("files", _files, first=16, new=3, path=None),
    Case("sec_edgar", _sec_edgar, first=5, new=1, path=FakeEdgar.path),
    Case("bluesky", _bluesky, first=7, new=2, path=FakeBluesky.feed_path),
    Case("app_store", _app_store, first=7, new=2, path=FakeAppStore.first_page),
    Case("reddit", _reddit, first=6, new=2, path=FakeReddit.search_path),
]
HTTP_CASES = [case for case in CASES if case.path is not None]


def connector_for(kind: str, settings: dict[str, Any], context: Context) -> Connector[Any, Any]:
    cls = CONNECTORS[kind]
    return cls(cls.settings_model.model_validate(settings), context)


def drain(connector: Connector[Any, Any], cursor: CursorModel | None = None) -> list[Page[Any]]:
    return list(connector.pages(cursor or connector.cursor_model()))


def ids(pages: list[Page[Any]]) -> list[str]:
    return [item.external_id for page in pages for item in page.items]


def walk(pages: Iterator[Page[Any]], limit: int) -> list[Page[Any]]:
    """At most ``limit`` pages, as a run with a page limit takes them."""
    taken = []
    for page in pages:
        taken.append(page)
        if len(taken) == limit:
            break
    return taken
