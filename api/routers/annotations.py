"""Annotations: events analysts mark on an entity's timeline (a launch, an outage, an earnings
call), drawn on its chart and listed with its series, so a move of the ravine can be read next
to its likely cause. Adding and deleting need an API key; listing is a read like any other."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field, model_validator

from api.annotation_bodies import (
    AnnotationOut,
    annotation_json,
    annotations_csv,
    annotations_json,
)
from api.deps import Caches, ReadSession, SessionFactory, WriteKey, check_read_access
from api.params import check_day, printable
from api.ravine_bodies import dumps
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.routers.ravine_params import SinceQ, UntilQ, local_days
from ravine.db import session_scope
from ravine.errors import NotFoundError
from ravine.repository.annotations import add_annotation, delete_annotation

router = APIRouter(prefix="/annotations", tags=["annotations"])
reads = [Depends(check_read_access)]
MAX_ID = 2**31 - 1  # the id column's range on every backend


def _in_range(day: date) -> date:
    return check_day(day, "the date")


def web_address(value: str | None) -> str | None:
    """Only http and https links: the dashboard makes them clickable."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise ValueError("must be an http:// or https:// address, e.g. https://example.com/news")
    return value


Day = Annotated[date, AfterValidator(_in_range)]


class AnnotationIn(BaseModel):
    entity: str = Field(max_length=200, description="Entity slug, name or alias.")
    date: Day = Field(description="The local day of the event, or the first day of a range.")
    end_date: Day | None = Field(None, description="Last day of a range (≥ date), inclusive.")
    label: Annotated[str, AfterValidator(printable)] = Field(min_length=1, max_length=200)
    url: Annotated[str | None, AfterValidator(printable), AfterValidator(web_address)] = Field(
        None, max_length=2000, description="A link about the event: http or https only."
    )

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(
                f"end_date ({self.end_date}) is before date ({self.date}); "
                "a range ends on or after its first day"
            )
        return self


class AnnotationList(BaseModel):
    items: list[AnnotationOut]


@router.post(
    "",
    status_code=201,
    response_model=AnnotationOut,
    responses={
        400: {"description": "Body is not valid JSON"},
        401: {"description": "No or bad API key"},
        404: {"description": "No such entity"},
    },
)
def create(body: AnnotationIn, key: WriteKey, factory: SessionFactory) -> dict[str, object]:
    """Mark an event on an entity's timeline. Needs an API key (`ravine apikey create`)."""
    with session_scope(factory, write=True) as session:
        found = entity_or_404(session, body.entity)
        stored = add_annotation(
            session, entity_id=found.id, start=body.date, end=body.end_date, label=body.label,
            url=body.url, created_by=key.name,
        )  # fmt: skip
        return annotation_json(stored, found.slug)


@router.get(
    "",
    response_model=AnnotationList,
    dependencies=reads,
    responses={404: {}, 200: {"content": {"text/csv": {}}}},
)
def list_(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: Annotated[str, Query(max_length=200, description="Entity slug, name or alias.")],
    since: SinceQ = None,
    until: UntilQ = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """An entity's annotations that overlap [since, until] (both optional), oldest first;
    `format=csv` for a sheet."""
    found = entity_or_404(session, entity)
    first, last = local_days(since, until)

    def build() -> Body:
        rows = annotations_json(session, found, first, last)
        if format == "csv":
            disposition = f'attachment; filename="annotations-{found.slug}.csv"'
            headers = (("Content-Disposition", disposition),)
            return Body(annotations_csv(rows), "text/csv; charset=utf-8", headers)
        return Body(dumps({"items": rows}), "application/json")

    key = ("annotations", entity_key(found), first, last, format)
    return caches.responses.respond(request, key, build)


@router.delete(
    "/{annotation_id}",
    status_code=204,
    responses={401: {"description": "No or bad API key"}, 404: {"description": "No such id"}},
)
def delete(
    annotation_id: Annotated[int, Path(ge=1, le=MAX_ID)], _key: WriteKey, factory: SessionFactory
) -> Response:
    """Delete an annotation. Needs an API key."""
    with session_scope(factory, write=True) as session:
        if not delete_annotation(session, annotation_id):
            raise NotFoundError(
                f"no annotation {annotation_id}; GET /api/v1/annotations lists them"
            )
    return Response(status_code=204)
