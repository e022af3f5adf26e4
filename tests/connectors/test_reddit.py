"""Reddit: opt-in credentials, the OAuth token, listings, deleted posts, rate-limit headers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ingest.connectors.base import Context
from ingest.connectors.errors import FatalError
from ingest.connectors.reddit import RedditCursor
from ravine.models import Document, HourlyStat, IngestRun, Source
from tests.cli import ravine
from tests.connectors.cases import connector_for, drain, ids, walk
from tests.connectors.conftest import NOW
from tests.connectors.live import runs, stored, write_sources
from tests.connectors.server import LocalServer, Reply
from tests.connectors.upstreams import FakeReddit, fixture

CLIENT = ("cl1ent-id-4f2a", "s3cret-v4lue-9e1d")
ENVIRON = {"REDDIT_CLIENT_ID": CLIENT[0], "REDDIT_CLIENT_SECRET": CLIENT[1]}


def settings(server: LocalServer, **more: object) -> dict[str, object]:
    token_url = server.base_url + FakeReddit.token_path
    return {"query": "Northwind", "base_url": server.base_url, "token_url": token_url,
            "limit": 3, "backfill_pages": 10, **more}  # fmt: skip


@pytest.fixture
def credentials(context: Context) -> Context:
    return Context(http=context.http, now=context.now, environ=ENVIRON)


def test_posts_become_documents_and_deleted_or_removed_ones_are_skipped(
    server: LocalServer, credentials: Context
) -> None:
    FakeReddit(server, client=CLIENT)
    pages = drain(connector_for("reddit", settings(server), credentials))
    items = {item.external_id: item for page in pages for item in page.items}
    assert len(items) == 6 and sum(page.skipped for page in pages) == 2
    assert not {"t3_1l2dk3m", "t3_1l28wq1"} & set(items)  # "[deleted]" and "[removed]"
    bag = items["t3_1l2fq7x"]
    assert bag.text.splitlines() == [
        "Northwind Air lost my bag for 6 days and nobody answers",
        'Flew DEN to BOS on Northwind last week. Bag still missing, the app says "delivered"?!',
        "Anyone had luck with their claims form?",
    ]
    assert bag.title == "Northwind Air lost my bag for 6 days and nobody answers"
    assert bag.url == (
        "https://www.reddit.com/r/travel/comments/1l2fq7x/northwind_air_lost_my_bag_for/"
    )
    assert (bag.author, bag.likes, bag.replies, bag.reposts) == ("gate_lice_2025", 42, 17, None)
    assert bag.published_at == datetime.fromtimestamp(1748955121, UTC) and bag.lang is None
    link = items["t3_1l26y0a"]  # a link post: its title is its text
    assert link.text == link.title == "Northwind Air orders 24 A321neos"
    assert items["t3_1l24hcq"].author is None  # the account is deleted, the post is not


def test_one_token_serves_every_page_and_is_renewed_when_it_expires(
    server: LocalServer, credentials: Context
) -> None:
    reddit = FakeReddit(server, client=CLIENT)
    clock = [NOW]
    timed = Context(http=credentials.http, now=lambda: clock[0], environ=ENVIRON)
    connector = connector_for("reddit", settings(server), timed)
    pages = connector.pages(RedditCursor())
    next(pages)
    clock[0] = NOW + timedelta(seconds=86_400 - 30)  # within the last minute of its life
    list(pages)
    (first, renewed) = server.requests_to(FakeReddit.token_path)
    assert (first.arg("_method"), first.arg("grant_type")) == ("POST", "client_credentials")
    assert first.headers["authorization"].startswith("Basic ")
    listings = server.requests_to(FakeReddit.search_path)
    assert [r.headers["authorization"] for r in listings] == [
        "Bearer FAKE-REDDIT-TOKEN-1", "Bearer FAKE-REDDIT-TOKEN-2", "Bearer FAKE-REDDIT-TOKEN-2",
    ]  # fmt: skip
    assert reddit.tokens == 2 and renewed.arg("grant_type") == "client_credentials"
    search = listings[0]
    assert {k: search.arg(k) for k in ("q", "sort", "t", "type", "raw_json", "limit")} == {
        "q": "Northwind", "sort": "new", "t": "all", "type": "link", "raw_json": "1", "limit": "3",
    }  # fmt: skip
    assert listings[1].arg("after") == "t3_1l2b9zq"


def test_without_credentials_the_source_is_skipped_with_one_line(
    server: LocalServer, context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    FakeReddit(server, client=CLIENT)
    logger = logging.getLogger("ingest.connectors.reddit")  # "ingest" may not propagate
    caplog.set_level(logging.INFO, logger=logger.name)
    logger.addHandler(caplog.handler)
    logger.propagate = False  # caplog's own handler would count the record twice otherwise
    try:
        assert drain(connector_for("reddit", settings(server), context)) == []
    finally:
        logger.removeHandler(caplog.handler)
        logger.propagate = True
    assert server.requests == []
    assert [r.getMessage() for r in caplog.records] == [
        "Reddit search 'Northwind' skipped: REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET not set; "
        "Reddit's API needs an app Reddit approved (see docs/ingest.md, reddit)"
    ]


def test_the_walk_stops_at_the_mark_and_still_reads_late_posts(
    server: LocalServer, credentials: Context
) -> None:
    reddit = FakeReddit(server, client=CLIENT)
    connector = connector_for("reddit", settings(server, overlap_seconds=600), credentials)
    (first,) = walk(connector.pages(RedditCursor()), 1)
    assert first.cursor.since is None and first.cursor.after == "t3_1l2b9zq"
    assert first.cursor.newest == 1748955121.0
    done = drain(connector, first.cursor)[-1].cursor
    assert (done.since, done.after, len(done.seen)) == (1748955121.0, None, 8)
    assert ids(drain(connector, done)) == []
    late = {**reddit.posts[2], "name": "t3_1l2ezzz", "created_utc": 1748955121.0 - 300}
    reddit.posts.append(late)  # held by the spam filter, approved now: new, yet older
    reddit.advance()
    assert ids(drain(connector, done)) == ["t3_1l2k0p4", "t3_1l2hz8e", "t3_1l2ezzz"]


def test_a_used_up_rate_limit_pauses_until_its_reset(
    server: LocalServer, credentials: Context, sleeps: list[float]
) -> None:
    FakeReddit(server, client=CLIENT)
    spent = {"X-Ratelimit-Used": "600", "X-Ratelimit-Remaining": "0.0", "X-Ratelimit-Reset": "42"}
    body = fixture("reddit", "search_new.json")
    body["data"]["children"] = body["data"]["children"][:3]
    body["data"]["after"] = "t3_1l2b9zq"
    server.queue(FakeReddit.search_path, Reply.json(body, headers=spent))
    assert len(ids(drain(connector_for("reddit", settings(server), credentials)))) == 6
    assert sleeps == [42.0]


def test_refused_credentials_fail_without_showing_them(
    server: LocalServer, credentials: Context
) -> None:
    FakeReddit(server, client=("another-id", "another-secret"))
    with pytest.raises(FatalError, match="401 Unauthorized") as raised:
        drain(connector_for("reddit", settings(server), credentials))
    assert CLIENT[0] not in str(raised.value) and CLIENT[1] not in str(raised.value)
    assert server.requests_to(FakeReddit.search_path) == []


def test_a_subreddit_lists_its_newest_posts(server: LocalServer, credentials: Context) -> None:
    FakeReddit(server, client=CLIENT)
    subreddit = {**settings(server, subreddit="northwindair"), "query": None}
    pages = drain(connector_for("reddit", subreddit, credentials))
    assert ids(pages) == ["t3_1l24hcq", "t3_1l20x9k"]  # two more there were deleted or removed
    assert {r.path for r in server.requests} == {FakeReddit.token_path, FakeReddit.new_path}


def test_a_live_run_keeps_the_credentials_out_of_output_and_database(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    FakeReddit(server, client=CLIENT)
    source = {"name": "reddit", "kind": "reddit", "entity": "northwind-air", "voice": "public",
              **settings(server)}  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", {"reddit": source})
    for name in ENVIRON:
        monkeypatch.delenv(name, raising=False)
    skipped = ravine(capsys, db_url, "ingest", "run", "-c", str(config))
    assert skipped.code == 0 and "REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET not set" in skipped.err
    assert runs(engine)[0][1].fetched == 0 and stored(engine) == {}
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    args = ("--debug", "ingest", "run", "-c", str(config), "--force", "--log-format", "json")
    result = ravine(capsys, db_url, *args)
    assert result.code == 0 and stored(engine) == {"reddit": 6}
    with Session(engine) as session:
        saved = [repr(row.__dict__) for row in session.scalars(select(Source))]
        saved += [repr(row.__dict__) for row in session.scalars(select(IngestRun))]
    for secret in (*CLIENT, "FAKE-REDDIT-TOKEN"):
        assert secret not in result.out + result.err + skipped.err + "".join(saved)


def test_recent_posts_are_looked_up_again_refreshed_and_deleted_when_gone(
    capsys: pytest.CaptureFixture[str], db_url: str, engine: Engine, server: LocalServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    upstream = FakeReddit(server, client=CLIENT)
    source = {"name": "reddit", "kind": "reddit", "entity": "northwind-air", "voice": "public",
              **settings(server, recheck_days=3650)}  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", {"reddit": source})
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config)).code == 0
    posts = {post["name"]: post for post in upstream.posts}
    posts["t3_1l2fq7x"].update(selftext="[deleted]", removed_by_category="deleted")
    posts["t3_1l26y0a"]["score"] = 999
    assert ravine(capsys, db_url, "ingest", "run", "-c", str(config), "--force").code == 0
    with Session(engine) as session:
        documents = {d.external_id: d for d in session.scalars(select(Document))}
    gone = documents["t3_1l2fq7x"]
    assert gone.deleted_at is not None and gone.text == "" and gone.raw is None
    assert documents["t3_1l26y0a"].likes == 999 and documents["t3_1l26y0a"].deleted_at is None
    assert sum(d.deleted_at is not None for d in documents.values()) == 1
    last = runs(engine)[-1][1]
    assert (last.details["rechecked"], last.details["deleted"], last.updated) == (6, 1, 1)
    with Session(engine) as session:  # the deleted post is out of the roll-ups too
        counted = session.scalar(select(func.sum(HourlyStat.n)))
    assert counted == 5
