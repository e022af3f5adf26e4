"""RSS 0.9x/1.0/2.0 and Atom feeds (newsrooms, press wires), parsed by feedparser.

Fetched with a conditional GET: the ETag and Last-Modified of the last response go back as
``If-None-Match`` / ``If-Modified-Since``, so an unchanged feed costs a 304 and no parsing. The
cursor also remembers a fingerprint of each entry of the current feed, so only new or edited
entries are scored and stored again; entries that drop off the feed are not deletions.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
from collections.abc import Iterator
from typing import Any

import feedparser
from pydantic import Field, HttpUrl

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import PayloadError
from ingest.connectors.http import Validators, where
from ingest.connectors.text import clean_text, from_epoch, html_to_text, json_safe

log = logging.getLogger(__name__)

MAX_SEEN = 2_000  # entries remembered; far more than any feed carries at once
_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")
_REPLACEMENT = b"&#xFFFD;"


def unreadable_references_replaced(feed: bytes) -> bytes:
    """A feed with each character reference to a code point no text may hold (NUL, half of a
    UTF-16 pair such as ``&#xD800;``, or beyond Unicode) written as U+FFFD, the replacement
    character. feedparser fails on a whole feed for one of them, on every run; replaced, the
    entry is stored with a visible mark where the bad character was."""

    def replace(match: re.Match[bytes]) -> bytes:
        digits = match[1]
        code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
        bad = code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF
        return _REPLACEMENT if bad else match[0]

    return _REFERENCE.sub(replace, feed) if b"&#" in feed else feed


class RssSettings(SettingsModel):
    url: HttpUrl = Field(description="The feed's URL.", examples=["https://example.com/feed.xml"])
    lang: str | None = Field(
        default=None, description="Language of entries when the feed does not say.", examples=["en"]
    )


class RssCursor(CursorModel):
    etag: str | None = None
    last_modified: str | None = None
    seen: dict[str, str] = Field(default_factory=dict)  # entry id -> fingerprint


def _text_of(detail: Any) -> str:
    """Plain text of a feedparser ``*_detail`` (sanitised HTML, unless declared text/plain)."""
    value = str(detail.get("value") or "")
    return clean_text(value) if detail.get("type") == "text/plain" else html_to_text(value)


def _body(entry: Any) -> tuple[str, str | None]:
    """The entry's fullest text and its language: content, else summary."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        if detail and (text := _text_of(detail)):
            return text, detail.get("language")
    return "", None


def _fingerprint(entry: Any) -> str:
    # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
    parts = (dict.get(entry, "updated", ""), entry.get("title", ""), entry.get("link", ""))
    body = [detail.get("value", "") for detail in entry.get("content", [])]
    payload = "\x1f".join((*parts, *body, entry.get("summary", "")))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def entry_id(entry: Any) -> str:
    """``id``/``guid``, else the link, else a hash of title and date (stable across fetches)."""
    given = entry.get("id") or entry.get("link")
    if given:
        return str(given)
    seed = f"{entry.get('title', '')}\x1f{entry.get('published', entry.get('updated', ''))}"
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()


class RssConnector(Connector[RssSettings, RssCursor]):
    kind = "rss"
    settings_model = RssSettings
    cursor_model = RssCursor

    @property
    def key(self) -> str:
        return str(self.settings.url)

    def pages(self, cursor: RssCursor) -> Iterator[Page[RssCursor]]:
        url = str(self.settings.url)
        validators = Validators(etag=cursor.etag, last_modified=cursor.last_modified)
        response = self.context.http.get(url, validators=validators)
        if response.status_code == 304:
            yield Page(items=(), cursor=cursor)
            return
        parsed = feedparser.parse(
            unreadable_references_replaced(response.content),
            response_headers={k.lower(): v for k, v in response.headers.items()},
        )
        if not parsed.version and not parsed.entries:
            raise PayloadError(f"{where(url)} is not an RSS or Atom feed; check the source's url")
        if parsed.bozo:  # feedparser recovers from most malformed XML; keep what it read
            log.warning("%s is malformed (%s); kept its entries", where(url), parsed.bozo_exception)
        feed_lang = parsed.feed.get("language") or self.settings.lang
        items, rejected, seen = [], [], {}
        for entry in parsed.entries[:MAX_SEEN]:
            key, fingerprint = entry_id(entry), _fingerprint(entry)
            seen[key] = fingerprint
            if cursor.seen.get(key) == fingerprint:
                continue
            item = self._item(entry, key=key, lang=feed_lang)
            if isinstance(item, str):
                rejected.append(item)
            else:
                items.append(item)
        fresh = Validators.of(response)
        yield Page(
            items=items,
            cursor=RssCursor(etag=fresh.etag, last_modified=fresh.last_modified, seen=seen),
            rejected=rejected,
        )

    def _item(self, entry: Any, *, key: str, lang: str | None) -> Item | str:
        """The entry as an Item, or why it cannot be one."""
        moment = entry.get("published_parsed") or entry.get("updated_parsed")
        if moment is None:
            return f"entry {key!r} has no published or updated date"
        title_detail = entry.get("title_detail")
        title = _text_of(title_detail) if title_detail else None
        text, text_lang = _body(entry)
        link = str(entry.get("link") or "")
        return Item(
            external_id=key,
            text=text or title or "",
            title=title or None,
            published_at=from_epoch(calendar.timegm(moment)),
            url=link if link.startswith(("http://", "https://")) else None,
            author=entry.get("author") or None,
            lang=text_lang or lang,
            raw=json_safe(entry),
        )
