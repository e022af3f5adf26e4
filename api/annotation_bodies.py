"""Annotations as the API answers them: JSON objects (also in series and chart answers) and a
CSV sheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ravine.models import Annotation, Entity
from ravine.repository.annotations import annotations_between

CSV_COLUMNS = ("id", "date", "end_date", "label", "url", "created_at", "created_by")


class AnnotationOut(BaseModel):
    id: int
    entity: str = Field(description="The entity's slug.")
    date: dt.date
    end_date: dt.date | None = Field(description="Last day of a range; null for a single day.")
    label: str
    url: str | None
    created_at: dt.datetime
    created_by: str | None = Field(
        description="Name of the API key that added it; null when added from the command line."
    )


def annotation_json(annotation: Annotation, slug: str) -> dict[str, Any]:
    """An :class:`AnnotationOut` as plain JSON values."""
    end = annotation.end_date
    return {
        "id": annotation.id, "entity": slug, "date": annotation.start_date.isoformat(),
        "end_date": end and end.isoformat(), "label": annotation.label, "url": annotation.url,
        "created_at": annotation.created_at.isoformat().replace("+00:00", "Z"),
        "created_by": annotation.created_by,
    }  # fmt: skip


def annotations_json(
    session: Session, entity: Entity, since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    """The entity's annotations that overlap [since, until] (either open), oldest first."""
    marked = annotations_between(session, entity.id, since, until)
    return [annotation_json(annotation, entity.slug) for annotation in marked]


def annotations_csv(rows: Sequence[dict[str, Any]]) -> bytes:
    """One row per annotation; a text cell that starts like a formula gets a leading
    apostrophe, so a spreadsheet shows it instead of running it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_cell(row[name]) for name in CSV_COLUMNS] for row in rows)
    return out.getvalue().encode()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return "" if value is None else value
