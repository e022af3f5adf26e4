"""Documents: search and page through them (GET); push new ones (POST, in api.routers.push)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import ReadSession
from api.params import Since, Until, end_of, start_of
from api.routers.entities import entity_or_404
from api.schemas import DocumentOut, DocumentPage, ScoresOut
from ravine.errors import ConfigError
from ravine.repository.document_queries import DocumentFilter, DocumentRow, find_documents

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
    session: ReadSession,
    entity: Annotated[str | None, Query(description="Entity slug, name or alias.")] = None,
    voice: Literal["corporate", "public"] | None = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(max_length=200, description="Text contains (any case).")] = None,
    min_compound: Annotated[float | None, Query(ge=-1, le=1)] = None,
    max_compound: Annotated[float | None, Query(ge=-1, le=1)] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    source: Annotated[str | None, Query(max_length=200, description="Source name.")] = None,
    sort: Literal["published_at", "compound"] = "published_at",
    order: Literal["asc", "desc"] = "desc",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DocumentPage:
    """Documents matching every filter given, newest first by default. Page with `cursor`:
    pages are keyed on the sort value, so new documents never shift a page. Sorting by
    compound leaves out unscored documents."""
    start, end = start_of(since), end_of(until)
    if start and end and start >= end:
        raise ConfigError(f"since ({since}) must be before until ({until})")
    if min_compound is not None and max_compound is not None and min_compound > max_compound:
        raise ConfigError("min_compound must not exceed max_compound")
    where = DocumentFilter(
        entity_id=entity_or_404(session, entity).id if entity else None,
        voice=voice, since=start, until=end, text=q, min_compound=min_compound,
        max_compound=max_compound, lang=lang, source=source,
    )  # fmt: skip
    rows, next_cursor = find_documents(
        session, where=where, sort=sort, descending=order == "desc", cursor=cursor, limit=limit
    )
    return DocumentPage(items=[document_out(row) for row in rows], next_cursor=next_cursor)
