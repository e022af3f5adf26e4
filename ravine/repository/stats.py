"""Document counts per entity, voice and month, for ``ravine stats``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ravine.models import Document, Entity


@dataclass(frozen=True, slots=True)
class MonthCount:
    entity: str
    voice: str
    month: str  # YYYY-MM, UTC
    documents: int
    scored: int
    mean_compound: float | None


def _month(dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", Document.published_at), "YYYY-MM")
    return func.strftime("%Y-%m", Document.published_at)


def monthly_counts(session: Session, *, entity_id: int | None = None) -> list[MonthCount]:
    """Undeleted documents per entity, voice and UTC month, with how many are scored."""
    month = _month(session.get_bind().dialect.name).label("month")
    query = (
        select(
            Entity.slug,
            Document.voice,
            month,
            func.count(),
            func.count(Document.compound),
            func.avg(Document.compound),
        )
        .join(Entity, Entity.id == Document.entity_id)
        .where(Document.deleted_at.is_(None))
        .group_by(Entity.slug, Document.voice, month)
        .order_by(Entity.slug, Document.voice, month)
    )
    if entity_id is not None:
        query = query.where(Document.entity_id == entity_id)
    return [
        MonthCount(
            entity=slug,
            voice=voice,
            month=month_text,
            documents=documents,
            scored=scored,
            mean_compound=None if mean is None else round(float(mean), 4),
        )
        for slug, voice, month_text, documents, scored, mean in session.execute(query)
    ]
