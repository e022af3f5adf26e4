"""``ravine ingest file``: stream a CSV/JSONL file through parse → score → upsert, batch by batch.

Each batch is one transaction holding its documents, their roll-ups and the file's cursor, so a
crash or Ctrl-C loses at most the batch in flight, and a rerun resumes after the last committed
batch; the idempotent upsert means a rerun never duplicates a document either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker

from ingest.entity_directory import EntityDirectory, EntityInfo
from ingest.files.fields import (
    FieldMap,
    ParsedRow,
    RowError,
    parse_row,
    resolve_field_map,
)
from ingest.files.readers import Format, RecordReader, sha256_file
from ingest.files.rejects import RejectWriter
from ingest.runs import RunLog, run_log
from ingest.scored_rows import scored_records, scoring_job
from ingest.scoring_jobs import ScoreJob, score_in_order
from ingest.writer import BackgroundWriter
from ravine.config import Settings
from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.models import Source
from ravine.records import DocumentRecord, UpsertCounts
from ravine.repository.documents import upsert_documents
from ravine.repository.sources import get_or_create_source, save_cursor
from ravine.repository.statistics import LARGE_IMPORT, refresh_statistics
from ravine.scoring import ScorerConfig, get_scorer

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class FileImportOptions:
    path: Path
    voice: str
    entity: str | None = None
    entity_column: str | None = None
    fmt: Format | None = None
    field_overrides: dict[str, str] = field(default_factory=dict)
    create_entities: bool = False
    rejects: Path | None = None
    tz: str = "UTC"
    source: str | None = None
    force: bool = False

    def fingerprint(self) -> str:
        """What decides how rows are read: a changed mapping re-reads a file imported before."""
        relevant = [self.voice, self.entity, self.entity_column, self.fmt, self.tz]
        relevant += [f"{field}={column}" for field, column in sorted(self.field_overrides.items())]
        return hashlib.sha256(json.dumps(relevant).encode()).hexdigest()[:12]


@dataclass(slots=True)
class ImportReport:
    path: Path
    source: str
    records: int = 0
    resumed_after: int = 0
    rejected: int = 0
    unscored: int = 0
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    reject_samples: list[tuple[int, str]] = field(default_factory=list)
    already_imported: bool = False


@dataclass(slots=True)
class _Batch:
    """Rows parsed from consecutive records, and what the cursor says once they are stored."""

    rows: list[tuple[ParsedRow, EntityInfo]] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)
    end: int = 0  # records consumed up to the end of this batch


def _validate(options: FileImportOptions) -> ZoneInfo:
    if options.voice not in {"corporate", "public"}:
        raise ConfigError(f"--voice must be corporate or public, not {options.voice!r}")
    if (options.entity is None) == (options.entity_column is None):
        raise ConfigError("give exactly one of --entity NAME or --entity-column COLUMN")
    try:
        return ZoneInfo(options.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"--tz {options.tz!r} is not an IANA time zone; use e.g. UTC or America/New_York"
        ) from None


def _report_progress(on_progress: ProgressCallback | None, reader: RecordReader) -> None:
    if on_progress is not None:
        on_progress(reader.bytes_read, reader.total_bytes)


class FileImport:
    """One run of one file into one source."""

    def __init__(
        self,
        options: FileImportOptions,
        *,
        settings: Settings,
        session_factory: sessionmaker[Session],
    ) -> None:
        self.options = options
        self.settings = settings
        self.factory = session_factory
        self.tz = _validate(options)
        self.scorer_config = ScorerConfig.from_settings(settings)
        self.entities = EntityDirectory(session_factory, create=options.create_entities)
        self.scorer = get_scorer(self.scorer_config)

    def run(self, *, on_progress: ProgressCallback | None = None) -> ImportReport:
        options = self.options
        with RecordReader(
            options.path, fmt=options.fmt, max_field_chars=self.settings.max_text_chars
        ) as reader:
            fmap = resolve_field_map(
                reader.columns,
                overrides=options.field_overrides,
                entity_column=options.entity_column,
                source=options.path.name,
            )
            fixed = self._fixed_entity()
            name = options.source or f"file:{options.voice}"
            cursor_key = f"{sha256_file(options.path)}:{options.fingerprint()}"
            with session_scope(self.factory, write=True) as session:
                source = get_or_create_source(
                    session, name=name, kind="file", voice=options.voice, entity_id=None
                )
                source_id, done = (
                    source.id,
                    dict(source.cursor.get("files", {}).get(cursor_key, {})),
                )
            report = ImportReport(path=options.path, source=name)
            if done.get("complete") and not options.force:
                report.already_imported = True
                return report
            report.resumed_after = 0 if options.force else int(done.get("records", 0))
            details = {"file": str(options.path), "sha256": cursor_key.split(":")[0]}
            with (
                run_log(self.factory, source_id=source_id, details=details) as log,
                RejectWriter(options.rejects, source=options.path.name) as rejects,
            ):
                store = _BatchStore(
                    factory=self.factory,
                    source_id=source_id,
                    cursor_key=cursor_key,
                    report=report,
                    rejects=rejects,
                    log=log,
                    progress=lambda: _report_progress(on_progress, reader),
                )
                batches = self._batches(reader, fmap=fmap, fixed=fixed, start=report.resumed_after)
                jobs = (self._scoring_job(batch) for batch in batches)
                with BackgroundWriter(store.write) as writer:
                    for (batch, version), scored in score_in_order(
                        jobs, workers=self.settings.workers
                    ):
                        records = scored_records(
                            batch.rows, scored, voice=options.voice, version=version
                        )
                        writer.submit((batch, records))
                store.finish()
        return report

    def _scoring_job(self, batch: _Batch) -> tuple[tuple[_Batch, str], ScoreJob]:
        """The batch's job, keyed by the batch and the scorer version of its mask terms: every
        entity's, including those this run created up to and with this batch."""
        terms = self.entities.mask_terms
        job = scoring_job(batch.rows, config=self.scorer_config, mask_terms=terms)
        return (batch, self.scorer.version(terms)), job

    def _fixed_entity(self) -> EntityInfo | None:
        if self.options.entity is None:
            return None
        info = self.entities.resolve(self.options.entity)
        if info is None:
            raise ConfigError(
                f"unknown entity {self.options.entity!r}; add it with "
                f"`ravine entities add {self.options.entity!r}` or pass --create-entities"
            )
        return info

    def _batches(
        self, reader: RecordReader, *, fmap: FieldMap, fixed: EntityInfo | None, start: int
    ) -> Iterator[_Batch]:
        batch, size = _Batch(), self.settings.batch_size
        for index, record in enumerate(reader):
            if index < start:
                continue
            batch.end = index + 1
            try:
                if record.values is None:
                    raise RowError(record.error or "unreadable record")
                row = parse_row(
                    record.values,
                    fmap,
                    default_tz=self.tz,
                    max_text_chars=self.settings.max_text_chars,
                )
                info = fixed or self._row_entity(row)
            except RowError as exc:
                batch.rejects.append((record.line, str(exc), record.raw))
                continue
            batch.rows.append((row, info))
            if len(batch.rows) >= size:
                yield batch
                batch = _Batch(end=batch.end)
        yield batch

    def _row_entity(self, row: ParsedRow) -> EntityInfo:
        assert row.entity is not None, "parse_row fills entity when an entity column is mapped"
        info = self.entities.resolve(row.entity)
        if info is None:
            raise RowError(
                f"unknown entity {row.entity!r}; add it with `ravine entities add` "
                "or pass --create-entities"
            )
        return info


