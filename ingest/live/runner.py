"""``ravine ingest run``: every due source of a sources file, one after the other.

A source is skipped when it is not due, or when another run holds its lock (an overlapping cron
run); a source that fails is recorded and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.entity_directory import EntityDirectory
from ingest.live.config import SourceConfig, SourcesConfig
from ingest.live.source_run import PageCallback, SourceJob, SourceOutcome, run_source
from ravine.config import Settings
from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.repository.ingest_status import SourceStatus, source_statuses
from ravine.scoring import ScorerConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunOptions:
    only: frozenset[str] = frozenset()  # just these sources, due or not
    force: bool = False  # every enabled source, due or not
    max_pages: int | None = None  # overrides each source's page limit


@dataclass(frozen=True, slots=True, kw_only=True)
class Runner:
    config: SourcesConfig
    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings
    environ: Mapping[str, str]
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    on_page: PageCallback | None = None

    def run(self, options: RunOptions = RunOptions()) -> list[SourceOutcome]:
        """The outcome of each source that was due (or chosen), in the file's order."""
        names = [source.name for source in self.config.sources]
        if unknown := sorted(options.only - set(names)):
            raise ConfigError(
                f"no source named {', '.join(unknown)} in {self.config.path}; "
                f"its sources: {', '.join(names)}"
            )
        with session_scope(self.factory) as session:
            statuses = {status.name: status for status in source_statuses(session, names=names)}
        entities = EntityDirectory(self.factory, create=False)
        scorer = ScorerConfig.from_settings(self.settings)
        outcomes = []
        for spec in self.config.sources:
            status = statuses[spec.name]
            if not self._chosen(spec, status, options):
                continue
            entity = entities.resolve(spec.entity)
            assert entity is not None, "sync created every entity of the file"
            log.info("reading %s", spec.name, extra={"fields": {"source": spec.name}})
            job = SourceJob(
                spec=spec, source_id=status.source_id, entity=entity,
                mask_terms=entities.mask_terms, engine=self.engine,
                factory=self.factory, scorer=scorer, max_text_chars=self.settings.max_text_chars,
                max_pages=options.max_pages or spec.max_pages, environ=self.environ,
                now=self.now, on_page=self.on_page,
                allow_private=self.settings.allow_private_network,
            )  # fmt: skip
            try:
                outcome = run_source(job)
            except Exception as exc:  # the database itself failed: still try the next source
                log.debug("source %s could not be run", spec.name, exc_info=True)
                outcome = SourceOutcome(
                    spec.name, status="failed", error=f"{type(exc).__name__}: {exc}"
                )
            _log(outcome)
            outcomes.append(outcome)
        return outcomes

    def _chosen(self, spec: SourceConfig, status: SourceStatus, options: RunOptions) -> bool:
        if options.only:
            return spec.name in options.only
        if not spec.enabled:
            return False
        return options.force or status.is_due(self.now())


def _log(outcome: SourceOutcome) -> None:
    counts = outcome.counts
    fields = {
        "source": outcome.name, "status": outcome.status, "pages": outcome.pages,
        "fetched": outcome.fetched, "inserted": counts.inserted, "updated": counts.updated,
        "unchanged": counts.unchanged, "rejected": len(outcome.rejected),
        "unmatched": outcome.unmatched, "more": outcome.more,
    }  # fmt: skip
    extra = {"fields": {**fields, "error": outcome.error} if outcome.error else fields}
    if outcome.status == "failed":
        log.error("%s failed: %s", outcome.name, outcome.error, extra=extra)
    elif outcome.status == "partial":
        log.warning(
            "%s: %d items could not be read, e.g. %s", outcome.name, len(outcome.rejected),
            outcome.rejected[0], extra=extra,
        )  # fmt: skip
    elif outcome.status == "locked":
        log.info("%s is being read by another run; skipped", outcome.name, extra=extra)
    else:
        log.info(
            "%s: %d pages, %d new, %d updated, %d unchanged, %d rejected%s", outcome.name,
            outcome.pages, counts.inserted, counts.updated, counts.unchanged,
            len(outcome.rejected), " (more next run)" if outcome.more else "", extra=extra,
        )  # fmt: skip


def failed(outcomes: Sequence[SourceOutcome]) -> list[SourceOutcome]:
    return [outcome for outcome in outcomes if outcome.status == "failed"]
