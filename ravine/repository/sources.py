"""Sources and their incremental cursors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ravine.errors import ConfigError
from ravine.models import Document, Source, utcnow
from ravine.repository.bulk import upsert_into

SyncResult = Literal["added", "updated", "unchanged"]


def get_or_create_source(
    session: Session, *, name: str, kind: str, voice: str, entity_id: int | None = None
) -> Source:
    """The named source; created on first use. A name already used for another voice is refused.

    Created by an insert that does nothing when the name exists, so two writers creating the
    same source at once both get it (the second waits for the first to commit, then finds it).
    """
    insert = upsert_into(session.get_bind().dialect.name, Source).values(
        name=name, kind=kind, voice=voice, entity_id=entity_id, settings={}, cursor={},
        created_at=utcnow(),
    )  # fmt: skip
    session.execute(insert.on_conflict_do_nothing(index_elements=["name"]))
    source = session.scalars(select(Source).where(Source.name == name)).one()
    if source.voice != voice or source.kind != kind:
        raise ConfigError(
            f"source {name!r} already holds {source.kind} documents of the {source.voice} voice; "
            "choose another name with --source"
        )
    return source


def save_cursor(session: Session, source: Source, *, cursor: dict[str, Any]) -> None:
    """Store the cursor in the caller's transaction, so it commits with the rows it covers."""
    source.cursor = cursor
    session.flush()


def upsert_source(
    session: Session,
    *,
    name: str,
    kind: str,
    voice: str,
    entity_id: int,
    settings: dict[str, Any],
    enabled: bool,
) -> tuple[Source, SyncResult]:
    """Create the named source or bring it in line with its configuration.

    A source that already holds documents keeps its kind, voice and entity: its documents were
    stored under them, so a change is refused (ConfigError) rather than mixing two streams.
    """
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(
            name=name, kind=kind, voice=voice, entity_id=entity_id, settings=settings,
            enabled=enabled, cursor={},
        )  # fmt: skip
        session.add(source)
        session.flush()
        return source, "added"
    identity = (source.kind, source.voice, source.entity_id)
    if identity != (kind, voice, entity_id) and _has_documents(session, source.id):
        raise ConfigError(
            f"source {name!r} already holds {source.kind} documents of the {source.voice} voice "
            "for another entity, kind or voice; give the changed source a new name"
        )
    wanted = {"kind": kind, "voice": voice, "entity_id": entity_id}
    wanted |= {"settings": settings, "enabled": enabled}
    if all(getattr(source, key) == value for key, value in wanted.items()):
        return source, "unchanged"
    for key, value in wanted.items():
        setattr(source, key, value)
    session.flush()
    return source, "updated"


def _has_documents(session: Session, source_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Document.source_id == source_id))))


def record_outcome(session: Session, source_id: int, *, at: datetime, error: str | None) -> None:
    """Note how the source's latest run ended: success time, or the error to show."""
    source = session.get_one(Source, source_id)
    if error is None:
        source.last_success_at, source.last_error = at, None
    else:
        source.last_error = error
    session.flush()
