"""Annotations: events marked on an entity's timeline.

Every write moves the entity's data version (:func:`ravine.repository.totals.bump_versions`),
so the chart and series answers that show annotations are named anew and never served stale.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.models import Annotation
from ravine.repository.totals import bump_versions


def add_annotation(
    session: Session,
    *,
    entity_id: int,
    start: date,
    end: date | None,
    label: str,
    url: str | None,
    created_by: str | None,
) -> Annotation:
    """Store an annotation; a range ending on its first day is stored as that day."""
    annotation = Annotation(
        entity_id=entity_id, start_date=start, end_date=None if end == start else end,
        label=label, url=url, created_by=created_by,
    )  # fmt: skip
    session.add(annotation)
    session.flush()
    bump_versions(session, [entity_id])
    return annotation


def annotations_between(
    session: Session, entity_id: int, since: date | None = None, until: date | None = None
) -> list[Annotation]:
    """The entity's annotations that overlap [since, until] (either open), oldest first."""
    query = select(Annotation).where(Annotation.entity_id == entity_id)
    if until is not None:
        query = query.where(Annotation.start_date <= until)
    if since is not None:
        query = query.where(func.coalesce(Annotation.end_date, Annotation.start_date) >= since)
    return list(session.scalars(query.order_by(Annotation.start_date, Annotation.id)))


def delete_annotation(session: Session, annotation_id: int) -> bool:
    """Delete one annotation; False when there is none with that id."""
    annotation = session.get(Annotation, annotation_id)
    if annotation is None:
        return False
    session.delete(annotation)
    session.flush()
    bump_versions(session, [annotation.entity_id])
    return True
