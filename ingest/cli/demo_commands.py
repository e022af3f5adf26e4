"""``ravine demo``: one command from nothing to a browsable dashboard over the sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ingest.cli.entity_commands import read_entity_rows
from ingest.cli.serve_commands import Host, Port, run_server
from ingest.cli.state import CliState, state_of
from ingest.file_import import FileImport, FileImportOptions
from ravine.errors import ConfigError
from ravine.repository.entities import upsert_entity

DEMO_DATABASE = "sqlite:///ravine-demo.db"
SAMPLE_PLACES = (
    Path.cwd() / "examples" / "sample",
    Path(__file__).resolve().parents[2] / "examples" / "sample",
)


def find_sample(given: Path | None) -> Path:
    for place in (given,) if given else SAMPLE_PLACES:
        if place is not None and (place / "entities.csv").is_file():
            return place
    raise ConfigError(
        "cannot find the sample dataset (examples/sample); run from the Ravine checkout or "
        "pass --sample DIR"
    )


def load_sample(state: CliState, sample: Path) -> None:
    """Import the sample through the real importers; a second run finds it already there."""
    with state.writing() as session:
        for row in read_entity_rows(sample / "entities.csv"):
            upsert_entity(session, **row)
    settings = state.settings()
    factory = state.sessions(settings, for_writes=True)
    for name, voice, mapping in (
        ("statements.jsonl", "corporate", {}),
        ("posts.csv", "public", {"external_id": "post_id"}),
    ):
        options = FileImportOptions(
            path=sample / name, voice=voice, entity_column="entity", field_overrides=mapping
        )
        report = FileImport(options, settings=settings, session_factory=factory).run()
        done = "already loaded" if report.already_imported else f"{report.counts.inserted:,} new"
        state.say(f"sample {name}: {done}")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        host: Host = "127.0.0.1",
        port: Port = 8000,
        sample: Annotated[
            Path | None,
            typer.Option(help="Folder of the sample dataset (default: examples/sample)."),
        ] = None,
    ) -> None:
        """Load the fictional sample (three companies, 2025, both voices) into an SQLite file
        (ravine-demo.db, or --database-url) and serve the dashboard. Reruns reuse the file.

        Example:

            ravine demo --port 8080
        """
        state = state_of(ctx)
        if state.database_url is None:
            state.database_url = DEMO_DATABASE
        load_sample(state, find_sample(sample))
        state.close()
        run_server(state, state.settings(), host=host, port=port)
