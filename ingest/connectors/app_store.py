"""Apple App Store customer reviews: the public RSS feed in JSON, per app and storefront.

The feed is unofficial and quirky: ``feed.entry`` is a list, but an object when a page holds a
single review; older shapes put the app itself first (it has no ``im:rating``); at most 10 pages
of 50 reviews per storefront are served (page 11 is a 400); and for some apps and networks it
answers with no ``entry`` at all, which is not an app without reviews, so an empty first page
is flagged (a rejected reason: the run ends ``partial`` with a warning) instead of passing
silently.

Pages are newest first (``sortby=mostrecent``). Each storefront's walk goes back until it
reaches its high-water mark (the newest ``updated`` of its last complete walk, and the ids at
that time), holding the new mark in the cursor until the walk is complete. An edited review
keeps its id with a new ``updated``: it is read again and upserted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, HttpUrl

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import PayloadError
from ingest.connectors.http import where
from ingest.connectors.text import as_count, clean_text, html_to_text, parse_utc

MAX_PAGES = 10  # Apple answers page 11 with a 400


class AppStoreSettings(SettingsModel):
    app_id: int = Field(ge=1, description="The app's numeric App Store id.", examples=[1234567890])
    countries: list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]] = Field(
        default=["us"],
        min_length=1,
        description="Storefronts (two-letter country codes); each holds its own reviews.",
        examples=[["us", "gb"]],
    )
    pages: int = Field(default=MAX_PAGES, ge=1, le=MAX_PAGES, description="Pages per walk.")
    base_url: HttpUrl = Field(default=HttpUrl("https://itunes.apple.com"), description="Feed root.")


class StorefrontCursor(CursorModel):
    updated: datetime | None = None  # newest review of the last complete walk
    ids: list[str] = Field(default_factory=list)  # reviews at ``updated`` (read already)
    page: int = 1  # next page of the walk in progress
    newest: datetime | None = None  # newest review of the walk in progress: the next mark
    newest_ids: list[str] = Field(default_factory=list)


class AppStoreCursor(CursorModel):
    storefronts: dict[str, StorefrontCursor] = Field(default_factory=dict)  # by country code


def _label(entry: Mapping[str, Any], name: str) -> str:
    return str(entry[name]["label"])


def review_item(
    entry: Mapping[str, Any], *, country: str, app_id: int, feed_updated: datetime | None = None
) -> Item:
    """A review entry as an Item; KeyError/TypeError/ValueError when malformed.

    Some feeds leave out a review's own ``updated``: it then takes the feed's (when Apple built
    the feed; the review is no newer), rather than being rejected with all its neighbours."""
    review_id = _label(entry, "id")
    rating = int(_label(entry, "im:rating"))
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} is not 1-5")
    content = entry["content"]
    body = str(content["label"])
    plain = content.get("attributes", {}).get("type") != "html"
    title = clean_text(_label(entry, "title"))
    text = "\n".join(part for part in (title, clean_text(body) if plain else html_to_text(body))
                     if part)  # fmt: skip
    votes = entry.get("im:voteSum", {}).get("label")
    return Item(
        external_id=review_id,
        text=text,
        title=f"{title} ({rating}/5)",  # the stars have no column of their own
        published_at=_published(entry, feed_updated),
        url=f"https://apps.apple.com/{country}/app/id{app_id}#review-{review_id}",
        author=clean_text(str(entry["author"]["name"]["label"])) or None,
        likes=as_count(int(votes)) if isinstance(votes, str) and votes.isdigit() else None,
        raw=entry,
    )


def _published(entry: Mapping[str, Any], feed_updated: datetime | None) -> datetime:
    if "updated" in entry or feed_updated is None:
        return parse_utc(_label(entry, "updated"))  # KeyError when there is none at all
    return feed_updated


def _feed_updated(body: Any) -> datetime | None:
    """The feed's own ``updated``, None when missing or unreadable."""
    try:
        return parse_utc(str(body["feed"]["updated"]["label"]))
    except (KeyError, TypeError, ValueError):
        return None


