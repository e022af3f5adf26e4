"""Upstream APIs played back from recorded, real-shaped fixtures (tests/fixtures/<source>/).

Each fake answers with the real API's shapes and semantics that a connector relies on (Algolia's
numericFilters and 1,000-hit window, Mastodon's min_id/max_id paging and Link headers, an RSS
server's ETag / Last-Modified, EDGAR's parallel filing columns and index pages, Bluesky's
cursors and sessions, Reddit's OAuth token and ``after`` paging, the App Store's single-entry
object), and ``advance()`` moves the upstream on: new items, an edit.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from ingest.connectors.text import parse_utc
from tests.connectors.server import Handler, LocalServer, Reply, Request

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(*parts: str) -> Any:
    return json.loads((FIXTURES.joinpath(*parts)).read_text(encoding="utf-8"))


class FakeFeed:
    """A feed file served with ETag and Last-Modified; ``advance`` publishes the next version."""

    def __init__(self, server: LocalServer, path: str, *versions: str) -> None:
        self.server, self.path, self.version = server, path, 0
        self.bodies = [(FIXTURES / "rss" / name).read_bytes() for name in versions]
        self.content_type = "application/rss+xml; charset=UTF-8"
        server.route(path, self.reply)

    @property
    def url(self) -> str:
        return self.server.base_url + self.path

    def advance(self) -> None:
        self.version = min(self.version + 1, len(self.bodies) - 1)

    def reply(self, request: Request) -> Reply:
        body = self.bodies[self.version]
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        modified = f"Tue, 0{3 + self.version} Jun 2025 09:15:00 GMT"
        headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": self.content_type}
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, headers)


class FakeAlgolia:
    """``/api/v1/search_by_date`` over recorded hits, newest first, at most ``cap`` per query."""

    path = "/api/v1/search_by_date"

    def __init__(self, server: LocalServer, *, cap: int = 1000) -> None:
        self.server, self.cap = server, cap
        self.hits: list[dict[str, Any]] = list(fixture("hackernews", "search_by_date.json")["hits"])
        server.route(self.path, self.reply)

    def advance(self) -> None:
        self.hits += fixture("hackernews", "search_by_date_later.json")["hits"]

    def reply(self, request: Request) -> Reply:
        matching = sorted(
            (hit for hit in self.hits if _passes(hit, request.arg("numericFilters") or "")),
            key=lambda hit: (-hit["created_at_i"], hit.get("objectID", "")),
        )
        tags = (request.arg("tags") or "").strip("()").split(",")
        matching = [hit for hit in matching if not tags[0] or set(tags) & set(hit["_tags"])]
        per_page = int(request.arg("hitsPerPage") or 20)
        page = int(request.arg("page") or 0)
        window = matching[: self.cap]
        body = {
            **fixture("hackernews", "search_by_date.json"),
            "hits": window[page * per_page : (page + 1) * per_page],
            "nbHits": len(matching),
            "nbPages": math.ceil(len(window) / per_page),
            "page": page,
            "hitsPerPage": per_page,
            "params": urlencode({k: v[0] for k, v in request.query.items()}),
        }
        return Reply.json(body)


def _passes(hit: dict[str, Any], filters: str) -> bool:
    value = hit["created_at_i"]
    for condition in filter(None, filters.split(",")):
        for op, test in (("<=", value.__le__), (">=", value.__ge__), ("<", value.__lt__),
                         (">", value.__gt__)):  # fmt: skip
            if op in condition:
                if not test(int(condition.split(op)[1])):
                    return False
                break
    return True


class FakeMastodon:
    """A Mastodon instance's hashtag and account timelines, with ``Link`` headers and
    ``X-RateLimit-*`` like the real ones; ``token`` makes it require ``Bearer <token>``."""

    account_id = "109876543210987654"

    def __init__(self, server: LocalServer, *, token: str | None = None) -> None:
        self.server, self.token = server, token
        self.tag = fixture("mastodon", "tag_northwind.json")
        self.account_statuses = fixture("mastodon", "account_statuses.json")
        self.honour_exclude_reblogs = True
        self.tag_path = "/api/v1/timelines/tag/northwind"
        self.account_path = f"/api/v1/accounts/{self.account_id}/statuses"
        server.route(self.tag_path, lambda r: self.timeline(r, self.tag, self.tag_path))
        server.route(self.account_path, self.account_timeline)
        server.route("/api/v1/accounts/lookup", self.lookup)

    def advance(self) -> None:
        """Three new statuses arrive and a recent one is edited."""
        indexed = next(s for s in self.tag if not s["account"]["noindex"])
        self.tag = fixture("mastodon", "tag_northwind_later.json") + self.tag
        self.edit(indexed["id"], "<p>Edited: actually the #northwind refund came through.</p>")

    def edit(self, status_id: str, content: str) -> None:
        for status in self.tag:
            if status["id"] == status_id:
                status["content"], status["edited_at"] = content, "2025-06-04T08:00:00.000Z"

    def _refused(self, request: Request) -> Reply | None:
        if self.token is None or request.headers.get("authorization") == f"Bearer {self.token}":
            return None
        return Reply.json({"error": "The access token is invalid"}, status=401)

    def lookup(self, request: Request) -> Reply:
        if refused := self._refused(request):
            return refused
        if (request.arg("acct") or "").split("@")[0] != "northwindair":
            return Reply.json({"error": "Record not found"}, status=404)
        return Reply.json(fixture("mastodon", "account_lookup.json"))

    def account_timeline(self, request: Request) -> Reply:
        statuses = self.account_statuses
        if request.arg("exclude_reblogs") == "true" and self.honour_exclude_reblogs:
            statuses = [s for s in statuses if s["reblog"] is None]
        if request.arg("exclude_replies") == "true":
            statuses = [s for s in statuses if s["in_reply_to_id"] is None]
        return self.timeline(request, statuses, self.account_path)

    def timeline(self, request: Request, statuses: list[dict[str, Any]], path: str) -> Reply:
        if refused := self._refused(request):
            return refused
        limit = min(int(request.arg("limit") or 20), 40)
        ordered = sorted(statuses, key=lambda s: int(s["id"]), reverse=True)  # server-side only
        if (min_id := request.arg("min_id")) is not None:
            newer = [s for s in ordered if int(s["id"]) > int(min_id or 0)]
            page = newer[-limit:]  # the oldest ones just after min_id, still newest first
        else:
            max_id = request.arg("max_id")
            page = [s for s in ordered if max_id is None or int(s["id"]) < int(max_id)][:limit]
        headers = {
            "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
            "X-RateLimit-Reset": "2025-06-03T12:00:00.000Z",
        }  # fmt: skip
        if page:
            keep = {k: v[0] for k, v in request.query.items() if k not in ("min_id", "max_id")}
            base = f"{self.server.base_url}{path}?"
            older = urlencode({**keep, "max_id": page[-1]["id"]})
            newer_link = urlencode({**keep, "min_id": page[0]["id"]})
            headers["Link"] = f'<{base}{older}>; rel="next", <{base}{newer_link}>; rel="prev"'
        return Reply.json(copy.deepcopy(page), headers=headers)


class FakeDrop:
    """A drop folder: the fixture files now, a later file on ``advance``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(FIXTURES / "files" / "drop", folder)

    def advance(self) -> None:
        shutil.copy(FIXTURES / "files" / "later" / "2025-07-survey.csv", self.folder)


