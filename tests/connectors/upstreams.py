"""Upstream APIs played back from recorded, real-shaped fixtures (tests/fixtures/<source>/).

Each fake answers with the real API's shapes and semantics that a connector relies on (Algolia's
numericFilters and 1,000-hit window, Mastodon's min_id/max_id paging and Link headers, an RSS
server's ETag / Last-Modified), and ``advance()`` moves the upstream on: new items, an edit.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.connectors.server import LocalServer, Reply, Request

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
