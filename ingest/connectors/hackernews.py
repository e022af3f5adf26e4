"""Hacker News stories and comments through Algolia's ``search_by_date`` (newest first).

A pass reads everything created after the cursor's ``since`` (less an overlap window, for items
indexed late), page by page under a fixed upper bound ``until`` so new arrivals cannot shift
the pages. Algolia serves at most 1,000 hits per query: when a slice hits that cap, the next
slice ends at the oldest hit read (its ids at that second are remembered to skip them). The
new high-water mark is held in the cursor until the pass completes, so a run stopped anywhere
resumes where it was and never skips the older part of a pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import Field, HttpUrl

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import PayloadError
from ingest.connectors.http import Params, where
from ingest.connectors.text import as_count, from_epoch, html_to_text

ITEM_URL = "https://news.ycombinator.com/item?id="
SEARCH_PATH = "/api/v1/search_by_date"


class HackerNewsSettings(SettingsModel):
    query: str = Field(min_length=1, description="Words to search for.", examples=["Northwind"])
    tags: str = Field(default="(story,comment)", description="Algolia tags filter.")
    base_url: HttpUrl = Field(default=HttpUrl("https://hn.algolia.com"), description="API root.")
    hits_per_page: int = Field(default=100, ge=1, le=1000)
    since: datetime | date | None = Field(
        default=None,
        description="First run: read items from this time on.",
        examples=["2025-01-01"],
    )
    backfill_days: int = Field(default=30, ge=0, le=3650, description="First run without since.")
    overlap_seconds: int = Field(default=300, ge=0, le=86_400)


class HackerNewsCursor(CursorModel):
    since: int | None = None  # everything created up to here (epoch s) is stored
    until: int | None = None  # the slice being read ends here (inclusive); None: not started
    page: int = 0  # next page of the slice
    newest: int | None = None  # newest item of this pass: the next pass's ``since``
    boundary: list[str] = Field(default_factory=list)  # ids at ``until`` already read

    @property
    def between_passes(self) -> bool:
        return self.until is None and self.page == 0


def _start(settings: HackerNewsSettings, now: datetime) -> int:
    since = settings.since
    if since is None:
        return int((now - timedelta(days=settings.backfill_days)).timestamp())
    if not isinstance(since, datetime):
        since = datetime(since.year, since.month, since.day, tzinfo=UTC)
    return int((since if since.tzinfo else since.replace(tzinfo=UTC)).timestamp())


def _hits(body: Any, url: str) -> tuple[list[Any], int, int]:
    try:
        hits, nb_hits, nb_pages = body["hits"], int(body["nbHits"]), int(body["nbPages"])
    except (TypeError, KeyError, ValueError):
        raise PayloadError(f"{where(url)} did not send Algolia search results") from None
    if not isinstance(hits, list):
        raise PayloadError(f"{where(url)}: 'hits' is not a list")
    return hits, nb_hits, nb_pages


def _text(hit: Any, key: str) -> str | None:
    value = hit.get(key)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{key} is {type(value).__name__}, not text")
    return value


def hit_item(hit: Any) -> Item:
    """A story or comment as an Item; KeyError/TypeError/ValueError when malformed."""
    object_id = str(hit["objectID"])
    created = int(hit["created_at_i"])
    comment = _text(hit, "comment_text")
    if comment is not None:
        text, title, replies = html_to_text(comment), None, None
    else:
        title = _text(hit, "title") or ""
        body = html_to_text(_text(hit, "story_text") or "")
        text, replies = "\n".join(part for part in (title, body) if part), hit.get("num_comments")
    return Item(
        external_id=object_id,
        text=text,
        title=title or None,
        published_at=from_epoch(created),
        url=ITEM_URL + object_id,
        author=_text(hit, "author") or None,
        likes=as_count(hit.get("points")),
        replies=as_count(replies),
        raw=hit,
    )


class HackerNewsConnector(Connector[HackerNewsSettings, HackerNewsCursor]):
    kind = "hackernews"
    settings_model = HackerNewsSettings
    cursor_model = HackerNewsCursor

    @property
    def key(self) -> str:
        return f"{self.settings.base_url}|{self.settings.query}|{self.settings.tags}"

    def pages(self, cursor: HackerNewsCursor) -> Iterator[Page[HackerNewsCursor]]:
        settings = self.settings
        url = str(settings.base_url).rstrip("/") + SEARCH_PATH
        since = cursor.since if cursor.since is not None else _start(settings, self.context.now())
        cursor = cursor.model_copy(update={"since": since})
        lower = since - settings.overlap_seconds  # the same for every page of a pass
        while True:
            filters = [f"created_at_i>{lower}"]
            if cursor.until is not None:
                filters.append(f"created_at_i<={cursor.until}")
            params: Params = {
                "query": settings.query,
                "tags": settings.tags,
                "numericFilters": ",".join(filters),
                "hitsPerPage": settings.hits_per_page,
                "page": cursor.page,
            }
            body, _ = self.context.http.get_json(url, params=params)
            hits, nb_hits, nb_pages = _hits(body, url)
            page = self._page(cursor, hits, nb_hits=nb_hits, nb_pages=nb_pages)
            yield page
            cursor = page.cursor
            if cursor.between_passes:
                return

    def _page(
        self, cursor: HackerNewsCursor, hits: list[Any], *, nb_hits: int, nb_pages: int
    ) -> Page[HackerNewsCursor]:
        read, rejected = _read(hits)
        times = [moment for moment, _ in read]
        items = [item for _, item in read if item.external_id not in cursor.boundary]
        newest = max([*times, *([] if cursor.newest is None else [cursor.newest])], default=None)
        if hits and cursor.page + 1 < nb_pages:  # more pages in this slice
            until = cursor.until if cursor.until is not None else max(times, default=None)
            after = cursor.model_copy(
                update={"until": until, "page": cursor.page + 1, "newest": newest}
            )
        elif times and nb_hits > (cursor.page + 1) * self.settings.hits_per_page:
            # Algolia's 1,000-hit cap: go on in a slice that ends at the oldest hit read.
            oldest = min(times)
            if cursor.until is not None and oldest >= cursor.until:  # a whole slice in 1 second
                oldest = cursor.until - 1
            boundary = [item.external_id for moment, item in read if moment == oldest]
            after = HackerNewsCursor(
                since=cursor.since, until=oldest, newest=newest, boundary=boundary
            )
        else:  # the pass is complete: its newest item is the next pass's starting point
            after = HackerNewsCursor(since=cursor.since if newest is None else newest)
        return Page(items=items, cursor=after, rejected=rejected)


def _read(hits: list[Any]) -> tuple[list[tuple[int, Item]], list[str]]:
    """(created_at_i, item) of each well-formed hit, and why the others were not read."""
    read: list[tuple[int, Item]] = []
    rejected: list[str] = []
    for hit in hits:
        try:
            item = hit_item(hit)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            name = hit.get("objectID") if isinstance(hit, dict) else None
            rejected.append(f"hit {name!r} is malformed ({exc!r})")
            continue
        read.append((int(item.published_at.timestamp()), item))
    return read, rejected
