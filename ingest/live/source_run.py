"""One run of one source: lock → cursor → pages → (documents + cursor + counts) per transaction.

Each page is stored in one transaction with the cursor after it and the run's counts, so a
process killed at any point leaves whole pages only, and the next run resumes from the last
committed cursor: the idempotent upsert turns the re-read into no-ops (at-least-once fetching,
effectively-once rows). A failing source is recorded and reported; it never raises.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.connectors.base import Connector, Context, CursorModel, Page, Rechecking
from ingest.connectors.errors import ConnectorError
from ingest.connectors.http import HttpClient, make_client
from ingest.connectors.registry import CONNECTORS
from ingest.entity_directory import EntityInfo
from ingest.live.config import SourceConfig
from ingest.live.pipeline import PageScorer
from ravine.db import session_scope
from ravine.models import Source
from ravine.records import UpsertCounts
from ravine.repository.documents import mark_deleted, recent_external_ids, upsert_documents
from ravine.repository.locks import source_run_lock
from ravine.repository.runs import close_abandoned, finish_run, record_page, start_run
from ravine.repository.sources import record_outcome, save_cursor
from ravine.scoring import ScorerConfig

log = logging.getLogger(__name__)
MAX_RECHECK = 5_000  # documents looked up again per run, newest first
PageCallback = Callable[[str, int], None]  # (source name, pages stored so far)


@dataclass(slots=True)
class SourceOutcome:
    """What one source's run did; ``status``: ok, partial (items rejected), failed, locked."""

    name: str
    status: str = "ok"
    pages: int = 0
    fetched: int = 0
    unmatched: int = 0
    skipped: int = 0
    rejected: list[str] = field(default_factory=list)
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str | None = None
    more: bool = False  # stopped at the page limit
    rechecked: int = 0  # stored documents looked up again
    deleted: int = 0  # of those, deleted at the source since

    def details(self) -> dict[str, Any]:
        return {
            "pages": self.pages, "more": self.more, "unmatched": self.unmatched,
            "skipped": self.skipped, "rejected_samples": self.rejected[:10],
            "rechecked": self.rechecked, "deleted": self.deleted,
        }  # fmt: skip


def stored_cursor(connector: Connector[Any, Any], cursor: CursorModel) -> dict[str, Any]:
    return {"key": connector.key, "state": cursor.model_dump(mode="json")}


def restored_cursor(connector: Connector[Any, Any], stored: Mapping[str, Any]) -> CursorModel:
    """The stored cursor if it belongs to this stream, else a fresh one (settings changed)."""
    fresh = connector.cursor_model()
    if stored.get("key") != connector.key:
        if stored:
            log.info("the settings of the source changed its stream; reading it afresh")
        return fresh
    try:
        return connector.cursor_model.model_validate(stored.get("state", {}))
    except ValidationError:
        log.warning("the stored cursor is not understood (older Ravine?); reading afresh")
        return fresh


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceJob:
    """Everything one source's run needs."""

    spec: SourceConfig
    source_id: int
    entity: EntityInfo
    mask_terms: tuple[str, ...]  # every tracked entity's, masked in every document
    engine: Engine
    factory: sessionmaker[Session]
    scorer: ScorerConfig
    max_text_chars: int
    max_pages: int
    environ: Mapping[str, str]
    now: Callable[[], datetime]
    on_page: PageCallback | None = None
    allow_private: bool = False  # RAVINE_ALLOW_PRIVATE_NETWORK


def run_source(job: SourceJob) -> SourceOutcome:
    outcome = SourceOutcome(job.spec.name)
    with source_run_lock(job.engine, job.source_id) as taken:
        if not taken:
            outcome.status = "locked"
            return outcome
        with session_scope(job.factory, write=True) as session:
            if closed := close_abandoned(session, source_id=job.source_id):
                log.info(
                    "%s: %d earlier runs were killed; closed as interrupted", job.spec.name, closed
                )
            run_id = start_run(session, source_id=job.source_id, details={}).id
        try:
            _read(job, run_id, outcome)
        except ConnectorError as exc:
            outcome.status, outcome.error = "failed", str(exc)
        except Exception as exc:  # a bug or a database error: this source only
            log.debug("source %s failed", job.spec.name, exc_info=True)
            outcome.status, outcome.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        except KeyboardInterrupt:
            outcome.error = "interrupted; the next run resumes after the last stored page"
            _finish(job, run_id, outcome, status="interrupted")
            raise
        if outcome.status == "ok" and outcome.rejected:
            outcome.status = "partial"
        _finish(job, run_id, outcome, status=outcome.status)
    return outcome


