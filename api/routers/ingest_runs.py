"""``GET /api/v1/ingest/runs``: each source's latest ingest run and next due time, as
``ravine ingest status`` shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import ReadSession
from ravine.errors import NotFoundError
from ravine.models import IngestRun
from ravine.repository.ingest_status import SourceStatus, source_statuses

router = APIRouter(prefix="/ingest", tags=["ingest"])


class RunOut(BaseModel):
    id: int
    status: str = Field(description="running, ok, partial (items rejected), failed, interrupted.")
    started_at: datetime
    finished_at: datetime | None
    fetched: int = Field(description="Items read from the source.")
    inserted: int
    updated: int = Field(description="Stored documents whose text, score or engagement changed.")
    unchanged: int
    rejected: int = Field(description="Items that could not be read or stored.")
    error: str | None


class SourceRunOut(BaseModel):
    source: str
    kind: str
    entity: str | None
    voice: str
    enabled: bool
    every_seconds: float | None = Field(description="Schedule; null for file imports.")
    next_due: datetime | None = Field(description="Null: due now (or not scheduled).")
    last_success_at: datetime | None
    last_error: str | None
    last_run: RunOut | None


class SourceRunList(BaseModel):
    items: list[SourceRunOut]


def _run(run: IngestRun | None) -> RunOut | None:
    if run is None:
        return None
    return RunOut(
        id=run.id, status=run.status, started_at=run.started_at, finished_at=run.finished_at,
        fetched=run.fetched, inserted=run.inserted, updated=run.updated,
        unchanged=run.unchanged, rejected=run.rejected, error=run.error,
    )  # fmt: skip


def _out(status: SourceStatus) -> SourceRunOut:
    return SourceRunOut(
        source=status.name, kind=status.kind, entity=status.entity, voice=status.voice,
        enabled=status.enabled, every_seconds=status.every_seconds, next_due=status.next_due,
        last_success_at=status.last_success_at, last_error=status.last_error,
        last_run=_run(status.last_run),
    )  # fmt: skip


@router.get(
    "/runs", response_model=SourceRunList, responses={404: {"description": "No such source"}}
)
def list_runs(
    session: ReadSession,
    source: Annotated[str | None, Query(max_length=200, description="Only this source.")] = None,
) -> SourceRunList:
    """Per source: its latest ingest run with its counts, and when it is next due."""
    statuses = source_statuses(session, names=None if source is None else [source])
    if source is not None and not statuses:
        raise NotFoundError(f"no source {source!r}; GET /api/v1/ingest/runs lists them")
    return SourceRunList(items=[_out(status) for status in statuses])
