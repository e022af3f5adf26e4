"""The append-only log of ingest runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ravine.models import IngestRun
from ravine.records import UpsertCounts


def start_run(session: Session, *, source_id: int, details: dict[str, Any]) -> IngestRun:
    run = IngestRun(
        source_id=source_id, started_at=datetime.now(UTC), status="running", details=details
    )
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    *,
    run_id: int,
    status: str,
    fetched: int,
    rejected: int,
    counts: UpsertCounts,
    error: str | None = None,
) -> None:
    run = session.get_one(IngestRun, run_id)
    run.finished_at = datetime.now(UTC)
    run.status, run.error = status, error
    run.fetched, run.rejected = fetched, rejected
    run.inserted, run.updated, run.unchanged = counts.inserted, counts.updated, counts.unchanged
    session.flush()
