"""App Store reviews: the feed's shapes (one entry, the app entry), empty answers, storefronts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ingest.connectors.app_store import AppStoreCursor, StorefrontCursor
from ingest.connectors.base import Context
from ingest.connectors.text import parse_utc
from ingest.live.config_reader import load_sources
from tests.cli import ravine
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.live import runs, write_sources
from tests.connectors.server import LocalServer, Reply
from tests.connectors.upstreams import FakeAppStore, fixture

EMPTY_FLAG = (
    "gb: the review feed of app 1234567890 has no entries (Apple answers empty for some apps "
    "and networks); check the app id and storefront"
)


def settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {"app_id": FakeAppStore.app_id, "base_url": server.base_url, **more}


def test_reviews_become_documents_with_title_stars_and_votes(
    server: LocalServer, context: Context
) -> None:
    store = FakeAppStore(server)
    pages = drain(connector_for("app_store", settings(server), context))
    assert len(pages) == 4  # 3 + 3 + 1 (a lone review: an object) + a page with no entry
    items = {item.external_id: item for page in pages for item in page.items}
    assert len(items) == 7 and "https://apps.apple.com" not in str(list(items))  # no app entry
    refund = items["11841777402"]
    assert refund.text.splitlines() == [
        "Refund?",
        'Flight cancelled, app says "refund processed" but nothing for 3 weeks.',
        "Customer service won't answer.",
    ]
    assert refund.title == "Refund? (2/5)" and refund.author == "dnvr_dad"
    assert refund.published_at == datetime(2025, 6, 2, 17, 15, tzinfo=UTC)  # -07:00 in the feed
    assert refund.likes == 11 and refund.lang is None
    assert refund.url == "https://apps.apple.com/us/app/id1234567890#review-11841777402"
    assert items["11842011920"].text.endswith("friendly crew <3")  # plain text stays as is
    requested = [r.path for r in server.requests]
    assert requested == [store.path("us", page) for page in (1, 2, 3, 4)]


def test_a_single_review_comes_as_an_object_in_either_shape(
    server: LocalServer, context: Context
) -> None:
    FakeAppStore(server)
    single = fixture("app_store", "customerreviews_single.json")
    assert isinstance(single["feed"]["entry"], dict)
    server.queue(FakeAppStore.first_page, Reply.json(single))
    (page,) = drain(connector_for("app_store", settings(server, pages=1), context))
    assert ids([page]) == ["11842299371"]
    modern = FakeAppStore(server, legacy=False)  # no app entry first: the same reviews
    modern.reviews["us"] = modern.reviews["us"][:1]
    assert ids(drain(connector_for("app_store", settings(server), context))) == ["11842299371"]


def test_an_empty_feed_is_flagged_not_passed_as_success(
    server: LocalServer, context: Context
) -> None:
    FakeAppStore(server)
    pages = drain(connector_for("app_store", settings(server, countries=["us", "gb"]), context))
    assert [r for page in pages for r in page.rejected] == [EMPTY_FLAG]
    cursor = pages[-1].cursor
    assert (
        set(cursor.storefronts) == {"us", "gb"} and cursor.storefronts["gb"] == StorefrontCursor()
    )
    assert len(ids(pages)) == 7


def test_the_mark_is_held_until_a_storefront_walk_is_complete(
    server: LocalServer, context: Context
) -> None:
    store = FakeAppStore(server)
    connector = connector_for("app_store", settings(server), context)
    (first,) = walk(connector.pages(AppStoreCursor()), 1)
    us = first.cursor.storefronts["us"]
    newest = datetime(2025, 6, 3, 11, 24, 23, tzinfo=UTC)
    assert (us.updated, us.page, us.newest, us.newest_ids) == (None, 2, newest, ["11842299371"])
    done = drain(connector, first.cursor)[-1].cursor
    assert done.storefronts["us"] == StorefrontCursor(updated=newest, ids=["11842299371"])
    assert [len(page.items) for page in drain(connector, done)] == [0]  # one page, nothing new
    store.advance()
    edited = store.reviews["us"][4]  # "Refund?" edited: same id, a later time
    edited["updated"]["label"] = "2025-06-03T08:00:00-07:00"
    edited["content"]["label"] = "Refund arrived today. Thanks."
    later = drain(connector, done)
    assert ids(later) == ["11843100207", "11841777402", "11842870012"]  # newest first
    assert later[-1].cursor.storefronts["us"].updated == datetime(2025, 6, 3, 16, 31, 7, tzinfo=UTC)


def test_malformed_reviews_are_rejected_and_page_eleven_never_asked(
    server: LocalServer, context: Context
) -> None:
    store = FakeAppStore(server)
    store.reviews["us"][1]["im:rating"]["label"] = "seven"
    pages = drain(connector_for("app_store", settings(server, pages=2), context))
    assert [r for page in pages for r in page.rejected] == [
        "us: review '11842011920' is malformed (ValueError(\"invalid literal for int() with "
        "base 10: 'seven'\"))"
    ]
    assert len(ids(pages)) == 5 and len(server.requests) == 2


def test_reviews_are_kept_without_naming_the_entity(tmp_path: Path) -> None:
    path = write_sources(tmp_path / "sources.toml", {"reviews": {
        "name": "reviews", "kind": "app_store", "entity": "northwind-air", "voice": "public",
        "app_id": 1234567890, "countries": ["us", "gb"],
    }})  # fmt: skip
    (source,) = load_sources(path, environ={}, need_env=True).sources
    assert source.match_aliases is False  # reviews of the app are about it


def test_a_run_with_an_empty_feed_ends_partial_with_a_warning(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    FakeAppStore(server)
    config = write_sources(tmp_path / "sources.toml", {"reviews": {
        "name": "reviews", "kind": "app_store", "entity": "northwind-air", "voice": "public",
        "app_id": FakeAppStore.app_id, "countries": ["gb"], "base_url": server.base_url,
    }})  # fmt: skip
    result = ravine(capsys, db_url, "ingest", "run", "-c", str(config))
    assert result.code == 0
    assert result.err == f"WARNING reviews: 1 items could not be read, e.g. {EMPTY_FLAG}\n"
    ((_, run),) = runs(engine)
    assert (run.status, run.rejected, run.details["rejected_samples"]) == (
        "partial", 1, [EMPTY_FLAG],
    )  # fmt: skip


def test_reviews_without_their_own_time_take_the_feed_s(
    server: LocalServer, context: Context
) -> None:
    """Some feeds leave out a review's ``updated``: the feed's own time stands in (the review is
    no newer), instead of every such review being rejected."""
    body = fixture("app_store", "customerreviews_us.json")
    app, *reviews = body["feed"]["entry"]
    for review in reviews:
        del review["updated"]
    body["feed"]["entry"] = [app, *reviews]
    FakeAppStore(server)
    server.queue(FakeAppStore.first_page, Reply.json(body))
    (page,) = drain(connector_for("app_store", settings(server, pages=1), context))
    assert not page.rejected
    assert len(page.items) == len(reviews)
    feed_time = parse_utc(body["feed"]["updated"]["label"])
    assert {item.published_at for item in page.items} == {feed_time}