class FakeEdgar:
    """EDGAR's submissions JSON and filing archives for one company (CIK 1234567), as served by
    data.sec.gov and www.sec.gov; every request's arrival time is kept to check the pace."""

    cik = 1234567
    path = "/submissions/CIK0001234567.json"

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.submissions = fixture("sec_edgar", "CIK0001234567.json")
        self.arrivals: list[float] = []
        server.route(self.path, self.reply)
        for file in (FIXTURES / "sec_edgar" / "Archives").rglob("*.htm"):
            archive_path = "/" + file.relative_to(FIXTURES / "sec_edgar").as_posix()
            server.route(archive_path, lambda _, file=file: self.archive(file))

    def advance(self) -> None:
        """A new 8-K with a press release is filed."""
        recent = self.submissions["filings"]["recent"]
        for name, values in fixture("sec_edgar", "filings_later.json").items():
            recent[name][:0] = values

    def reply(self, request: Request) -> Reply:
        self.arrivals.append(time.monotonic())
        return Reply.json(self.submissions)

    def archive(self, file: Path) -> Reply:
        self.arrivals.append(time.monotonic())
        return Reply(200, file.read_bytes(), {"Content-Type": "text/html"})


def accept_posts(server: LocalServer) -> None:
    """Let ``server`` answer POSTs (XRPC procedures, OAuth token requests) like GETs: the body's
    fields (JSON or form) join the query string, with ``_method=POST``, so fakes read them with
    ``request.arg`` and every POST is recorded with the GETs."""
    handler = server._httpd.RequestHandlerClass

    def do_post(self: Any) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "json" in (self.headers.get("Content-Type") or ""):
            fields = json.loads(raw or b"{}")
        else:
            fields = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        self.path += ("&" if "?" in self.path else "?") + urlencode({**fields, "_method": "POST"})
        self.do_GET()

    handler.do_POST = do_post  # type: ignore[attr-defined]


def xrpc_error(status: int, error: str, message: str) -> Reply:
    return Reply.json({"error": error, "message": message}, status=status)


