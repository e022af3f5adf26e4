"""POST /documents: push up to 1,000 documents, checked, masked, scored and stored exactly as
the file import does; idempotent on (source, external_id); bad items are reported, not fatal."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field

from api.deps import SessionFactory, SettingsDep, WriteKey
from api.params import printable
from api.problems import problem
from ingest.push import PushBatch, store_pushed

router = APIRouter(prefix="/documents", tags=["documents"])
MAX_DOCUMENTS = 1000


SourceName = Annotated[str | None, AfterValidator(printable)]


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
    batch = PushBatch(
        entity=body.entity, voice=body.voice, documents=body.documents, source=body.source
    )
    outcome = store_pushed(
        factory,
        batch,
        config=request.app.state.scorer_config,
        max_text_chars=settings.max_text_chars,
    )
    errors = [ItemError(index=index, error=reason) for index, reason in outcome.rejected]
    if len(errors) == len(body.documents):
        detail = f"all {len(errors)} documents were rejected; first: {errors[0].error}"
        # As every 422 names its fields: documents.INDEX (the Problem schema in /docs).
        fields = [{"field": f"documents.{e.index}", "message": e.error} for e in errors]
        return problem(422, detail, errors=fields)
    return PushResult(
        source=outcome.source,
        inserted=outcome.counts.inserted,
        updated=outcome.counts.updated,
        unchanged=outcome.counts.unchanged,
        rejected=len(errors),
        unscored=outcome.unscored,
        errors=errors,
    )
