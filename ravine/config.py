"""One Settings class, read from ``RAVINE_*`` environment variables and CLI flags.

Nothing is read at import time: call :func:`load_settings` where settings are needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ravine.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///ravine.db"


class Settings(BaseSettings):
    """Deployment settings; every field can be set as ``RAVINE_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="RAVINE_", extra="ignore", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; default: the SQLite file ravine.db in the working directory.",
    )
    batch_size: int = Field(5000, ge=1, le=100_000, description="Documents per write transaction.")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        le=256,
        description="Scoring processes; default all cores.",
    )
    lexicon_overrides: Path | None = Field(
        None, description="TSV or JSON file of word -> valence overrides for VADER's lexicon."
    )
    scorer: Literal["fast", "reference"] = Field(
        "fast",
        description="VADER implementation: fast (vaderSentiment's exact scores, several times "
        "faster) or reference (vaderSentiment itself).",
    )
    sentiment_model: Literal["finance", "vader"] = Field(
        "finance",
        description="finance: VADER with a finance lexicon and rules where a direction word "
        'acts on the metric it modifies ("profit fell", "loss narrowed"); texts with no '
        "finance pattern get VADER's own scores. vader: VADER alone. A change makes stored "
        "scores stale: run `ravine score --rescore`.",
    )
    max_text_chars: int = Field(
        100_000, ge=100, description="Longest accepted document text, in characters."
    )
    echo_sql: bool = Field(False, description="Log every SQL statement (debugging only).")
    read_requires_key: bool = Field(
        False, description="Require an API key for reads too (writes always need one)."
    )
    hour_cache_mb: int = Field(
        64, ge=0, le=100_000,
        description="Memory per server process for entities' roll-up hours, and as much again "
        "for their author samples, in MB (0: none).",
    )  # fmt: skip
    response_cache_mb: int = Field(
        64, ge=0, le=100_000,
        description="Memory per server process for computed responses, in MB (0: none).",
    )  # fmt: skip
    allow_private_network: bool = Field(
        False,
        description="Let sources read private, loopback and link-local addresses (local "
        "services, tests); off, a feed cannot make the runner fetch from inside its network.",
    )
    dashboard_url: str | None = Field(
        None,
        pattern=r"^https?://",
        description="Where analysts open this installation's dashboard (e.g. "
        "https://ravine.example.com): alert messages link to the event's chart there.",
    )
    max_body_mb: int = Field(
        20, ge=1, le=10_000,
        description="Largest request body the API reads, in MB (a push of 1,000 posts is "
        "well under 1 MB); larger ones are refused with 413.",
    )  # fmt: skip
    collapse_duplicates: bool = Field(
        False,
        description="Count near-duplicates once: a document whose normalised text repeats an "
        "earlier one of the same entity and voice, by its author within 30 days or by anyone "
        "within 24 hours, is stored and listed but left out of every statistic. A change "
        "takes effect with `ravine rollup rebuild`; until then writers refuse to run.",
    )
    concurrent_requests: int = Field(
        4, ge=1, le=1000,
        description="Data requests one server process works on at once; the others wait "
        "their turn and are dropped if their client leaves.",
    )  # fmt: skip

    @field_validator("database_url")
    @classmethod
    def _valid_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                f"cannot parse {value!r} as a database URL; expected e.g. sqlite:///ravine.db "
                "or postgresql+psycopg://user@host:5432/dbname"
            ) from None
        if url.drivername == "postgresql":  # psycopg 3 is the driver we ship for PostgreSQL.
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError(
                f"unsupported database {url.get_backend_name()!r}; use sqlite:///FILE "
                "or postgresql+psycopg://…"
            )
        return url.render_as_string(hide_password=False)

    @field_validator("lexicon_overrides")
    @classmethod
    def _overrides_exist(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"lexicon overrides file {str(value)!r} does not exist")
        return value


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, with non-``None`` CLI ``overrides`` on top.

    Raises :class:`ConfigError` with one line per invalid field, naming the environment variable.
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            source = f"--{field.replace('_', '-')}" if field in given else f"RAVINE_{field.upper()}"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{source}: {message}")
        raise ConfigError("invalid settings: " + "; ".join(problems)) from None
