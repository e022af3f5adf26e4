"""Documents: search and page through them (GET); push new ones (POST, in api.routers.push)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import Caches, ReadSession
from api.params import Since, Until, end_of, start_of
from api.ravine_bodies import dumps
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.schemas import DocumentOut, DocumentPage, ScoresOut
from ravine.errors import ConfigError
from ravine.repository.document_queries import DocumentFilter, DocumentRow, find_documents
from ravine.repository.entities import list_entities
from ravine.repository.text_search import Words

router = APIRouter(prefix="/documents", tags=["documents"])


def document_out(row: DocumentRow) -> DocumentOut:
    d = row.document
    scores = None
    if d.compound is not None:
        scores = ScoresOut(
            neg=d.neg or 0.0, neu=d.neu or 0.0, pos=d.pos or 0.0, compound=d.compound
        )
    return DocumentOut(
        id=d.id, entity=row.entity, voice=d.voice, source=row.source, external_id=d.external_id,
        url=d.url, author=d.author, title=d.title, text=d.text, lang=d.lang,
        published_at=d.published_at, likes=d.likes, reposts=d.reposts, replies=d.replies,
        scores=scores, unscored_reason=d.unscored_reason, scorer_version=d.scorer_version,
    )  # fmt: skip


@router.get("", response_model=DocumentPage, responses={404: {"description": "No such entity"}})
def search(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: Annotated[str | None, Query(description="Entity slug, name or alias.")] = None,
    voice: Literal["corporate", "public"] | None = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words the text contains, each as a whole word, in any case (a word is "
            "a run of letters and digits; `deliver*` matches words starting with deliver).",
        ),
    ] = None,
    min_compound: Annotated[float | None, Query(ge=-1, le=1)] = None,
    max_compound: Annotated[float | None, Query(ge=-1, le=1)] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source name.")] = None,
    sort: Literal["published_at", "compound"] = "published_at",
    order: Literal["asc", "desc"] = "desc",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Documents matching every filter given, newest first by default. Page with `cursor`:
    pages are keyed on the sort value, so new documents never shift a page. Sorting by
    compound leaves out unscored documents."""
    if q is not None:
        Words.parse(q)  # a search without words is refused before any work
    start, end = start_of(since), end_of(until)
    if start and end and start >= end:
        raise ConfigError(f"since ({since}) must be before until ({until})")
    if min_compound is not None and max_compound is not None and min_compound > max_compound:
        raise ConfigError("min_compound must not exceed max_compound")
    found = entity_or_404(session, entity) if entity else None
    where = DocumentFilter(
        entity_id=found.id if found else None,
        voice=voice, since=start, until=end, text=q, min_compound=min_compound,
        max_compound=max_compound, lang=lang, source=source,
    )  # fmt: skip

    def build() -> Body:
        rows, next_cursor = find_documents(
            session, where=where, sort=sort, descending=order == "desc", cursor=cursor,
            limit=limit,
        )  # fmt: skip
        page = DocumentPage(items=[document_out(row) for row in rows], next_cursor=next_cursor)
        return Body(dumps(page.model_dump(mode="json")), "application/json")

    data = (entity_key(found),) if found else tuple(entity_key(e) for e in list_entities(session))
    key = ("documents", data, where, sort, order, cursor, limit)
    return caches.responses.respond(request, key, build)