def _entries(body: Any, url: str) -> list[Any] | None:
    """The feed's entries (a single one arrives as an object), None when it has none."""
    feed = body.get("feed") if isinstance(body, dict) else None
    if not isinstance(feed, dict):
        raise PayloadError(f"{where(url)} did not send an App Store feed")
    entry = feed.get("entry")
    if entry is None:
        return None
    if isinstance(entry, dict):
        return [entry]
    if not isinstance(entry, list):
        raise PayloadError(f"{where(url)}: feed.entry is neither a list nor an object")
    return entry


def _newest(
    read: list[tuple[datetime, str]], mark: datetime | None, ids: list[str]
) -> tuple[datetime | None, list[str]]:
    """The newest time of ``read`` and the mark, with the ids at that time."""
    top = max([moment for moment, _ in read] + ([mark] if mark else []), default=None)
    at_top = [key for moment, key in read if moment == top]
    return top, sorted({*at_top, *(ids if mark == top else [])})


class AppStoreConnector(Connector[AppStoreSettings, AppStoreCursor]):
    kind = "app_store"
    settings_model = AppStoreSettings
    cursor_model = AppStoreCursor
    matches_public_by_default = False  # reviews of the app are about it, named or not

    @property
    def key(self) -> str:
        return f"{str(self.settings.base_url).rstrip('/')}|id{self.settings.app_id}"

    def pages(self, cursor: AppStoreCursor) -> Iterator[Page[AppStoreCursor]]:
        for code in self.settings.countries:
            while True:
                page = self._page(code, cursor)
                yield page
                cursor = page.cursor
                if cursor.storefronts[code].page == 1:  # the walk is complete
                    break

    def _page(self, country: str, cursor: AppStoreCursor) -> Page[AppStoreCursor]:
        state = cursor.storefronts.get(country, StorefrontCursor())
        settings = self.settings
        url = (
            f"{str(settings.base_url).rstrip('/')}/{country}/rss/customerreviews/"
            f"page={state.page}/id={settings.app_id}/sortby=mostrecent/json"
        )
        body, _ = self.context.http.get_json(url)
        entries = _entries(body, url)
        rejected: list[str] = []
        if entries is None and state.page == 1:
            rejected.append(
                f"{country}: the review feed of app {settings.app_id} has no entries (Apple "
                "answers empty for some apps and networks); check the app id and storefront"
            )
        reviews = [e for e in entries or [] if isinstance(e, dict) and "im:rating" in e]
        read: list[tuple[datetime, Item]] = []
        for entry in reviews:
            try:
                item = review_item(
                    entry, country=country, app_id=settings.app_id,
                    feed_updated=_feed_updated(body),
                )  # fmt: skip
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                given = entry.get("id")
                name = given.get("label") if isinstance(given, dict) else None
                rejected.append(f"{country}: review {name!r} is malformed ({exc!r})")
                continue
            read.append((item.published_at, item))
        mark, seen = state.updated, set(state.ids)
        fresh = [
            item
            for moment, item in read
            if mark is None or moment > mark or (moment == mark and item.external_id not in seen)
        ]
        stamps = [(moment, item.external_id) for moment, item in read]
        newest, newest_ids = _newest(stamps, state.newest, state.newest_ids)
        reached = mark is not None and any(moment <= mark for moment, _ in read)
        if not reviews or reached or state.page >= settings.pages:
            walked = [(newest, key) for key in newest_ids] if newest is not None else []
            updated, ids = _newest(walked, mark, state.ids)
            after = StorefrontCursor(updated=updated, ids=ids)
        else:
            after = state.model_copy(
                update={"page": state.page + 1, "newest": newest, "newest_ids": newest_ids}
            )
        cursor = AppStoreCursor(storefronts={**cursor.storefronts, country: after})
        return Page(items=fresh, cursor=cursor, rejected=rejected)
