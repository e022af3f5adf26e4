"""Sources and their incremental cursors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ravine.errors import ConfigError
from ravine.models import Source


def get_or_create_source(
    session: Session, *, name: str, kind: str, voice: str, entity_id: int | None = None
) -> Source:
    """The named source; created on first use. A name already used for another voice is refused."""
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(
            name=name, kind=kind, voice=voice, entity_id=entity_id, settings={}, cursor={}
        )
        session.add(source)
        session.flush()
    elif source.voice != voice or source.kind != kind:
        raise ConfigError(
            f"source {name!r} already holds {source.kind} documents of the {source.voice} voice; "
            "choose another name with --source"
        )
    return source


def save_cursor(session: Session, source: Source, *, cursor: dict[str, Any]) -> None:
    """Store the cursor in the caller's transaction, so it commits with the rows it covers."""
    source.cursor = cursor
    session.flush()
