"""Mastodon: account and hashtag timelines, Link paging, boosts, opt-outs, edits, tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.connectors.base import Context
from ingest.connectors.errors import FatalError, PayloadError
from ingest.connectors.mastodon import MastodonCursor
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.server import LocalServer, Reply
from tests.connectors.upstreams import FakeMastodon, fixture


def tag_settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {"instance": server.base_url, "hashtag": "northwind", "limit": 5, **more}


def account_settings(server: LocalServer, **more: object) -> dict[str, object]:
    return {"instance": server.base_url, "account": "northwindair@mastodon.example", **more}


def test_statuses_become_plain_documents(server: LocalServer, context: Context) -> None:
    FakeMastodon(server)
    pages = drain(connector_for("mastodon", tag_settings(server, backfill_pages=10), context))
    items = {item.text: item for page in pages for item in page.items}
    rant = next(item for text, item in items.items() if text.startswith("flight rant\n"))
    assert rant.text == (
        "flight rant\n@northwindair my bag has been missing for six days and nobody answers. "
        "#northwind"
    )
    policy = next(item for text, item in items.items() if "refund policy" in text)
    assert policy.text.splitlines() == [
        "New refund policy from #northwind: https://northwind.example/refund-policy-2025",
        "Looks better than before, to be fair.",
    ]
    stroller = next(item for text, item in items.items() if "stroller" in text)
    assert stroller.text == "Can't believe #northwind lost my stroller. Awful."
    raw = next(s for s in fixture("mastodon", "tag_northwind.json") if "stroller" in s["content"])
    assert raw["url"] is None and stroller.url == raw["uri"] == stroller.external_id
    assert stroller.published_at == datetime.fromisoformat(raw["created_at"]).astimezone(UTC)
    assert (stroller.likes, stroller.reposts, stroller.replies) == (
        raw["favourites_count"], raw["reblogs_count"], raw["replies_count"],
    )  # fmt: skip
    assert stroller.author == raw["account"]["acct"] and stroller.lang == "en"
    indexed = [s for s in fixture("mastodon", "tag_northwind.json") if not s["account"]["noindex"]]
    assert {item.lang for item in items.values()} == {s["language"] for s in indexed}


def test_accounts_that_opted_out_of_indexing_are_skipped(
    server: LocalServer, context: Context
) -> None:
    FakeMastodon(server)
    pages = drain(connector_for("mastodon", tag_settings(server, backfill_pages=10), context))
    opted_out = [s for s in fixture("mastodon", "tag_northwind.json") if s["account"]["noindex"]]
    assert sum(page.skipped for page in pages) == len(opted_out) > 0
    assert not set(ids(pages)) & {s["uri"] for s in opted_out}


def test_the_first_run_walks_back_and_later_runs_follow_link_prev(
    server: LocalServer, context: Context
) -> None:
    mastodon = FakeMastodon(server)
    connector = connector_for("mastodon", tag_settings(server, backfill_pages=2), context)
    first = drain(connector)
    statuses = fixture("mastodon", "tag_northwind.json")
    assert len(first) == 2 and first[-1].cursor.min_id == statuses[0]["id"]
    assert server.requests[1].arg("max_id") == statuses[4]["id"]  # from Link rel="next"
    assert server.requests[0].arg("limit") == "5"
    newer = fixture("mastodon", "tag_northwind_later.json")
    mastodon.tag[:0] = newer
    later = drain(connector, first[-1].cursor)
    assert server.requests[-2].arg("min_id") == statuses[0]["id"]
    assert later[-1].cursor.min_id == newer[0]["id"]  # from Link rel="prev"
    assert {s["uri"] for s in newer if not s["account"]["noindex"]} <= set(ids(later))


def test_stopping_during_the_walk_back_resumes_it(server: LocalServer, context: Context) -> None:
    FakeMastodon(server)
    connector = connector_for("mastodon", tag_settings(server, backfill_pages=10), context)
    (page,) = walk(connector.pages(MastodonCursor()), 1)
    assert page.cursor.min_id is None and page.cursor.backfill_done == 1
    assert page.cursor.backfill_newest == fixture("mastodon", "tag_northwind.json")[0]["id"]
    rest = drain(connector, page.cursor)
    assert len(set(ids([page])) | set(ids(rest))) == 19


def test_edits_of_recent_statuses_are_read_again(server: LocalServer, context: Context) -> None:
    mastodon = FakeMastodon(server)
    connector = connector_for("mastodon", tag_settings(server, backfill_pages=10), context)
    done = drain(connector)[-1].cursor
    target = next(s for s in mastodon.tag if not s["account"]["noindex"])
    mastodon.edit(target["id"], "<p>Update: #northwind sent the bag to my home. Thank you!</p>")
    again = drain(connector, done)
    edited = [i for p in again for i in p.items if i.external_id == target["uri"]]
    assert [i.text for i in edited] == ["Update: #northwind sent the bag to my home. Thank you!"]


def test_account_statuses_skip_boosts_and_replies(server: LocalServer, context: Context) -> None:
    mastodon = FakeMastodon(server)
    mastodon.honour_exclude_reblogs = False  # a server that ignores the filter: we skip them
    pages = drain(connector_for("mastodon", account_settings(server), context))
    lookup = server.requests_to("/api/v1/accounts/lookup")
    assert [r.arg("acct") for r in lookup] == ["northwindair@mastodon.example"]
    timeline = server.requests_to(mastodon.account_path)[0]
    assert (timeline.arg("exclude_reblogs"), timeline.arg("exclude_replies")) == ("true", "true")
    assert len(ids(pages)) == 6 and sum(page.skipped for page in pages) == 1
    assert all("Please DM us" not in item.text for page in pages for item in page.items)
    assert pages[-1].cursor.account_id == FakeMastodon.account_id
    drain(connector_for("mastodon", account_settings(server), context), pages[-1].cursor)
    assert len(server.requests_to("/api/v1/accounts/lookup")) == 1  # the id is kept


def test_a_token_is_sent_as_bearer_and_never_shown(server: LocalServer, context: Context) -> None:
    FakeMastodon(server, token="t0ken-s3cret")
    settings = tag_settings(server, token_env="MASTODON_TOKEN")
    assert len(ids(drain(connector_for("mastodon", settings, context)))) == 19
    assert server.requests[0].headers["authorization"] == "Bearer t0ken-s3cret"
    refused = Context(http=context.http, environ={"MASTODON_TOKEN": "wr0ng-t0ken"})
    with pytest.raises(FatalError) as raised:
        drain(connector_for("mastodon", settings, refused))
    assert "401" in str(raised.value) and "t0ken" not in str(raised.value)
    unset = Context(http=context.http, environ={})
    with pytest.raises(FatalError, match=r"MASTODON_TOKEN \(named by token_env\) is not set"):
        drain(connector_for("mastodon", settings, unset))


def test_an_unknown_account_is_fatal(server: LocalServer, context: Context) -> None:
    FakeMastodon(server)
    settings = {"instance": server.base_url, "account": "nobody"}
    with pytest.raises(FatalError, match="404 Not Found"):
        drain(connector_for("mastodon", settings, context))


def test_malformed_statuses_and_pages(server: LocalServer, context: Context) -> None:
    mastodon = FakeMastodon(server)
    del mastodon.tag[1]["uri"]
    pages = drain(connector_for("mastodon", tag_settings(server, backfill_pages=10), context))
    assert [r for p in pages for r in p.rejected] == [
        f"status {mastodon.tag[1]['id']!r} is malformed (KeyError('uri'))"
    ]
    server.queue(mastodon.tag_path, Reply.json({"error": "This method requires an account"}))
    with pytest.raises(PayloadError, match="did not send a list of statuses"):
        drain(connector_for("mastodon", tag_settings(server), context))


def test_an_empty_timeline_leaves_the_cursor_at_the_start(
    server: LocalServer, context: Context
) -> None:
    mastodon = FakeMastodon(server)
    mastodon.tag = []
    pages = drain(connector_for("mastodon", tag_settings(server), context))
    assert ids(pages) == [] and pages[-1].cursor == MastodonCursor()