@dataclass(slots=True, kw_only=True)
class _BatchStore:
    """Stores batches in order (on the writer thread): rows, roll-ups and cursor in one
    transaction, then the batch's rejects, the run log and the progress bar."""

    factory: sessionmaker[Session]
    source_id: int
    cursor_key: str
    report: ImportReport
    rejects: RejectWriter
    log: RunLog
    progress: Callable[[], None]
    # Rows of a file being read are most likely new: insert without looking keys up first,
    # until a batch proves otherwise (a re-import, or rows another file brought before).
    expect_new: bool = True

    def write(self, item: tuple[_Batch, list[DocumentRecord]]) -> None:
        batch, records = item
        report = self.report
        with session_scope(self.factory, write=True) as session:
            counts = upsert_documents(
                session, source_id=self.source_id, records=records, expect_new=self.expect_new
            )
            self._save_progress(session, records=batch.end, complete=False)
        self.expect_new = self.expect_new and not (counts.updated or counts.unchanged)
        report.counts.add(counts)
        report.unscored += sum(record.compound is None for record in records)
        for line, error, raw in batch.rejects:
            self.rejects.add(line=line, error=error, raw=raw)
        self.rejects.flush()
        report.records = batch.end - report.resumed_after
        self.log.update(fetched=report.records, rejected=self.rejects.count, counts=report.counts)
        self.progress()

    def finish(self) -> None:
        """Mark the file complete, so a rerun skips it; collect the reject summary. After a
        large import, refresh the planner's statistics (see :func:`refresh_statistics`)."""
        report = self.report
        with session_scope(self.factory, write=True) as session:
            self._save_progress(
                session, records=report.resumed_after + report.records, complete=True
            )
        if report.counts.inserted >= LARGE_IMPORT:
            with session_scope(self.factory) as session:
                refresh_statistics(session)
        report.rejected = self.rejects.count
        report.reject_samples = list(self.rejects.samples)

    def _save_progress(self, session: Session, *, records: int, complete: bool) -> None:
        source = session.get_one(Source, self.source_id)
        files = dict(source.cursor.get("files", {}))
        files[self.cursor_key] = {"records": records, "complete": complete}
        save_cursor(session, source, cursor={**source.cursor, "files": files})
