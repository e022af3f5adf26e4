"""Mastodon: an account's statuses or a hashtag timeline, on any instance.

The first run walks back from the newest status for ``backfill_pages`` pages (newest first, so
the high-water mark waits in the cursor until the walk ends); later runs ask for statuses newer
than the cursor's ``min_id``, page by page through the ``Link: rel="prev"`` header, oldest
first, so each page's cursor is a safe restart point. Each later run also re-reads the newest
page: edits and engagement of recent statuses are upserted. IDs are opaque strings, never
numbers. Boosts and statuses of accounts that opted out of indexing (``noindex``) are skipped.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import Field, HttpUrl, model_validator

from ingest.connectors.base import Connector, CursorModel, Item, Page, SettingsModel
from ingest.connectors.errors import PayloadError
from ingest.connectors.http import Params, where
from ingest.connectors.text import as_count, html_to_text, parse_utc


class MastodonSettings(SettingsModel):
    instance: HttpUrl = Field(
        description="The instance's URL.", examples=["https://mastodon.social"]
    )
    account: str | None = Field(
        default=None, description="user or user@domain.", examples=["northwind"]
    )
    hashtag: str | None = Field(
        default=None, description="A tag, without #.", examples=["northwind"]
    )
    local: bool = Field(default=False, description="Hashtag timeline: only this instance's posts.")
    exclude_replies: bool = Field(default=True, description="Account statuses: leave replies out.")
    token_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        examples=["MASTODON_TOKEN"],
        description="Environment variable holding an access token (read:statuses).",
    )
    limit: int = Field(
        default=40, ge=1, le=40, description="Statuses per page (Mastodon's maximum: 40)."
    )
    backfill_pages: int = Field(
        default=5, ge=1, le=1000, description="First run: pages of history."
    )
    refresh_recent: bool = Field(default=True, description="Re-read the newest page for edits.")

    @model_validator(mode="after")
    def _one_timeline(self) -> MastodonSettings:
        if (self.account is None) == (self.hashtag is None):
            raise ValueError('give exactly one of account = "user@domain" or hashtag = "tag"')
        return self


class MastodonCursor(CursorModel):
    account_id: str | None = None  # looked up once
    min_id: str | None = None  # the newest status stored; None until the backfill is done
    backfill_max_id: str | None = None  # where the first run's walk back in time stands
    backfill_newest: str | None = None  # newest id the walk saw: min_id once it is done
    backfill_done: int = 0  # pages walked back so far


def _link_param(response: httpx.Response, rel: str, name: str) -> str | None:
    url = response.links.get(rel, {}).get("url")
    return httpx.URL(url).params.get(name) if url else None


def status_item(status: Mapping[str, Any]) -> Item:
    """A status as an Item; KeyError/TypeError/ValueError when it is malformed."""
    account = status["account"]
    text = html_to_text(str(status.get("content") or ""))
    if spoiler := str(status.get("spoiler_text") or "").strip():
        text = f"{spoiler}\n{text}" if text else spoiler
    return Item(
        external_id=str(status["uri"]),  # ``id`` differs on every instance; ``uri`` does not
        text=text,
        published_at=parse_utc(str(status["created_at"])),
        url=status.get("url") or str(status["uri"]),
        author=str(account["acct"]),
        lang=status.get("language") or None,
        likes=as_count(status.get("favourites_count")),
        reposts=as_count(status.get("reblogs_count")),
        replies=as_count(status.get("replies_count")),
        raw=status,
    )


class MastodonConnector(Connector[MastodonSettings, MastodonCursor]):
    kind = "mastodon"
    settings_model = MastodonSettings
    cursor_model = MastodonCursor

    @property
    def _root(self) -> str:
        return str(self.settings.instance).rstrip("/")

    @property
    def key(self) -> str:
        s = self.settings
        timeline = f"@{s.account}" if s.account else f"tags/{s.hashtag}{'/local' * s.local}"
        return f"{self._root}/{timeline}"

    def pages(self, cursor: MastodonCursor) -> Iterator[Page[MastodonCursor]]:
        cursor = cursor.model_copy(update={"account_id": self._account_id(cursor)})
        url, filters = self._timeline(cursor.account_id)
        if cursor.min_id is None:
            cursor = yield from self._walk_back(url, filters, cursor)
            if cursor.min_id is None:  # an empty timeline: the next run walks back again
                return
        elif self.settings.refresh_recent:
            statuses, _ = self._get(url, filters)
            yield self._page(statuses, cursor)  # the cursor stays: this page was seen before
        while True:
            statuses, response = self._get(url, {**filters, "min_id": cursor.min_id})
            if not statuses:
                return
            newest = _link_param(response, "prev", "min_id") or str(statuses[0]["id"])
            cursor = cursor.model_copy(update={"min_id": newest})
            yield self._page(statuses, cursor)

    def _walk_back(
        self, url: str, filters: Params, cursor: MastodonCursor
    ) -> Generator[Page[MastodonCursor], None, MastodonCursor]:
        """The first run: newest page first, then older ones through ``rel="next"``."""
        while True:
            params = {
                **filters,
                **({"max_id": cursor.backfill_max_id} if cursor.backfill_max_id else {}),
            }
            statuses, response = self._get(url, params)
            newest = cursor.backfill_newest or (str(statuses[0]["id"]) if statuses else None)
            older = _link_param(response, "next", "max_id") or (
                str(statuses[-1]["id"]) if statuses else None
            )
            walked = cursor.backfill_done + 1
            if not statuses or older is None or walked >= self.settings.backfill_pages:
                cursor = MastodonCursor(account_id=cursor.account_id, min_id=newest)
                yield self._page(statuses, cursor)
                return cursor
            cursor = cursor.model_copy(
                update={
                    "backfill_max_id": older,
                    "backfill_newest": newest,
                    "backfill_done": walked,
                }
            )
            yield self._page(statuses, cursor)

    def _page(self, statuses: list[dict[str, Any]], cursor: MastodonCursor) -> Page[MastodonCursor]:
        items: list[Item] = []
        rejected: list[str] = []
        skipped = 0
        for status in statuses:
            account = status.get("account")
            opted_out = (
                self.settings.hashtag and isinstance(account, dict) and account.get("noindex")
            )
            if status.get("reblog") is not None or opted_out:
                skipped += 1
                continue
            try:
                items.append(status_item(status))
            except (KeyError, TypeError, ValueError) as exc:
                rejected.append(f"status {status['id']!r} is malformed ({exc!r})")
        return Page(items=items, cursor=cursor, rejected=rejected, skipped=skipped)

    def _timeline(self, account_id: str | None) -> tuple[str, Params]:
        settings = self.settings
        if account_id is not None:
            filters: dict[str, str | int] = {"limit": settings.limit, "exclude_reblogs": "true"}
            if settings.exclude_replies:
                filters["exclude_replies"] = "true"
            return f"{self._root}/api/v1/accounts/{quote(account_id)}/statuses", filters
        local = {"local": "true"} if settings.local else {}
        tag = quote(str(settings.hashtag).lstrip("#"))
        return f"{self._root}/api/v1/timelines/tag/{tag}", {"limit": settings.limit, **local}

    def _account_id(self, cursor: MastodonCursor) -> str | None:
        if self.settings.account is None or cursor.account_id is not None:
            return cursor.account_id
        url = f"{self._root}/api/v1/accounts/lookup"
        account, _ = self.context.http.get_json(
            url, params={"acct": self.settings.account.lstrip("@")}, headers=self._auth()
        )
        if not isinstance(account, dict) or not isinstance(account.get("id"), str):
            raise PayloadError(f"{where(url)} did not send an account")
        return str(account["id"])

    def _auth(self) -> dict[str, str]:
        variable = self.settings.token_env
        if variable is None:
            return {}
        return {"Authorization": f"Bearer {self.context.secret(variable, setting='token_env')}"}

    def _get(self, url: str, params: Params) -> tuple[list[dict[str, Any]], httpx.Response]:
        """A page of statuses, newest first; anything but a list of statuses is a payload error."""
        body, response = self.context.http.get_json(url, params=params, headers=self._auth())
        if not isinstance(body, list) or not all(
            isinstance(s, dict) and isinstance(s.get("id"), str) for s in body
        ):
            raise PayloadError(f"{where(url)} did not send a list of statuses")
        return body, response