class FakeBluesky:
    """Bluesky's AppView and PDS: author feeds (public), post search (session tokens, which
    ``expire()`` invalidates) and ``RateLimit-*`` headers like the real ones."""

    handle = "northwindair.bsky.social"
    feed_path = "/xrpc/app.bsky.feed.getAuthorFeed"
    search_path = "/xrpc/app.bsky.feed.searchPosts"
    create_path = "/xrpc/com.atproto.server.createSession"
    refresh_path = "/xrpc/com.atproto.server.refreshSession"

    def __init__(self, server: LocalServer, *, password: str = "app-pass-word-1234") -> None:
        self.server, self.password = server, password
        recorded = fixture("bluesky", "author_feed.json")["feed"]
        self.pinned = [e for e in recorded if e.get("reason", {}).get("$type", "").endswith("Pin")]
        self.feed = [e for e in recorded if e not in self.pinned]
        self.posts = fixture("bluesky", "search_posts.json")["posts"]
        self.sessions = 0
        self.access: str | None = None
        self.refresh: str | None = None
        accept_posts(server)
        server.route(self.feed_path, self.author_feed)
        server.route(self.search_path, self.search)
        server.route(self.create_path, self.create_session)
        server.route(self.refresh_path, self.refresh_session)

    def advance(self) -> None:
        self.feed[:0] = fixture("bluesky", "author_feed_later.json")["feed"]

    def expire(self) -> None:
        """The access token expires: requests with it get 400 ExpiredToken."""
        self.access = "expired"

    def _headers(self) -> dict[str, str]:
        return {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                "RateLimit-Reset": "1748952300", "RateLimit-Policy": "3000;w=300"}  # fmt: skip

    def _issue(self) -> Reply:
        self.sessions += 1
        self.access = f"FAKE-ACCESS-JWT-{self.sessions}"
        self.refresh = f"FAKE-REFRESH-JWT-{self.sessions}"
        session = fixture("bluesky", "create_session.json")
        return Reply.json({**session, "accessJwt": self.access, "refreshJwt": self.refresh})

    def create_session(self, request: Request) -> Reply:
        if request.arg("_method") != "POST":
            return xrpc_error(405, "MethodNotImplemented", "Method Not Implemented")
        if (request.arg("identifier"), request.arg("password")) != ("ravine-bot", self.password):
            return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
        return self._issue()

    def refresh_session(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.refresh}":
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        return self._issue()

    def author_feed(self, request: Request) -> Reply:
        if request.arg("actor") not in (self.handle, "did:plc:q6gjnaw2blty4crticxkmujt"):
            return xrpc_error(400, "InvalidRequest", "Profile not found")

        def sort_at(entry: dict[str, Any]) -> str:  # a repost is placed at its own time
            return str(entry.get("reason", {}).get("indexedAt") or entry["post"]["indexedAt"])

        before = request.arg("cursor")
        entries = sorted(self.feed, key=sort_at, reverse=True)
        older = [e for e in entries if before is None or sort_at(e) < before]
        page = older[: int(request.arg("limit") or 50)]
        body: dict[str, Any] = {"feed": (self.pinned if before is None else []) + page}
        if len(older) > len(page):
            body["cursor"] = sort_at(page[-1])
        return Reply.json(copy.deepcopy(body), headers=self._headers())

    def search(self, request: Request) -> Reply:
        token = request.headers.get("authorization")
        if token is None:
            return xrpc_error(401, "AuthMissing", "Authentication Required")
        if token != f"Bearer {self.access}":
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        since = request.arg("since") or ""
        found = sorted((p for p in self.posts if p["indexedAt"] >= since),
                       key=lambda p: p["indexedAt"], reverse=True)  # fmt: skip
        start, limit = int(request.arg("cursor") or 0), int(request.arg("limit") or 25)
        body: dict[str, Any] = {"posts": found[start : start + limit], "hitsTotal": len(found)}
        if start + limit < len(found):
            body["cursor"] = str(start + limit)
        return Reply.json(copy.deepcopy(body), headers=self._headers())


