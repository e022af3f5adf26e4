"""The documents every statistic counts: scored, live, and not a collapsed near-duplicate."""

from __future__ import annotations

import typing
from datetime import datetime

from sqlalchemy import ColumnElement, Table

from ravine.models import Document

_documents = typing.cast(Table, Document.__table__)  # a mapped class always has a Table


def counted_in(
    *, entity_id: int, voice: str, since: datetime, until: datetime
) -> tuple[ColumnElement[bool], ...]:
    """Conditions for one voice's counted documents published in [since, until): a range of
    the (entity, voice, published_at) index, each row then checked."""
    c = _documents.c
    return (
        c.entity_id == entity_id,
        c.voice == voice,
        c.published_at >= since,
        c.published_at < until,
        c.compound.is_not(None),
        c.deleted_at.is_(None),
        c.is_duplicate.is_(False),
    )
