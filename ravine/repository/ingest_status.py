"""Per source: its latest run, and when it is next due (for the runner, the CLI and the API).

A source is due ``every_seconds`` (its stored schedule) after the start of its latest finished
run, and at once when that run stopped at its page limit with more to read. Runs that were
interrupted do not count: their work is not done. A small tolerance (a tenth of the interval,
at most a minute) keeps a source run at 12:00:02 due for the cron tick at 12:15:00.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.models import Entity, IngestRun, Source

FINISHED = ("ok", "partial", "failed")
_MAX_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source_id: int
    name: str
    kind: str
    entity: str | None
    voice: str
    enabled: bool
    every_seconds: float | None  # None: not scheduled (file imports)
    last_success_at: datetime | None
    last_error: str | None
    last_run: IngestRun | None
    next_due: datetime | None

    def is_due(self, now: datetime) -> bool:
        if not self.enabled or self.every_seconds is None:
            return False
        if self.next_due is None:
            return True
        tolerance = min(_MAX_TOLERANCE, timedelta(seconds=self.every_seconds / 10))
        return now + tolerance >= self.next_due


def _latest(session: Session, source_ids: Sequence[int], *, finished: bool) -> dict[int, IngestRun]:
    newest = select(IngestRun.source_id, func.max(IngestRun.id).label("id")).where(
        IngestRun.source_id.in_(source_ids)
    )
    if finished:
        newest = newest.where(IngestRun.status.in_(FINISHED))
    ids = newest.group_by(IngestRun.source_id).subquery()
    runs = session.scalars(select(IngestRun).join(ids, IngestRun.id == ids.c.id))
    return {run.source_id: run for run in runs}


def _next_due(run: IngestRun | None, every: float | None) -> datetime | None:
    if run is None or every is None:
        return None
    if run.details.get("more") and run.finished_at is not None:
        return run.finished_at
    return run.started_at + timedelta(seconds=every)


def source_statuses(session: Session, *, names: Sequence[str] | None = None) -> list[SourceStatus]:
    """Every source (or the named ones) by name, with its latest run and next due time."""
    query = select(Source, Entity.slug).outerjoin(Entity, Entity.id == Source.entity_id)
    if names is not None:
        query = query.where(Source.name.in_(names))
    rows = session.execute(query.order_by(Source.name)).all()
    ids = [source.id for source, _ in rows]
    latest = _latest(session, ids, finished=False)
    finished = _latest(session, ids, finished=True)
    statuses = []
    for source, slug in rows:
        every = source.settings.get("every_seconds")
        every = float(every) if isinstance(every, int | float) else None
        statuses.append(
            SourceStatus(
                source_id=source.id,
                name=source.name,
                kind=source.kind,
                entity=slug,
                voice=source.voice,
                enabled=source.enabled,
                every_seconds=every,
                last_success_at=source.last_success_at,
                last_error=source.last_error,
                last_run=latest.get(source.id),
                next_due=_next_due(finished.get(source.id), every),
            )
        )
    return statuses
