"""Reddit: a search, or a subreddit's newest posts, through the OAuth API. Opt-in.

Reddit's API needs an app that Reddit approved (Responsible Builder Policy, November 2025) and,
for a company-facing product, an agreement with Reddit. So a source runs only when the variables
that ``client_id_env`` and ``client_secret_env`` name are set: without them it is skipped with
a one-line warning instead of failing every run (``ravine ingest check`` still reports
variables the file names and the environment lacks).

A client-credentials token is requested once per run and kept in memory until it expires;
``X-Ratelimit-*`` headers (100 requests a minute) are honoured by the shared HTTP layer.
Listings are newest first and paged with ``after``; a walk goes back until it reaches the
high-water mark (the newest ``created_utc`` of the last complete walk, less an overlap) and
holds the new one in the cursor until it is complete. The fullnames of recent posts are kept,
so a post is read once, even when it shows up late (approved after the spam filter held it).
Deleted and removed posts are skipped: their text is gone on Reddit, so it is not stored here.
After each run, the posts of the last ``recheck_days`` are looked up again (``/api/info``, 100
at a time): their scores and comment counts are refreshed, and the ones deleted or removed since
are deleted here too, as Reddit's terms require.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from pydantic import Field, HttpUrl, model_validator

from ingest.connectors.base import (
    Connector,
    CursorModel,
    Item,
    Page,
    Recheck,
    Rechecking,
    SettingsModel,
)
from ingest.connectors.errors import PayloadError
from ingest.connectors.http import Params, where
from ingest.connectors.text import as_count, clean_text, from_epoch, html_to_text
from ingest.connectors.tokens import bearer, post_for_tokens, token_field

log = logging.getLogger(__name__)

MAX_SEEN = 1_000  # fullnames kept: a listing serves about 1,000 posts at most
INFO_BATCH = 100  # fullnames per /api/info request, Reddit's maximum
_GONE = ("[deleted]", "[removed]")
_ENV = r"^[A-Za-z_][A-Za-z0-9_]*$"


class RedditSettings(SettingsModel):
    query: str | None = Field(default=None, description="Words to search for.", examples=["NWND"])
    subreddit: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_]{2,21}$",
        description="A subreddit (without r/): its newest posts, or the search within it.",
        examples=["northwindair"],
    )
    client_id_env: str = Field(
        default="REDDIT_CLIENT_ID", pattern=_ENV, description="Variable holding the client id."
    )
    client_secret_env: str = Field(
        default="REDDIT_CLIENT_SECRET", pattern=_ENV, description="Variable holding its secret."
    )
    base_url: HttpUrl = Field(default=HttpUrl("https://oauth.reddit.com"), description="API root.")
    token_url: HttpUrl = Field(
        default=HttpUrl("https://www.reddit.com/api/v1/access_token"), description="OAuth token."
    )
    limit: int = Field(default=100, ge=1, le=100, description="Posts per page.")
    backfill_pages: int = Field(default=5, ge=1, le=10, description="First run: pages back.")
    overlap_seconds: int = Field(default=3600, ge=0, le=86_400)
    recheck_days: float = Field(
        default=3, ge=0, le=3650, description="Look posts this recent up again; 0: never."
    )

    @model_validator(mode="after")
    def _something_to_read(self) -> RedditSettings:
        if self.query is None and self.subreddit is None:
            raise ValueError('give query = "words", subreddit = "name", or both')
        return self


class RedditCursor(CursorModel):
    since: float | None = None  # newest created_utc of the last complete walk
    seen: list[str] = Field(default_factory=list)  # fullnames read, newest first
    after: str | None = None  # the listing's ``after`` of the walk in progress
    newest: float | None = None  # newest created_utc of the walk in progress: the next since
    walked: int = 0  # pages of the walk in progress


def post_item(post: Mapping[str, Any]) -> Item | None:
    """A post (``t3`` data) as an Item; None when it was deleted or removed;
    KeyError/TypeError/ValueError when it is malformed."""
    selftext = str(post.get("selftext") or "")
    if post.get("removed_by_category") or selftext in _GONE:
        return None
    title = clean_text(str(post.get("title") or ""))
    html = post.get("selftext_html")  # the Markdown rendered; absent for link posts
    body = html_to_text(html) if isinstance(html, str) else clean_text(selftext)
    author = post.get("author")
    return Item(
        external_id=str(post["name"]),
        text="\n".join(part for part in (title, body) if part),
        title=title or None,
        published_at=from_epoch(float(post["created_utc"])),
        url="https://www.reddit.com" + str(post["permalink"]),
        author=str(author) if author and author not in _GONE else None,
        likes=as_count(post.get("score")),
        replies=as_count(post.get("num_comments")),
        raw=post,
    )


class RedditConnector(Connector[RedditSettings, RedditCursor], Rechecking):
    kind = "reddit"
    settings_model = RedditSettings
    cursor_model = RedditCursor
    _token: tuple[str, datetime] | None = None  # (access token, when to renew): memory only

    @property
    def key(self) -> str:
        s = self.settings
        return f"{str(s.base_url).rstrip('/')}|r/{s.subreddit or ''}|{s.query or ''}"

    @property
    def _what(self) -> str:
        s = self.settings
        place = f"Reddit r/{s.subreddit}" if s.subreddit else "Reddit"
        return f"{place} search {s.query!r}" if s.query else place

    @property
    def _missing(self) -> list[str]:
        """The credential variables that are not set (the source is off while any is not)."""
        names = (self.settings.client_id_env, self.settings.client_secret_env)
        return [name for name in names if not self.context.environ.get(name)]

    @property
    def recheck_window(self) -> timedelta:
        return timedelta(days=self.settings.recheck_days)

    def recheck(self, external_ids: Sequence[str]) -> Iterator[Recheck]:
        if self._missing:
            return
        url = f"{str(self.settings.base_url).rstrip('/')}/api/info"
        for start in range(0, len(external_ids), INFO_BATCH):
            names = ",".join(external_ids[start : start + INFO_BATCH])
            body, _ = self.context.http.get_json(
                url, params={"id": names, "raw_json": 1}, headers=self._auth()
            )
            items, gone = [], []
            for post in _listing(body, url)[0]:
                try:
                    item = post_item(post)
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue  # unreadable now: left as stored
                if item is None:
                    gone.append(str(post["name"]))
                else:
                    items.append(item)
            yield Recheck(items, gone)

    def pages(self, cursor: RedditCursor) -> Iterator[Page[RedditCursor]]:
        settings = self.settings
        if missing := self._missing:
            log.warning(
                "%s skipped: %s not set; Reddit's API needs an app Reddit approved "
                "(see docs/ingest.md, reddit)", self._what, " and ".join(missing),
            )  # fmt: skip
            return
        url, params = self._endpoint()
        floor = None if cursor.since is None else cursor.since - settings.overlap_seconds
        while True:
            paging: Params = {
                "limit": settings.limit,
                **({"after": cursor.after} if cursor.after else {}),
            }
            body, _ = self.context.http.get_json(
                url, params={**params, **paging}, headers=self._auth()
            )
            posts, next_page = _listing(body, url)
            items, rejected, skipped, read = _read(posts, seen=set(cursor.seen))
            times = [moment for moment, _ in read]
            newest = max(
                [*times, *([cursor.newest] if cursor.newest is not None else [])], default=None
            )
            names_read = [name for _, name in read]
            walked = cursor.walked + 1
            done = (
                not next_page
                or (floor is not None and any(moment <= floor for moment in times))
                or (cursor.since is None and walked >= settings.backfill_pages)
            )
            seen = [*dict.fromkeys([*names_read, *cursor.seen])][:MAX_SEEN]
            if done:  # the mark never goes back (the newest post may have been deleted)
                marks = [mark for mark in (newest, cursor.since) if mark is not None]
                after = RedditCursor(since=max(marks, default=None), seen=seen)
            else:
                update = {"after": next_page, "newest": newest, "walked": walked, "seen": seen}
                after = cursor.model_copy(update=update)
            yield Page(items, after, rejected=rejected, skipped=skipped)
            if done:
                return
            cursor = after

    def _endpoint(self) -> tuple[str, Params]:
        s, root = self.settings, str(self.settings.base_url).rstrip("/")
        common: dict[str, str | int] = {"raw_json": 1}
        if s.query is None:
            return f"{root}/r/{quote(str(s.subreddit))}/new", common
        search = {**common, "q": s.query, "sort": "new", "t": "all", "type": "link"}
        if s.subreddit is None:
            return f"{root}/search", search
        return f"{root}/r/{quote(s.subreddit)}/search", {**search, "restrict_sr": 1}

    def _auth(self) -> dict[str, str]:
        """The bearer header; a new client-credentials token when there is none or it expired."""
        now = self.context.now()
        if self._token is None or now >= self._token[1]:
            s, url = self.settings, str(self.settings.token_url)
            credentials = (
                self.context.secret(s.client_id_env, setting="client_id_env"),
                self.context.secret(s.client_secret_env, setting="client_secret_env"),
            )
            grant = {"grant_type": "client_credentials"}
            answer = post_for_tokens(self.context.http, url, auth=credentials, data=grant)
            lifetime = answer.get("expires_in")
            seconds = lifetime if isinstance(lifetime, int | float) else 3600
            renew = now + timedelta(seconds=seconds - 60)
            self._token = token_field(answer, "access_token", url), renew
        return bearer(self._token[0])


def _listing(body: Any, url: str) -> tuple[list[Any], str | None]:
    """The posts of a Listing and its ``after`` (None at the end)."""
    try:
        data = body["data"]
        children = data["children"]
        posts = [child["data"] for child in children if child.get("kind") == "t3"]
    except (TypeError, KeyError, AttributeError):
        raise PayloadError(f"{where(url)} did not send a Reddit listing") from None
    after = data.get("after")
    return posts, after if isinstance(after, str) and after else None


def _read(
    posts: list[Any], *, seen: set[str]
) -> tuple[list[Item], list[str], int, list[tuple[float, str]]]:
    """New items, why unreadable posts were not read, how many were deleted or removed, and
    (created_utc, fullname) of every readable post (new or not: they move the high-water mark)."""
    items: list[Item] = []
    rejected: list[str] = []
    read: list[tuple[float, str]] = []
    skipped = 0
    for post in posts:
        try:
            stamp = (float(post["created_utc"]), str(post["name"]))
            item = post_item(post)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            name = post.get("name") if isinstance(post, dict) else None
            rejected.append(f"post {name!r} is malformed ({exc!r})")
            continue
        read.append(stamp)
        if item is None:
            skipped += 1
        elif item.external_id not in seen:
            items.append(item)
    return items, rejected, skipped, read
