"""``ravine ingest sync``: the sources file's entities and sources, written to the database.

Entities gain the file's aliases (aliases added elsewhere are kept); sources take the file's
settings. A source whose kind, voice or entity changed after it stored documents is refused,
with the file's line, so two streams never mix under one name. All or nothing: one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from ingest.connectors.registry import CONNECTORS
from ingest.live.config import SourcesConfig
from ingest.live.problems import Problem, SourcesFileError
from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.repository.entities import upsert_entity
from ravine.repository.ingest_status import source_statuses
from ravine.repository.locks import lock_configuration
from ravine.repository.sources import SyncResult, upsert_source


@dataclass(slots=True)
class SyncReport:
    entities_added: int = 0
    entities_kept: int = 0
    sources: Counter[SyncResult] = field(default_factory=Counter)
    not_in_file: list[str] = field(default_factory=list)  # live sources the file no longer has

    def summary(self) -> str:
        s = self.sources
        line = (
            f"entities: {self.entities_added} added, {self.entities_kept} already there; "
            f"sources: {s['added']} added, {s['updated']} updated, {s['unchanged']} unchanged"
        )
        if self.not_in_file:
            line += f"; not in the file (not run): {', '.join(self.not_in_file)}"
        return line


def sync_sources(factory: sessionmaker[Session], config: SourcesConfig) -> SyncReport:
    report = SyncReport()
    problems: list[Problem] = []
    with session_scope(factory, write=True) as session:
        lock_configuration(session)
        entity_ids: dict[str, int] = {}
        for spec in config.entities:
            entity, created = upsert_entity(
                session, name=spec.name, slug=spec.key, aliases=spec.aliases
            )
            entity_ids[spec.key] = entity.id
            report.entities_added += created
            report.entities_kept += not created
        for source in config.sources:
            try:
                _, result = upsert_source(
                    session,
                    name=source.name,
                    kind=source.kind,
                    voice=source.voice,
                    entity_id=entity_ids[source.entity],
                    settings=source.stored_settings(),
                    enabled=source.enabled,
                )
            except ConfigError as exc:
                problems.append(Problem(source.line, f'sources "{source.name}"', str(exc)))
                continue
            report.sources[result] += 1
        if problems:
            raise SourcesFileError(config.path, problems)  # rolls the whole sync back
        in_file = {source.name for source in config.sources}
        report.not_in_file = [
            status.name
            for status in source_statuses(session)
            if status.kind in CONNECTORS and status.name not in in_file
        ]
    return report