def _read(job: SourceJob, run_id: int, outcome: SourceOutcome) -> None:
    spec = job.spec
    client = make_client(
        user_agent=spec.user_agent, policy=spec.policy, allow_private=job.allow_private
    )
    http = HttpClient(client, policy=spec.policy)
    try:
        context = Context(
            http=http, now=job.now, environ=job.environ, max_text_chars=job.max_text_chars
        )
        connector = CONNECTORS[spec.kind](spec.settings, context)
        with session_scope(job.factory) as session:
            stored = dict(session.get_one(Source, job.source_id).cursor)
        scorer = PageScorer(
            entity=job.entity, mask_terms=job.mask_terms, voice=spec.voice,
            match=spec.match_aliases, config=job.scorer, max_text_chars=job.max_text_chars,
            keep_raw=spec.keep_raw,
        )  # fmt: skip
        pages = connector.pages(restored_cursor(connector, stored))
        ends = time.monotonic() + spec.budget
        try:
            for page in pages:
                _store(job, run_id, connector, page, scorer, outcome)
                if outcome.pages >= job.max_pages or time.monotonic() >= ends:
                    outcome.more = True  # the next run goes on from this page's cursor
                    break
        finally:
            if isinstance(pages, Generator):
                pages.close()
        if isinstance(connector, Rechecking) and not outcome.more:
            _recheck(job, connector, scorer, outcome)
    finally:
        http.close()


def _recheck(
    job: SourceJob, connector: Rechecking, scorer: PageScorer, outcome: SourceOutcome
) -> None:
    """Look the recent documents up again: store what changed, delete what is gone."""
    if not connector.recheck_window:
        return
    since = job.now() - connector.recheck_window
    with session_scope(job.factory) as session:
        ids = recent_external_ids(session, source_id=job.source_id, since=since, limit=MAX_RECHECK)
    for found in connector.recheck(ids):
        batch = scorer.batch(found.items)
        with session_scope(job.factory, write=True) as session:
            counts = upsert_documents(session, source_id=job.source_id, records=batch.records)
            deleted = mark_deleted(session, source_id=job.source_id, external_ids=found.gone)
        outcome.counts.updated += counts.updated
        outcome.rechecked += len(found.items) + len(found.gone)
        outcome.deleted += deleted


def _store(
    job: SourceJob,
    run_id: int,
    connector: Connector[Any, Any],
    page: Page[Any],
    scorer: PageScorer,
    outcome: SourceOutcome,
) -> None:
    batch = scorer.batch(page.items)
    rejected = [*page.rejected, *batch.rejected]
    fetched = len(page.items) + len(page.rejected) + page.skipped
    with session_scope(job.factory, write=True) as session:
        counts = upsert_documents(session, source_id=job.source_id, records=batch.records)
        source = session.get_one(Source, job.source_id)
        save_cursor(session, source, cursor=stored_cursor(connector, page.cursor))
        record_page(session, run_id=run_id, fetched=fetched, rejected=len(rejected), counts=counts)
    outcome.pages += 1
    outcome.fetched += fetched
    outcome.unmatched += batch.unmatched
    outcome.skipped += page.skipped
    outcome.rejected += rejected
    outcome.counts.add(counts)
    if job.on_page is not None:
        job.on_page(job.spec.name, outcome.pages)


def _finish(job: SourceJob, run_id: int, outcome: SourceOutcome, *, status: str) -> None:
    with session_scope(job.factory, write=True) as session:
        finish_run(
            session, run_id=run_id, status=status, fetched=outcome.fetched,
            rejected=len(outcome.rejected), counts=outcome.counts, error=outcome.error,
            details=outcome.details(),
        )  # fmt: skip
        record_outcome(session, job.source_id, at=job.now(), error=outcome.error)
