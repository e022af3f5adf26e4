"""Hacker News (Algolia): story and comment mapping, held high-water mark, the 1,000-hit cap."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from ingest.connectors.base import Context
from ingest.connectors.hackernews import HackerNewsCursor
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.conftest import NOW
from tests.connectors.server import LocalServer
from tests.connectors.upstreams import FakeAlgolia, fixture

SINCE = "2025-06-01"


def settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {"query": "Northwind", "base_url": server.base_url, "since": SINCE, **more}


def test_stories_and_comments_map_to_documents(server: LocalServer, context: Context) -> None:
    FakeAlgolia(server)
    items = {i.external_id: i for p in drain(connector_for("hackernews", settings(server), context))
             for i in p.items}  # fmt: skip
    hits = {hit["objectID"]: hit for hit in fixture("hackernews", "search_by_date.json")["hits"]}
    ask = next(i for i in items.values() if (i.title or "").startswith("Ask HN"))
    hit = hits[ask.external_id]
    assert ask.text.splitlines() == [
        "Ask HN: Has anyone got a refund out of Northwind Air?",
        "My flight was cancelled three weeks ago and the refund form keeps timing out. Has "
        "anyone actually received money back from Northwind?",
        "I've tried the chat, email and the phone line.",
    ]
    assert ask.url == f"https://news.ycombinator.com/item?id={ask.external_id}"
    assert (ask.likes, ask.replies) == (hit["points"], hit["num_comments"])
    assert ask.published_at == datetime.fromtimestamp(hit["created_at_i"], UTC)
    comment = next(i for i in items.values() if "Northwind app actually fine" in i.text)
    assert comment.text == "Is it just me or is the Northwind app actually fine now?"
    assert comment.title is None and comment.likes is None and comment.replies is None
    assert comment.author == hits[comment.external_id]["author"]
    refund = items["44151220"]
    assert refund.text.splitlines() == [
        "Refund took me 9 weeks. They do pay eventually, but only after you file a complaint "
        "with the regulator.",
        "Not great, Northwind.",
    ]
    assert items["44151078"].text.endswith("Northwind's IT just didn't scale for summer.")


def test_a_malformed_hit_is_rejected_and_the_rest_kept(
    server: LocalServer, context: Context
) -> None:
    algolia = FakeAlgolia(server)
    broken = {**algolia.hits[0], "objectID": "999", "comment_text": ["not", "text"]}
    algolia.hits += [broken, {key: v for key, v in broken.items() if key != "objectID"}]
    pages = drain(connector_for("hackernews", settings(server), context))
    assert len(ids(pages)) == 20
    assert sorted(r for p in pages for r in p.rejected) == [
        "hit '999' is malformed (TypeError('comment_text is list, not text'))",
        "hit None is malformed (KeyError('objectID'))",
    ]


def test_the_new_high_water_mark_waits_until_the_walk_back_is_done(
    server: LocalServer, context: Context
) -> None:
    FakeAlgolia(server)
    connector = connector_for("hackernews", settings(server, hits_per_page=5), context)
    start = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())
    first, second = walk(connector.pages(HackerNewsCursor()), 2)
    assert first.cursor.since == second.cursor.since == start  # not yet the newest item
    assert first.cursor.until is not None and second.cursor.page == 2
    newest = max(
        hit["created_at_i"] for hit in fixture("hackernews", "search_by_date.json")["hits"]
    )
    assert first.cursor.newest == newest
    last = drain(connector, second.cursor)[-1].cursor
    assert (last.since, last.until, last.newest) == (newest, None, None)


def test_slices_go_past_the_hit_cap_without_losing_or_repeating(
    server: LocalServer, context: Context
) -> None:
    """Algolia serves 1,000 hits per query at most (here 6): later slices end where the
    previous one stopped, and ids at the boundary second are not read twice."""
    FakeAlgolia(server, cap=6)
    pages = drain(connector_for("hackernews", settings(server, hits_per_page=3), context))
    found = Counter(ids(pages))
    assert len(found) == 20 and set(found.values()) == {1}
    bounds = {r.arg("numericFilters") for r in server.requests}
    assert sum("created_at_i<=" in (b or "") for b in bounds) >= 3  # several slices


def test_the_next_pass_overlaps_for_late_indexed_items(
    server: LocalServer, context: Context
) -> None:
    FakeAlgolia(server)
    connector = connector_for("hackernews", settings(server, overlap_seconds=600), context)
    done = drain(connector)[-1].cursor
    drain(connector, done)
    assert server.requests[-1].arg("numericFilters") == f"created_at_i>{done.since - 600}"


def test_without_since_the_first_run_reads_back_backfill_days(
    server: LocalServer, context: Context
) -> None:
    FakeAlgolia(server)
    configured = {"query": "Northwind", "base_url": server.base_url, "backfill_days": 2}
    drain(connector_for("hackernews", configured, context))
    start = int((NOW - timedelta(days=2)).timestamp()) - 300
    assert server.requests[0].arg("numericFilters") == f"created_at_i>{start}"
    assert server.requests[0].arg("tags") == "(story,comment)"
    assert server.requests[0].arg("query") == "Northwind"
