"""RSS and Atom: formats, conditional GET, edits, entries without dates, broken feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.connectors.base import Connector, Context, Page
from ingest.connectors.errors import PayloadError
from ingest.connectors.rss import RssCursor
from tests.connectors.cases import connector_for, drain, ids
from tests.connectors.server import LocalServer, Reply
from tests.connectors.upstreams import FakeFeed


def read(
    server: LocalServer, context: Context, name: str, **settings: str
) -> tuple[Connector[Any, Any], list[Page[Any]]]:
    feed = FakeFeed(server, f"/{name}", name)
    connector = connector_for("rss", {"url": feed.url, **settings}, context)
    return connector, drain(connector)


def test_rss2_entries_become_plain_utc_documents(server: LocalServer, context: Context) -> None:
    _, pages = read(server, context, "newsroom.xml")
    first = pages[0].items[0]
    assert first.external_id == "https://newsroom.northwind.example/?p=4312"  # the guid
    assert (
        first.title == "Northwind Air apologises for schedule disruption and offers free rebooking"
    )
    assert first.text.startswith("AMSTERDAM, 3 June 2025 – Northwind Air apologises")
    assert "“We are deeply sorry." in first.text and "\n" in first.text  # paragraphs kept apart
    assert first.published_at == datetime(2025, 6, 3, 9, 15, tzinfo=UTC)
    assert first.author == "Northwind Air Communications" and first.lang == "en-us"
    assert first.url == "https://newsroom.northwind.example/2025/06/03/schedule-disruption/"
    lisbon = pages[0].items[1]
    assert lisbon.published_at == datetime(2025, 5, 28, 5, 0, tzinfo=UTC)  # +0200 → UTC
    assert all(item.likes is None for item in pages[0].items)  # feeds carry no engagement


def test_atom_rss1_and_rss091_are_read(server: LocalServer, context: Context) -> None:
    _, atom = read(server, context, "wire.atom")
    entries = {item.title: item for item in atom[0].items}
    traffic = entries["Northwind Air (NASDAQ: NWND) reports May traffic & load factor"]
    assert traffic.published_at == datetime(2025, 6, 3, 14, 0, tzinfo=UTC)
    assert traffic.text.splitlines() == [
        "AMSTERDAM -- Northwind Air (NASDAQ: NWND) carried 2.1 million passengers in May, up 8%.",
        "The load factor rose to 88.4%.",
    ]
    plain = entries["Airport operator names new chair; thanks $NWND partners"]
    assert plain.text.startswith("The airport operator thanked") and plain.lang == "en"
    assert plain.published_at == datetime(2025, 6, 2, 13, 0, tzinfo=UTC)  # only <updated>
    _, rdf = read(server, context, "legacy.rdf")
    (result,) = rdf[0].items
    assert result.text == "Revenue rose 11% to EUR 1.2 billion. Café sales on board grew strongly."
    assert result.published_at == datetime(2025, 4, 24, 5, 0, tzinfo=UTC) and result.lang == "en"
    _, old = read(server, context, "rss091.xml")
    assert not old[0].items and old[0].rejected == [
        "entry 'https://cargo.northwind.example/notices/terminal' has no published or updated date"
    ]


def test_an_unchanged_feed_costs_a_304_and_no_parsing(
    server: LocalServer, context: Context
) -> None:
    connector, pages = read(server, context, "newsroom.xml")
    cursor = pages[0].cursor
    assert isinstance(cursor, RssCursor) and cursor.etag and cursor.last_modified
    again = drain(connector, cursor)
    assert server.requests[-1].headers["if-none-match"] == cursor.etag
    assert server.requests[-1].headers["if-modified-since"] == cursor.last_modified
    assert not again[0].items and again[0].cursor == cursor


def test_edited_and_new_entries_are_read_again_and_dropped_ones_are_not_deletions(
    server: LocalServer, context: Context
) -> None:
    feed = FakeFeed(server, "/feed.xml", "newsroom.xml", "newsroom_updated.xml")
    connector = connector_for("rss", {"url": feed.url}, context)
    first = drain(connector)
    feed.advance()
    second = drain(connector, first[-1].cursor)
    assert ids(second) == [
        "https://newsroom.northwind.example/?p=4320",  # new
        "https://newsroom.northwind.example/?p=4312",  # edited
    ]
    assert "3,500 seats" in second[0].items[1].text
    assert "https://newsroom.northwind.example/?p=4281" not in second[0].cursor.seen  # dropped off


def test_the_etag_is_not_trusted_blindly_when_content_changes_without_it(
    server: LocalServer, context: Context
) -> None:
    """A server without validators still gets only new or edited entries through."""
    feed = FakeFeed(server, "/feed.xml", "newsroom.xml")
    connector = connector_for("rss", {"url": feed.url}, context)
    first = drain(connector)
    stale = first[-1].cursor.model_copy(update={"etag": None, "last_modified": None})
    assert drain(connector, stale)[0].items == []


def test_a_page_that_is_not_a_feed_is_a_payload_error(
    server: LocalServer, context: Context
) -> None:
    feed = FakeFeed(server, "/feed", "not_a_feed.html")
    feed.content_type = "text/html"
    with pytest.raises(PayloadError, match="not an RSS or Atom feed"):
        drain(connector_for("rss", {"url": feed.url}, context))


def test_malformed_xml_keeps_what_feedparser_recovered(
    server: LocalServer, context: Context
) -> None:
    feed = FakeFeed(server, "/feed.xml", "newsroom.xml")
    feed.bodies = [feed.bodies[0].replace(b"</channel>", b"<broken></channel>")]
    pages = drain(connector_for("rss", {"url": feed.url}, context))
    assert len(pages[0].items) == 5


def test_the_language_setting_fills_in_for_feeds_without_one(
    server: LocalServer, context: Context
) -> None:
    feed = FakeFeed(server, "/feed.xml", "newsroom.xml")
    feed.bodies = [feed.bodies[0].replace(b"<language>en-us</language>", b"")]
    pages = drain(connector_for("rss", {"url": feed.url, "lang": "en"}, context))
    assert {item.lang for item in pages[0].items} == {"en"}


LAUGHS = (
    b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">"""
    + b"".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'.encode()
        for a, b in zip("abcdefg", "bcdefgh", strict=True)
    )
    + b"""]><rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>&h;</title>
<description>Northwind</description><pubDate>Tue, 03 Jun 2025 09:15:00 GMT</pubDate></item>
</channel></rss>"""
)
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>a&x;b</title>
<description>Northwind</description><pubDate>Tue, 03 Jun 2025 09:15:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.mark.parametrize("body", [LAUGHS, XXE], ids=["billion laughs", "external entity"])
def test_entities_in_a_feed_are_never_expanded_or_fetched(
    server: LocalServer, context: Context, body: bytes
) -> None:
    server.route("/evil.xml", lambda _: Reply(200, body, {"Content-Type": "application/rss+xml"}))
    pages = drain(connector_for("rss", {"url": f"{server.base_url}/evil.xml"}, context))
    (item,) = pages[0].items
    assert len(item.title or "") < 100  # a hundred million "a"s, had &h; been expanded
    assert "root:" not in (item.title or "") + item.text  # /etc/passwd was not read
