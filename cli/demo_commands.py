"""``ravine demo``: one command from nothing to a browsable dashboard over the sample data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.alert_check import check_alerts
from cli.entity_commands import read_entity_rows
from cli.serve_commands import Host, Port, run_server
from cli.sources_file import load_config
from cli.state import CliState, state_of
from ingest.file_import import FileImport, FileImportOptions
from ravine.errors import ConfigError
from ravine.repository.annotations import add_annotation, annotations_between
from ravine.repository.entities import find_entity, upsert_entity

DEMO_DATABASE = "sqlite:///ravine-demo.db"
SAMPLE_IMPORTS: tuple[tuple[str, str, dict[str, str]], ...] = (  # file, voice, overrides
    ("statements.jsonl", "corporate", {}),
    ("posts.csv", "public", {"external_id": "post_id"}),
)
SAMPLE_FILES = ("entities.csv", *(name for name, _, _ in SAMPLE_IMPORTS))
ALERTS_SINCE = date(2025, 1, 1)  # the sample's first day: its rules judge all of it
SAMPLE = Path(__file__).resolve().parent / "sample"  # package data: installed with the CLI


def check_sample(folder: Path) -> Path:
    """``folder`` if it holds a sample dataset (entities.csv, statements.jsonl, posts.csv)."""
    missing = [name for name in SAMPLE_FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigError(
            f"--sample {folder}: no {', '.join(missing)} there; give a folder shaped like "
            f"{SAMPLE} or leave --sample out"
        )
    return folder


def load_sample(state: CliState, sample: Path) -> None:
    """Import the sample through the real importers; a second run finds it already there."""
    with state.writing() as session:
        for row in read_entity_rows(sample / "entities.csv"):
            upsert_entity(session, **row)
    settings = state.settings()
    factory = state.sessions(settings, for_writes=True)
    for name, voice, mapping in SAMPLE_IMPORTS:
        options = FileImportOptions(
            path=sample / name, voice=voice, entity_column="entity", field_overrides=mapping
        )
        report = FileImport(options, settings=settings, session_factory=factory).run()
        done = "already loaded" if report.already_imported else f"{report.counts.inserted:,} new"
        state.say(f"sample {name}: {done}")
    if (sample / "annotations.csv").is_file():
        added = _annotate(state, sample / "annotations.csv")
        state.say(f"sample annotations.csv: {added} new")
    if (sample / "alerts.toml").is_file():
        rules = load_config(state, sample / "alerts.toml", need_env=False)
        check_alerts(state, rules, since=ALERTS_SINCE, send=False)


def _annotate(state: CliState, path: Path) -> int:
    """Mark the sample's events on its timelines, once: a rerun finds them there."""
    added = 0
    with state.writing() as session, path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entity = find_entity(session, row["entity"])
            if entity is None:
                raise ConfigError(f"{path}: no entity {row['entity']!r}; add it to entities.csv")
            day = date.fromisoformat(row["date"])
            end = date.fromisoformat(row["end_date"]) if row["end_date"] else None
            marked = annotations_between(session, entity.id, day, day)
            if any(note.label == row["label"] and note.start_date == day for note in marked):
                continue
            add_annotation(
                session, entity_id=entity.id, start=day, end=end, label=row["label"],
                url=row["url"] or None, created_by=None,
            )  # fmt: skip
            added += 1
    return added


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        host: Host = "127.0.0.1",
        port: Port = 8000,
        sample: Annotated[
            Path,
            typer.Option(help="Folder of a dataset shaped like the sample.", show_default=False),
        ] = SAMPLE,
        load_only: Annotated[
            bool, typer.Option("--load-only", help="Load the sample and stop; serve nothing.")
        ] = False,
    ) -> None:
        """Load the fictional sample (three companies, 2025, both voices) into an SQLite file
        (ravine-demo.db, or --database-url) and serve the dashboard. Reruns reuse the file.

        Example:

            ravine demo --port 8080
        """
        state = state_of(ctx)
        if state.database_url is None:
            state.database_url = DEMO_DATABASE
        load_sample(state, check_sample(sample))
        state.close()
        if load_only:
            return
        run_server(state, state.settings(), host=host, port=port)
