"""Typed SQLAlchemy 2 ORM models: the schema of docs/design.md.

Migrations (``migrations/``) are the only way this schema reaches a database; a test checks that
autogenerate finds no difference between these models and the migrated schema.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A 64-bit key on PostgreSQL; SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite itself keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Ravine stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Voice(enum.StrEnum):
    """Who is speaking: the entity itself, or everyone else about it."""

    CORPORATE = "corporate"
    PUBLIC = "public"


VOICE_CHECK = "voice IN ('corporate', 'public')"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Entity(Base):
    """A tracked company, brand, product or organisation."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    # Bumped by every write that touches the entity's documents or roll-ups: what responses
    # derive their ETag from (see ravine.repository.totals).
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Source(Base):
    """One configured feed of documents, with its incremental cursor."""

    __tablename__ = "sources"
    __table_args__ = (CheckConstraint(VOICE_CHECK, name="voice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    voice: Mapped[str] = mapped_column(String(20))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class Document(Base):
    """One statement or post, with its VADER scores (null while unscored)."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        # One index per sort of the document search; ``id`` breaks ties, so a cursor page is a
        # range of the index (also the statements' and the totals' first/last seeks). A search
        # over both voices merges two ranges (ravine.repository.document_queries).
        Index(None, "entity_id", "voice", "published_at", "id"),
        Index(None, "entity_id", "voice", "compound", "id"),
        Index(None, "published_at", "id"),
        CheckConstraint(VOICE_CHECK, name="voice"),
    )
    # Full-text search lives outside the models: a generated tsvector column ``search`` with a
    # GIN index on PostgreSQL, the FTS5 table ``document_search`` on SQLite (migration
    # 5c2e8f1a9d43; queried by ravine.repository.text_search).

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(512))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    voice: Mapped[str] = mapped_column(String(20))
    author: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime]
    fetched_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    likes: Mapped[int | None]
    reposts: Mapped[int | None]
    replies: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64))
    neg: Mapped[float | None] = mapped_column(Float)
    neu: Mapped[float | None] = mapped_column(Float)
    pos: Mapped[float | None] = mapped_column(Float)
    compound: Mapped[float | None] = mapped_column(Float)
    sentences: Mapped[int | None]
    scorer_version: Mapped[str | None] = mapped_column(String(64))
    unscored_reason: Mapped[str | None] = mapped_column(String(200))
    deleted_at: Mapped[datetime | None]
    # The item as its source gave it, for sources configured with keep_raw; null otherwise.
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # ravine.duplicates.text_key of text and author while near-duplicates collapse (null
    # otherwise, and for a document that can be nobody's duplicate): documents sharing it may
    # be duplicates of each other. Its partial index (migration d3a8e5f1c7b2, see
    # ravine.migrate.TEXT_KEY_INDEX) lives outside the models: a dialect's WHERE option would
    # load that dialect with the models.
    text_key: Mapped[int | None] = mapped_column(BigInteger)
    # A near-duplicate of an earlier document, left out of every roll-up; only ever true
    # while RollupMode.collapse_duplicates is.
    is_duplicate: Mapped[bool] = mapped_column(default=False, server_default=false())


class IngestRun(Base):
    """Append-only log of ingest runs and what each one did."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    fetched: Mapped[int] = mapped_column(default=0)
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class HourlyStat(Base):
    """Exact per-hour (UTC) sums over scored, undeleted documents, for fast series in any zone.

    Hours rather than days so that local days of whole-hour time zones (DST included) are exact
    sums of roll-up rows. Compound scores are counted in units of 1e-4 (VADER rounds to four
    decimals), so every sum is an exact integer: updates and deletes subtract exactly, and
    SQLite and PostgreSQL give identical numbers. ``w`` is the engagement weight
    1 + ⌊log₂(1 + likes + reposts + replies)⌋ (:func:`ravine.rollup.engagement_weight`).
    """

    __tablename__ = "hourly_stats"
    __table_args__ = (CheckConstraint(VOICE_CHECK, name="voice"),)

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    voice: Mapped[str] = mapped_column(String(20), primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
    n_pos: Mapped[int] = mapped_column(BigInteger)
    n_neg: Mapped[int] = mapped_column(BigInteger)
    sum: Mapped[int] = mapped_column(BigInteger)  # Σ x, x = compound × 10⁴
    sum_sq: Mapped[int] = mapped_column(BigInteger)  # Σ x²
    w: Mapped[int] = mapped_column(BigInteger)  # Σ w
    w_sq: Mapped[int] = mapped_column(BigInteger)  # Σ w², for the effective sample size
    w_sum: Mapped[int] = mapped_column(BigInteger)  # Σ w·x
    w_sum_sq: Mapped[int] = mapped_column(BigInteger)  # Σ w·x²
    w_pos: Mapped[int] = mapped_column(BigInteger)  # Σ w over positive documents
    w_neg: Mapped[int] = mapped_column(BigInteger)  # Σ w over negative documents


class RollupMode(Base):
    """How the stored roll-ups count (one row): whether near-duplicates count once. Every
    writer follows it, so the roll-ups stay exact whatever a process's settings say;
    `ravine rollup rebuild` changes it to RAVINE_COLLAPSE_DUPLICATES."""

    __tablename__ = "rollup_mode"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    collapse_duplicates: Mapped[bool] = mapped_column(default=False, server_default=false())


class RollupDay(Base):
    """One UTC day's non-empty ``hourly_stats`` rows of an entity and voice, packed (see
    ravine.repository.rollup_days): a series reads a row per day instead of per hour."""

    __tablename__ = "rollup_days"
    __table_args__ = (CheckConstraint(VOICE_CHECK, name="voice"),)

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    voice: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hours: Mapped[bytes] = mapped_column(LargeBinary)


class VoiceTotal(Base):
    """An entity's live documents per voice: how many, how many scored, first and last.

    Kept exact by every write in the same transaction, so listing entities never counts
    ``documents``; rebuilt with the roll-ups.
    """

    __tablename__ = "voice_totals"
    __table_args__ = (CheckConstraint(VOICE_CHECK, name="voice"),)

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    voice: Mapped[str] = mapped_column(String(20), primary_key=True)
    documents: Mapped[int] = mapped_column(BigInteger)
    scored: Mapped[int] = mapped_column(BigInteger)
    first_at: Mapped[datetime | None]
    last_at: Mapped[datetime | None]


class ApiKey(Base):
    """A key for the REST API; only its SHA-256 is stored, the key itself is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in listings to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Annotation(Base):
    """An event an analyst marks on an entity's timeline (a launch, an outage, an earnings
    call), so a move of the ravine can be read next to its likely cause. Dates are local to
    whoever reads the chart, like the chart's own periods."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        Index(None, "entity_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # null: a single day
    label: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    # The API key's name; null when added with `ravine annotations add`.
    created_by: Mapped[str | None] = mapped_column(String(100))


class AlertEvent(Base):
    """A move of the ravine or of public volume that an alert rule caught, stored once: the
    unique key (rule, entity, day) stops a rerun, a crash or an overlapping check from
    recording, and so sending, the same event twice."""

    __tablename__ = "alert_events"
    __table_args__ = (
        UniqueConstraint("rule", "entity_id", "day"),
        Index(None, "entity_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(200))  # the rule's name in the sources file
    kind: Mapped[str] = mapped_column(String(20))  # band, change_point, volume_spike
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the local day the event is about
    started: Mapped[date | None] = mapped_column(Date)  # a change point's estimated start
    direction: Mapped[str] = mapped_column(String(4))  # up or down
    value: Mapped[float] = mapped_column(Float)
    expected: Mapped[float] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(String(1000))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlertDelivery(Base):
    """One event's message to one channel. Claimed (``sending``) in its own transaction before
    the message leaves, so a check killed mid-send finds it and sends it again under the same
    idempotency key; a failed one is tried again by the next check, never dropped."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "channel"), Index(None, "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("alert_events.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))  # pending, sending, sent, failed, skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(1000))
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
