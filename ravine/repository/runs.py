"""The append-only log of ingest runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
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
    details: dict[str, Any] | None = None,
) -> None:
    run = session.get_one(IngestRun, run_id)
    run.finished_at = datetime.now(UTC)
    run.status, run.error = status, error
    if details is not None:
        run.details = {**run.details, **details}
    run.fetched, run.rejected = fetched, rejected
    run.inserted, run.updated, run.unchanged = counts.inserted, counts.updated, counts.unchanged
    session.flush()


def record_page(
    session: Session, *, run_id: int, fetched: int, rejected: int, counts: UpsertCounts
) -> None:
    """Add one page's numbers to its run, in the page's own transaction, so that a run killed
    part-way still shows exactly what it committed."""
    session.execute(
        update(IngestRun)
        .where(IngestRun.id == run_id)
        .values(
            fetched=IngestRun.fetched + fetched,
            rejected=IngestRun.rejected + rejected,
            inserted=IngestRun.inserted + counts.inserted,
            updated=IngestRun.updated + counts.updated,
            unchanged=IngestRun.unchanged + counts.unchanged,
        )
    )


def close_abandoned(session: Session, *, source_id: int) -> int:
    """Mark runs of the source still "running" as interrupted (the caller holds the source's
    run lock, so no other run of it is alive: these were killed). Returns how many."""
    abandoned = list(
        session.scalars(
            select(IngestRun).where(IngestRun.source_id == source_id, IngestRun.status == "running")
        )
    )
    for run in abandoned:
        run.status, run.error = "interrupted", "stopped before it finished; its pages were kept"
    session.flush()
    return len(abandoned)
