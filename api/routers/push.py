"""POST /documents: push up to 1,000 documents, checked, masked, scored and stored exactly as
the file import does; idempotent on (source, external_id); bad items are reported, not fatal."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field

from api.deps import SessionFactory, SettingsDep, WriteKey
from api.problems import problem
from api.routers.entities import entity_or_404
from ingest.entity_directory import EntityInfo, entity_info
from ingest.files.fields import FIELDS, FieldMap, ParsedRow, RowError, parse_row
from ingest.scored_rows import ScorerVersions, scored_records, scoring_job
from ingest.scoring_jobs import run_score_job
from ingest.storable import text_problem
from ravine.db import session_scope
from ravine.repository.documents import upsert_documents
from ravine.repository.sources import get_or_create_source

router = APIRouter(prefix="/documents", tags=["documents"])
MAX_DOCUMENTS = 1000
_FIELD_MAP = FieldMap(columns={name: name for name in FIELDS}, entity_column=None)


def _printable(value: str | None) -> str | None:
    """Names are shown and stored as they are: control characters (NUL among them, which
    PostgreSQL cannot store) and broken Unicode are refused."""
    if value is None:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError("contains a control character (such as NUL); use printable text")
    if problem := text_problem(value, "the name"):
        raise ValueError(problem)
    return value


SourceName = Annotated[str | None, AfterValidator(_printable)]


class PushRequest(BaseModel):
    entity: str = Field(max_length=200, description="Entity slug, name or alias.")
    voice: Literal["corporate", "public"]
    source: SourceName = Field(
        None, max_length=200, description="Source to file them under; default api:VOICE."
    )
    documents: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_DOCUMENTS,
        description=(
            "Objects with `text` and `created_at` (ISO 8601, RFC 2822 or epoch; naive = UTC), "
            "optionally `external_id`, `author`, `url`, `title`, `lang`, `likes`, `reposts`, "
            "`replies`. Without `external_id` the key is a hash of entity, author, time and text."
        ),
    )


class ItemError(BaseModel):
    index: int = Field(description="Position of the document in the request (0-based).")
    error: str


class PushResult(BaseModel):
    source: str
    inserted: int
    updated: int
    unchanged: int = Field(description="Already stored exactly like this: nothing to do.")
    rejected: int
    unscored: int = Field(description="Stored but not scored (not English).")
    errors: list[ItemError]


def _parse(
    documents: list[dict[str, Any]], info: EntityInfo, *, max_text_chars: int
) -> tuple[list[tuple[ParsedRow, EntityInfo]], list[ItemError]]:
    rows, errors = [], []
    for index, item in enumerate(documents):
        try:
            row = parse_row(item, _FIELD_MAP, default_tz=UTC, max_text_chars=max_text_chars)
        except RowError as exc:
            errors.append(ItemError(index=index, error=str(exc)))
            continue
        rows.append((row, info))
    return rows, errors


@router.post(
    "",
    response_model=PushResult,
    responses={
        400: {"description": "Body is not valid JSON"},
        401: {"description": "No or bad API key"},
        404: {"description": "No such entity"},
        422: {"description": "Invalid request, or every document rejected"},
    },
)
def push(
    request: Request,
    body: PushRequest,
    _key: WriteKey,
    settings: SettingsDep,
    factory: SessionFactory,
) -> PushResult | JSONResponse:
    """Store documents for one entity and voice. Needs an API key (`ravine apikey create`)."""
    with session_scope(factory) as session:
        info = entity_info(entity_or_404(session, body.entity))
    rows, errors = _parse(body.documents, info, max_text_chars=settings.max_text_chars)
    if not rows:
        detail = f"all {len(errors)} documents were rejected; first: {errors[0].error}"
        # As every 422 names its fields: documents.INDEX (the Problem schema in /docs).
        fields = [{"field": f"documents.{e.index}", "message": e.error} for e in errors]
        return problem(422, detail, errors=fields)
    config = request.app.state.scorer_config
    scored = run_score_job(scoring_job(rows, config=config))
    records = scored_records(rows, scored, voice=body.voice, versions=ScorerVersions(config))
    name = body.source or f"api:{body.voice}"
    with session_scope(factory, write=True) as session:
        source = get_or_create_source(session, name=name, kind="api", voice=body.voice)
        counts = upsert_documents(session, source_id=source.id, records=records)
    return PushResult(
        source=name,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        rejected=len(errors),
        unscored=sum(record.compound is None for record in records),
        errors=errors,
    )
