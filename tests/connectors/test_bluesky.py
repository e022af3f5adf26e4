"""Bluesky: author feeds and search, reposts and pins, held high-water mark, session tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ingest.connectors.base import Context
from ingest.connectors.bluesky import BlueskyCursor, BlueskySettings
from ingest.connectors.errors import FatalError
from ravine.models import IngestRun, Source
from tests.cli import ravine
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.live import stored, write_sources
from tests.connectors.server import LocalServer
from tests.connectors.upstreams import FakeBluesky, fixture

PASSWORD = "app-pass-word-1234"


def feed_settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {"actor": FakeBluesky.handle, "base_url": server.base_url, "limit": 3, **more}


def search_settings(server: LocalServer, **more: object) -> dict[str, object]:
    account = {"identifier": "ravine-bot", "password_env": "BLUESKY_APP_PASSWORD"}
    return {"query": "Northwind", "base_url": server.base_url, "limit": 2, **account, **more}


@pytest.fixture
def session_context(context: Context) -> Context:
    return Context(http=context.http, now=context.now,
                   environ={"BLUESKY_APP_PASSWORD": PASSWORD})  # fmt: skip


def test_author_posts_become_documents_and_reposts_pins_and_images_are_skipped(
    server: LocalServer, context: Context
) -> None:
    FakeBluesky(server)
    pages = drain(connector_for("bluesky", feed_settings(server, backfill_pages=10), context))
    items = {item.external_id: item for page in pages for item in page.items}
    assert sum(page.skipped for page in pages) == 3  # a pin, a repost, a post of an image alone
    did = "did:plc:q6gjnaw2blty4crticxkmujt"
    sale = items[f"at://{did}/app.bsky.feed.post/3lqkz7m2vts2c"]
    assert sale.text == (
        "Summer sale is on! Fares from $59 to 40 cities this week: northwind.example/summer-sale ☀️"
    )
    assert sale.url == f"https://bsky.app/profile/{did}/post/3lqkz7m2vts2c"
    assert sale.author == "northwindair.bsky.social" and sale.lang == "en"
    assert (sale.likes, sale.reposts, sale.replies) == (212, 41, 17)
    assert sale.published_at == datetime(2025, 6, 3, 9, 0, 2, 118000, tzinfo=UTC)  # createdAt
    storm = items[f"at://{did}/app.bsky.feed.post/3lqdd2wn6ik2k"]
    assert storm.lang is None  # no langs declared
    french = items[f"at://{did}/app.bsky.feed.post/3lqbkqhdcr22v"]
    assert french.lang == "fr"
    future = items[f"at://{did}/app.bsky.feed.post/3lq5w3hdo6s2n"]  # createdAt 2099: indexedAt
    assert future.published_at == datetime(2025, 5, 27, 10, 0, 5, tzinfo=UTC)
    assert "3lpz2a7bq4k2f" not in str(list(items))  # the pin
    assert "3lqfbj4kzwc2d" not in str(list(items))  # the repost of someone else's post
    first = server.requests_to(FakeBluesky.feed_path)[0]
    assert (first.arg("actor"), first.arg("filter"), first.arg("limit")) == (
        FakeBluesky.handle, "posts_no_replies", "3",
    )  # fmt: skip


def test_the_high_water_mark_waits_until_the_walk_is_complete(
    server: LocalServer, context: Context
) -> None:
    bluesky = FakeBluesky(server)
    connector = connector_for("bluesky", feed_settings(server, backfill_pages=10), context)
    (page,) = walk(connector.pages(BlueskyCursor()), 1)
    newest = datetime(2025, 6, 3, 9, 0, 3, 514000, tzinfo=UTC)
    assert page.cursor.since is None and page.cursor.newest == newest and page.cursor.page
    rest = drain(connector, page.cursor)
    assert server.requests[-1].arg("cursor") is not None  # the walk went on from its cursor
    done = rest[-1].cursor
    assert done == BlueskyCursor(since=newest)
    bluesky.advance()
    later = drain(connector, done)
    assert len(later) == 2  # up to the page that reaches the mark (less the overlap)
    assert later[-1].cursor.since == datetime(2025, 6, 3, 15, 40, 1, 9000, tzinfo=UTC)


def test_the_first_run_reads_back_backfill_pages(server: LocalServer, context: Context) -> None:
    FakeBluesky(server)
    pages = drain(connector_for("bluesky", feed_settings(server, backfill_pages=2), context))
    assert len(pages) == 2 and pages[-1].cursor.page is None and pages[-1].cursor.since


def test_search_logs_in_once_and_reuses_the_session_across_pages(
    server: LocalServer, session_context: Context
) -> None:
    bluesky = FakeBluesky(server)
    pages = drain(connector_for("bluesky", search_settings(server), session_context))
    assert len(ids(pages)) == 5 and len(pages) == 3
    assert bluesky.sessions == 1
    (login,) = server.requests_to(FakeBluesky.create_path)
    assert (login.arg("_method"), login.arg("identifier")) == ("POST", "ravine-bot")
    searches = server.requests_to(FakeBluesky.search_path)
    assert {r.headers["authorization"] for r in searches} == {"Bearer FAKE-ACCESS-JWT-1"}
    assert (searches[0].arg("q"), searches[0].arg("sort"), searches[0].arg("since")) == (
        "Northwind", "latest", None,
    )  # fmt: skip
    marisol = next(i for p in pages for i in p.items if i.author == "marisol.bsky.social")
    assert marisol.text.startswith("@northwindair lost my bag AGAIN.")
    drain(connector_for("bluesky", search_settings(server), session_context), pages[-1].cursor)
    assert server.requests_to(FakeBluesky.search_path)[-1].arg("since") == (
        "2025-06-03T11:42:08.330Z"  # the newest indexedAt, less 10 minutes
    )


def test_an_expired_token_is_refreshed_once_and_the_walk_goes_on(
    server: LocalServer, session_context: Context
) -> None:
    bluesky = FakeBluesky(server)
    connector = connector_for("bluesky", search_settings(server), session_context)
    pages = connector.pages(BlueskyCursor())
    first = next(pages)
    bluesky.expire()  # the next search answers 400 ExpiredToken
    rest = list(pages)
    assert len(ids([first, *rest])) == 5
    (refresh,) = server.requests_to(FakeBluesky.refresh_path)
    assert refresh.headers["authorization"] == "Bearer FAKE-REFRESH-JWT-1"
    assert server.requests_to(FakeBluesky.search_path)[-1].headers["authorization"] == (
        "Bearer FAKE-ACCESS-JWT-2"
    )
    bluesky.expire()
    bluesky.refresh = "revoked"  # the refresh token is refused too: a new session
    assert len(ids(list(connector.pages(BlueskyCursor())))) == 5
    assert bluesky.sessions == 3


def test_refused_or_missing_credentials_fail_without_showing_them(
    server: LocalServer, context: Context, session_context: Context
) -> None:
    FakeBluesky(server, password="another-password")
    with pytest.raises(FatalError, match="401 Unauthorized") as raised:
        drain(connector_for("bluesky", search_settings(server), session_context))
    assert PASSWORD not in str(raised.value)
    with pytest.raises(FatalError, match=r"BLUESKY_APP_PASSWORD \(named by password_env\)"):
        drain(connector_for("bluesky", search_settings(server), context))
    assert server.requests_to(FakeBluesky.search_path) == []


def test_settings_name_one_feed_and_an_account_to_search() -> None:
    with pytest.raises(ValidationError, match="exactly one of actor"):
        BlueskySettings(actor="a.bsky.social", query="x")
    with pytest.raises(ValidationError, match="searching needs an account"):
        BlueskySettings(query="Northwind")
    assert BlueskySettings(actor="a.bsky.social").base_url is None  # public.api.bsky.app


def test_a_live_search_run_keeps_the_app_password_out_of_output_and_database(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    FakeBluesky(server)
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", PASSWORD)
    source = {"name": "bsky", "kind": "bluesky", "entity": "northwind-air", "voice": "public",
              **search_settings(server)}  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", {"bsky": source})
    args = ("--debug", "ingest", "run", "-c", str(config), "--log-format", "json")
    result = ravine(capsys, db_url, *args)
    assert result.code == 0 and stored(engine) == {"bsky": 5}
    assert PASSWORD not in result.out + result.err and "FAKE-" not in result.out + result.err
    with Session(engine) as session:
        saved = [repr(row.__dict__) for row in session.scalars(select(Source))]
        saved += [repr(row.__dict__) for row in session.scalars(select(IngestRun))]
    assert PASSWORD not in "".join(saved) and "FAKE-" not in "".join(saved)
    assert fixture("bluesky", "create_session.json")["accessJwt"] not in "".join(saved)
