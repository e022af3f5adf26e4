"""Bluesky: an account's posts (``getAuthorFeed``, public) or a post search (``searchPosts``).

Search needs a session since 2025 (public search answers 403): an app password, named by
``password_env``, buys tokens from ``createSession``; they live in memory only, are reused
across pages, and a refused request (400 ExpiredToken, 401) renews them once through
``refreshSession`` (or a new session when that is refused too).

Both endpoints page newest first through an opaque ``cursor``. A walk goes back until it
reaches the high-water mark (the newest ``indexedAt`` of the last complete walk, less an
overlap for late indexing) or, on the first run, ``backfill_pages``; the new mark is held in
the cursor until the walk is complete, so a run stopped anywhere resumes the walk.
``indexedAt`` is the AppView's clock; ``createdAt`` is declared by the client, so a post's time
is its ``createdAt`` only when that is earlier than ``indexedAt``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx
from pydantic import Field, HttpUrl, model_validator

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import FatalError, PayloadError
from ingest.connectors.http import Params, where
from ingest.connectors.text import as_count, clean_text, parse_utc
from ingest.connectors.tokens import bearer, post_for_tokens, token_field

PUBLIC_API = "https://public.api.bsky.app"
SESSION_API = "https://bsky.social"
_SKIPPED_REASONS = ("app.bsky.feed.defs#reasonRepost", "app.bsky.feed.defs#reasonPin")


class BlueskySettings(SettingsModel):
    actor: str | None = Field(
        default=None, description="Handle or DID whose posts to read.", examples=["northwind.air"]
    )
    query: str | None = Field(
        default=None, description="Words to search posts for.", examples=["Northwind"]
    )
    identifier: str | None = Field(
        default=None, description="Search: the account's handle.", examples=["ravine.bsky.social"]
    )
    password_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        examples=["BLUESKY_APP_PASSWORD"],
        description="Search: environment variable holding the account's app password.",
    )
    base_url: HttpUrl | None = Field(
        default=None, description="API root; default public.api.bsky.app, bsky.social to search."
    )
    filter: Literal[
        "posts_no_replies", "posts_with_replies", "posts_with_media", "posts_and_author_threads"
    ] = Field(default="posts_no_replies", description="Author feed filter.")
    lang: str | None = Field(default=None, description="Search: only posts in this language.")
    limit: int = Field(default=100, ge=1, le=100, description="Posts per page.")
    backfill_pages: int = Field(default=5, ge=1, le=1000, description="First run: pages back.")
    overlap_seconds: int = Field(default=600, ge=0, le=86_400)

    @model_validator(mode="after")
    def _one_feed(self) -> BlueskySettings:
        if (self.actor is None) == (self.query is None):
            raise ValueError('give exactly one of actor = "handle" or query = "words"')
        if self.query is not None and (self.identifier is None or self.password_env is None):
            raise ValueError(
                'searching needs an account: add identifier = "handle" and password_env = '
                '"BLUESKY_APP_PASSWORD" (an app password, created in Settings > App passwords)'
            )
        return self


class BlueskyCursor(CursorModel):
    since: datetime | None = None  # newest indexedAt of the last complete walk
    page: str | None = None  # the API's cursor of the walk in progress
    newest: datetime | None = None  # newest indexedAt of the walk in progress: the next since
    walked: int = 0  # pages of the walk in progress


def post_item(post: Mapping[str, Any]) -> Item:
    """A postView as an Item; KeyError/TypeError/ValueError when it is malformed."""
    uri, record, author = str(post["uri"]), post["record"], post["author"]
    indexed = parse_utc(str(post["indexedAt"]))
    try:
        published = min(parse_utc(str(record["createdAt"])), indexed)
    except (KeyError, ValueError):
        published = indexed
    did, _, rkey = uri.removeprefix("at://").partition("/app.bsky.feed.post/")
    langs = record.get("langs") or []
    return Item(
        external_id=uri,
        text=clean_text(str(record.get("text") or "")),
        published_at=published,
        url=f"https://bsky.app/profile/{did}/post/{rkey}" if rkey else None,
        author=str(author.get("handle") or author["did"]),
        lang=str(langs[0]) if langs else None,
        likes=as_count(post.get("likeCount")),
        reposts=as_count(post.get("repostCount")),
        replies=as_count(post.get("replyCount")),
        raw=post,
    )


class BlueskyConnector(Connector[BlueskySettings, BlueskyCursor]):
    kind = "bluesky"
    settings_model = BlueskySettings
    cursor_model = BlueskyCursor
    _tokens: tuple[str, str] | None = None  # (accessJwt, refreshJwt): memory only

    @property
    def _root(self) -> str:
        default = PUBLIC_API if self.settings.query is None else SESSION_API
        return str(self.settings.base_url or default).rstrip("/")

    @property
    def key(self) -> str:
        s = self.settings
        feed = f"actor:{s.actor}|{s.filter}" if s.actor else f"search:{s.query}|{s.lang or ''}"
        return f"{self._root}|{feed}"

    def pages(self, cursor: BlueskyCursor) -> Iterator[Page[BlueskyCursor]]:
        settings = self.settings
        overlap = timedelta(seconds=settings.overlap_seconds)
        floor = None if cursor.since is None else cursor.since - overlap
        if settings.actor is not None:
            method = "app.bsky.feed.getAuthorFeed"
            params: dict[str, str | int] = {"actor": settings.actor, "filter": settings.filter}
        else:
            method = "app.bsky.feed.searchPosts"
            params = {"q": str(settings.query), "sort": "latest"}
            params.update({"lang": settings.lang} if settings.lang else {})
            if floor is not None:
                params["since"] = floor.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        url = f"{self._root}/xrpc/{method}"
        while True:
            paging: Params = {
                "limit": settings.limit,
                **({"cursor": cursor.page} if cursor.page else {}),
            }
            body, _ = self._get(url, {**params, **paging})
            posts, skipped, next_page = _posts(body, url)
            read, rejected = _read(posts)
            times = [moment for moment, _ in read]
            items = [item for _, item in read if item.text]  # an image alone has nothing to score
            skipped += len(read) - len(items)
            newest = max([*times, *([cursor.newest] if cursor.newest else [])], default=None)
            walked = cursor.walked + 1
            done = (
                not next_page
                or not (posts or skipped)
                or (floor is not None and any(moment <= floor for moment in times))
                or (cursor.since is None and walked >= settings.backfill_pages)
            )
            if done:  # the mark never goes back (the newest post may have been deleted)
                marks = [mark for mark in (newest, cursor.since) if mark is not None]
                after = BlueskyCursor(since=max(marks, default=None))
            else:
                update = {"page": next_page, "newest": newest, "walked": walked}
                after = cursor.model_copy(update=update)
            yield Page(items, after, rejected=rejected, skipped=skipped)
            if done:
                return
            cursor = after

    def _get(self, url: str, params: Params) -> tuple[Any, httpx.Response]:
        """A GET; with a session for search, renewed once when a request is refused."""
        http = self.context.http
        if self.settings.query is None:
            return http.get_json(url, params=params)
        if self._tokens is None:
            self._tokens = self._create_session()
        try:
            return http.get_json(url, params=params, headers=bearer(self._tokens[0]))
        except FatalError:  # an expired (400 ExpiredToken) or revoked (401) access token
            self._tokens = self._refresh_session(self._tokens[1])
            return http.get_json(url, params=params, headers=bearer(self._tokens[0]))

    def _create_session(self) -> tuple[str, str]:
        password = self.context.secret(str(self.settings.password_env), setting="password_env")
        identifier = str(self.settings.identifier)
        return self._session(
            "com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
        )

    def _refresh_session(self, refresh_jwt: str) -> tuple[str, str]:
        try:
            return self._session("com.atproto.server.refreshSession", headers=bearer(refresh_jwt))
        except FatalError:  # the refresh token expired or was revoked too
            return self._create_session()

    def _session(self, method: str, **send: Any) -> tuple[str, str]:
        url = f"{self._root}/xrpc/{method}"
        answer = post_for_tokens(self.context.http, url, **send)
        return token_field(answer, "accessJwt", url), token_field(answer, "refreshJwt", url)


def _posts(body: Any, url: str) -> tuple[list[Any], int, str | None]:
    """The page's posts (reposts and pins left out), how many were left out, the next cursor."""
    if not isinstance(body, dict):
        raise PayloadError(f"{where(url)} did not send a feed")
    if isinstance(body.get("feed"), list):
        entries = [e for e in body["feed"] if isinstance(e, dict)]
        kept = [e.get("post") for e in entries if _reason(e) not in _SKIPPED_REASONS]
        posts, skipped = kept, len(entries) - len(kept)
    elif isinstance(body.get("posts"), list):
        posts, skipped = body["posts"], 0
    else:
        raise PayloadError(f"{where(url)} did not send a feed or search results")
    next_page = body.get("cursor")
    return posts, skipped, next_page if isinstance(next_page, str) and next_page else None


def _reason(entry: Mapping[str, Any]) -> object:
    reason = entry.get("reason")
    return reason.get("$type") if isinstance(reason, dict) else None


def _read(posts: list[Any]) -> tuple[list[tuple[datetime, Item]], list[str]]:
    """(indexedAt, item) of each readable post, and why the others were not read."""
    read: list[tuple[datetime, Item]] = []
    rejected: list[str] = []
    for post in posts:
        try:
            read.append((parse_utc(str(post["indexedAt"])), post_item(post)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            name = post.get("uri") if isinstance(post, dict) else None
            rejected.append(f"post {name!r} is malformed ({exc!r})")
    return read, rejected
