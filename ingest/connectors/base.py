"""The connector interface: given the stored cursor, yield pages of documents and the cursor
after each page.

A connector only reads. The runner stores each page's documents and the page's cursor in one
transaction, so the cursor of a page must be a safe restart point: everything before it is in
that page or an earlier one. Newest-first APIs therefore hold their new high-water mark in the
cursor until their walk back in time is complete (see :mod:`ingest.connectors.hackernews`).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from ingest.connectors.errors import FatalError
from ingest.connectors.http import HttpClient


class SettingsModel(BaseModel):
    """Kind-specific settings of a source, as written in the sources file."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CursorModel(BaseModel):
    """Where a source's stream stands; stored as JSON with the source."""

    model_config = ConfigDict(extra="forbid", frozen=True)


SettingsT = TypeVar("SettingsT", bound=SettingsModel)
CursorT = TypeVar("CursorT", bound=CursorModel)


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One document as its source gave it, normalised: plain text, an aware UTC time."""

    external_id: str
    text: str
    published_at: datetime
    title: str | None = None
    url: str | None = None
    author: str | None = None
    lang: str | None = None
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    raw: Mapping[str, Any] | None = None  # the upstream record (JSON values), for keep_raw


@dataclass(frozen=True, slots=True)
class Page(Generic[CursorT]):
    """Documents and the cursor to store with them.

    ``rejected`` holds one reason per upstream item that could not be read (counted, logged,
    never stored); ``skipped`` counts items left out on purpose (boosts, opted-out accounts).
    """

    items: Sequence[Item]
    cursor: CursorT
    rejected: Sequence[str] = ()
    skipped: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What the runner lends a connector: HTTP, the clock, secrets, limits."""

    http: HttpClient
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    max_text_chars: int = 100_000

    def secret(self, variable: str, *, setting: str) -> str:
        """The value of the environment variable a ``*_env`` setting names."""
        value = self.environ.get(variable, "")
        if not value:
            raise FatalError(
                f"environment variable {variable} (named by {setting}) is not set; "
                "export it where `ravine ingest run` runs"
            )
        return value


class Connector(ABC, Generic[SettingsT, CursorT]):
    """One kind of source. Subclasses declare their kind, settings and cursor models."""

    kind: ClassVar[str]
    settings_model: ClassVar[type[SettingsModel]]
    cursor_model: ClassVar[type[CursorModel]]
    # Public posts are kept only when they mention the entity; a kind whose documents were
    # chosen by a person (a directory of files) keeps everything unless configured otherwise.
    matches_public_by_default: ClassVar[bool] = True

    def __init__(self, settings: SettingsT, context: Context) -> None:
        self.settings = settings
        self.context = context

    @property
    @abstractmethod
    def key(self) -> str:
        """What the cursor belongs to (a feed URL, a query, a timeline): when the settings
        change it, the stored cursor no longer applies and the stream starts afresh."""

    @abstractmethod
    def pages(self, cursor: CursorT) -> Iterator[Page[CursorT]]:
        """Pages after ``cursor`` (a fresh ``cursor_model()`` on the first run), oldest work
        first where the API allows; the runner may stop after any page."""


@dataclass(frozen=True, slots=True)
class Recheck:
    """Stored documents looked up again: their current versions, and the ids of those that
    were deleted at the source."""

    items: Sequence[Item]
    gone: Sequence[str]


class Rechecking(ABC):
    """A connector that can look stored documents up again, after reading new ones: their
    engagement keeps growing for days, and a document deleted at its source must be deleted
    here too (Reddit's terms require it)."""

    @property
    @abstractmethod
    def recheck_window(self) -> timedelta:
        """How far back documents are looked up again; zero turns rechecking off."""

    @abstractmethod
    def recheck(self, external_ids: Sequence[str]) -> Iterator[Recheck]:
        """The current state of these documents, a batch at a time."""
