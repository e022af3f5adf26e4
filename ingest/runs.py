"""Record every ingest run in ``ingest_runs``, including the ones that fail or are interrupted."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.records import UpsertCounts
from ravine.repository.runs import finish_run, start_run

log = logging.getLogger(__name__)


class RunLog:
    """Running totals of one run, written to its row when the run ends."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.fetched = 0
        self.rejected = 0
        self.counts = UpsertCounts()

    def update(self, *, fetched: int, rejected: int, counts: UpsertCounts) -> None:
        self.fetched, self.rejected, self.counts = fetched, rejected, counts


@contextmanager
def run_log(
    factory: sessionmaker[Session], *, source_id: int, details: dict[str, Any]
) -> Iterator[RunLog]:
    """Open a run row; close it as ok, partial (rows rejected), interrupted or failed."""
    with session_scope(factory, write=True) as session:
        run = RunLog(start_run(session, source_id=source_id, details=details).id)
    try:
        yield run
    except KeyboardInterrupt:
        _finish(
            factory,
            run,
            status="interrupted",
            error="interrupted; rerun the same command to resume",
        )
        raise
    except BaseException as exc:
        _finish(factory, run, status="failed", error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    _finish(factory, run, status="partial" if run.rejected else "ok", error=None)


def _finish(factory: sessionmaker[Session], run: RunLog, *, status: str, error: str | None) -> None:
    try:
        with session_scope(factory, write=True) as session:
            finish_run(
                session,
                run_id=run.run_id,
                status=status,
                fetched=run.fetched,
                rejected=run.rejected,
                counts=run.counts,
                error=error,
            )
    except SQLAlchemyError:  # the database may be what failed; the original error matters more
        log.warning("could not record the end of ingest run %s", run.run_id, exc_info=True)