class FakeAppStore:
    """Apple's customer-reviews feed (JSON) per storefront, newest first, ``per_page`` reviews
    a page (Apple: 50): a lone review comes as an object, ``legacy`` puts the app itself first
    on page 1, a page past the end has no ``entry``, and page 11 is a 400."""

    app_id = 1234567890
    first_page = f"/us/rss/customerreviews/page=1/id={app_id}/sortby=mostrecent/json"

    def __init__(self, server: LocalServer, *, per_page: int = 3, legacy: bool = True) -> None:
        self.server, self.per_page, self.legacy = server, per_page, legacy
        recorded = fixture("app_store", "customerreviews_us.json")
        self.app, *reviews = recorded["feed"]["entry"]
        self.reviews: dict[str, list[dict[str, Any]]] = {"us": reviews, "gb": []}
        for country in self.reviews:
            for page in range(1, 12):
                server.route(self.path(country, page), self._handler(country, page))

    def _handler(self, country: str, page: int) -> Handler:
        return lambda _: self.reply(country, page)

    def path(self, country: str, page: int = 1) -> str:
        return f"/{country}/rss/customerreviews/page={page}/id={self.app_id}/sortby=mostrecent/json"

    def advance(self) -> None:
        self.reviews["us"][:0] = fixture("app_store", "reviews_later.json")

    def reply(self, country: str, page: int) -> Reply:
        if page > 10:
            return Reply(
                400, b"<html><body>Bad Request</body></html>", {"Content-Type": "text/html"}
            )
        ordered = sorted(self.reviews[country], key=lambda r: parse_utc(r["updated"]["label"]),
                         reverse=True)  # fmt: skip
        entries = ordered[(page - 1) * self.per_page : page * self.per_page]
        if self.legacy and page == 1 and entries:
            entries = [self.app, *entries]
        body = fixture("app_store", "customerreviews_empty.json")
        if entries:
            body["feed"]["entry"] = entries[0] if len(entries) == 1 else entries
        return Reply.json(copy.deepcopy(body))


class FakeReddit:
    """Reddit's OAuth API: a client-credentials token endpoint (Basic auth), search and
    subreddit listings newest first, paged with ``after`` fullnames, ``X-Ratelimit-*``."""

    token_path = "/api/v1/access_token"
    search_path = "/search"
    new_path = "/r/northwindair/new"
    info_path = "/api/info"

    def __init__(self, server: LocalServer, *, client: tuple[str, str]) -> None:
        self.server, self.client = server, client
        listing = fixture("reddit", "search_new.json")["data"]
        self.posts = [child["data"] for child in listing["children"]]
        self.tokens = 0
        accept_posts(server)
        server.route(self.token_path, self.token)
        server.route(self.search_path, self.listing)
        server.route(self.new_path, self.listing)
        server.route(self.info_path, self.info)

    def advance(self) -> None:
        self.posts[:0] = [child["data"] for child in fixture("reddit", "search_new_later.json")]

    def token(self, request: Request) -> Reply:
        basic = base64.b64encode(":".join(self.client).encode()).decode()
        if request.arg("_method") != "POST" or request.arg("grant_type") != "client_credentials":
            return Reply.json({"error": "unsupported_grant_type"}, status=400)
        if request.headers.get("authorization") != f"Basic {basic}":
            return Reply.json({"message": "Unauthorized", "error": 401}, status=401)
        self.tokens += 1
        return Reply.json({**fixture("reddit", "access_token.json"),
                           "access_token": f"FAKE-REDDIT-TOKEN-{self.tokens}"})  # fmt: skip

    def info(self, request: Request) -> Reply:
        """``/api/info?id=t3_a,t3_b``: the posts as they are now, in the order asked."""
        if request.headers.get("authorization") != f"Bearer FAKE-REDDIT-TOKEN-{self.tokens}":
            return Reply.json({"message": "Unauthorized", "error": 401}, status=401)
        by_name = {p["name"]: p for p in self.posts}
        wanted = (request.arg("id") or "").split(",")
        children = [{"kind": "t3", "data": by_name[n]} for n in wanted if n in by_name]
        body = {
            "kind": "Listing",
            "data": {
                "after": None,
                "dist": len(children),
                "modhash": "",
                "geo_filter": "",
                "children": children,
                "before": None,
            },
        }
        return Reply.json(copy.deepcopy(body))

    def listing(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer FAKE-REDDIT-TOKEN-{self.tokens}":
            return Reply.json({"message": "Unauthorized", "error": 401}, status=401)
        posts = sorted(self.posts, key=lambda p: p["created_utc"], reverse=True)
        if request.path != self.search_path:
            posts = [p for p in posts if p["subreddit"] == request.path.split("/")[2]]
        names = [p["name"] for p in posts]
        after = request.arg("after")
        start = names.index(after) + 1 if after in names else 0
        limit = int(request.arg("limit") or 25)
        page = posts[start : start + limit]
        more = start + limit < len(posts)
        body = {"kind": "Listing", "data": {
            "after": page[-1]["name"] if more and page else None, "dist": len(page), "modhash": "",
            "geo_filter": "", "children": [{"kind": "t3", "data": p} for p in page], "before": None,
        }}  # fmt: skip
        headers = {"X-Ratelimit-Used": "4", "X-Ratelimit-Remaining": "596.0",
                   "X-Ratelimit-Reset": "412"}  # fmt: skip
        return Reply.json(copy.deepcopy(body), headers=headers)
