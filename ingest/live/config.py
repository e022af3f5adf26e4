"""The schema of the sources file (TOML): entities to track, sources to read, defaults.

A ``[[sources]]`` table holds the keys of :class:`CommonSpec` and, flat beside them, the keys of
its kind's settings model (:mod:`ingest.connectors`). Secrets are never written in the file: a
``*_env`` key names the environment variable that holds one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ingest.alerts.config import AlertsConfig
from ingest.connectors.base import SettingsModel
from ingest.connectors.http import HttpPolicy
from ingest.live.file_values import Duration
from ravine.repository.entities import slugify

DEFAULT_USER_AGENT = "Ravine/0.1 (self-hosted sentiment tracker)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Defaults(_Strict):
    """``[defaults]``: what every source uses unless it says otherwise."""

    every: Duration = 900.0
    max_pages: int = Field(default=20, ge=1, le=100_000, examples=[20])
    timeout: float = Field(default=20.0, gt=0, le=600, examples=[20])
    retries: int = Field(default=3, ge=0, le=10, examples=[3])
    max_wait: Duration = 120.0
    deadline: Duration = 60.0  # a whole request, however slowly the server sends
    max_bytes: int = Field(default=20_000_000, ge=1000, le=2_000_000_000, examples=[20_000_000])
    budget: Duration = 600.0  # a source's run: no page starts after this
    user_agent: str = Field(
        default=DEFAULT_USER_AGENT, min_length=1, examples=["Ravine (ops@acme.com)"]
    )
    keep_raw: bool = False


class EntitySpec(_Strict):
    """``[[entities]]``: aliases match public posts and are masked before scoring."""

    name: str = Field(min_length=1, max_length=200, examples=["Northwind Air"])
    slug: str | None = Field(
        default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", examples=["northwind"]
    )
    aliases: list[str] = Field(default_factory=list, examples=[["Northwind", "@northwind"]])

    @property
    def key(self) -> str:
        return self.slug or slugify(self.name)


class CommonSpec(_Strict):
    """The keys every ``[[sources]]`` table has; the rest belong to its kind."""

    name: str = Field(min_length=1, max_length=200, examples=["northwind-newsroom"])
    kind: str = Field(examples=["rss"])
    entity: str = Field(min_length=1, examples=["northwind-air"])
    voice: Literal["corporate", "public"] = Field(examples=["public"])
    enabled: bool = True
    every: Duration | None = None
    max_pages: int | None = Field(default=None, ge=1, le=100_000, examples=[20])
    timeout: float | None = Field(default=None, gt=0, le=600, examples=[20])
    retries: int | None = Field(default=None, ge=0, le=10, examples=[3])
    deadline: Duration | None = None
    max_bytes: int | None = Field(default=None, ge=1000, le=2_000_000_000, examples=[50_000_000])
    budget: Duration | None = None
    redirect_hosts: list[str] = Field(default_factory=list, examples=[["feeds.example.net"]])
    user_agent: str | None = Field(default=None, min_length=1, examples=["Ravine (ops@acme.com)"])
    match_aliases: bool | None = Field(default=None, examples=[True])
    keep_raw: bool | None = Field(default=None, examples=[True])


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceConfig:
    """One source, resolved against ``[defaults]`` and validated for its kind."""

    name: str
    kind: str
    entity: str  # slug
    voice: str
    enabled: bool
    every: float  # seconds between runs
    max_pages: int
    budget: float  # seconds a run may go on reading new pages
    user_agent: str
    match_aliases: bool
    keep_raw: bool  # store each item as the source gave it (documents.raw)
    policy: HttpPolicy
    settings: SettingsModel
    line: int | None

    def stored_settings(self) -> dict[str, Any]:
        """What the database keeps (for status and next-due); only env var names, no secrets."""
        return {
            **self.settings.model_dump(mode="json"),
            "every_seconds": self.every,
            "max_pages": self.max_pages,
            "match_aliases": self.match_aliases,
            "keep_raw": self.keep_raw,
        }


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    path: Path
    entities: tuple[EntitySpec, ...]
    sources: tuple[SourceConfig, ...]
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
