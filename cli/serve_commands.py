"""``ravine serve``: the REST API and the dashboard under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from api.app import create_served_app
from cli.state import CliState, state_of
from ravine import migrate
from ravine.config import Settings
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.duplicates import require_mode

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")]


def run_server(
    state: CliState, settings: Settings, *, host: str, port: int, workers: int = 1
) -> None:
    """Serve until interrupted; the server processes read the database URL from the env and
    build the app themselves (uvicorn starts several workers only from an import string)."""
    os.environ["RAVINE_DATABASE_URL"] = settings.database_url
    state.say(f"Ravine is at http://{host}:{port}/ (API docs at /docs); Ctrl-C stops it")
    uvicorn.run(
        f"{create_served_app.__module__}:{create_served_app.__name__}",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning" if state.quiet else "info",
    )


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Host = "127.0.0.1",
        port: Port = 8000,
        workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
        run_migrations: Annotated[
            bool, typer.Option("--migrate", help="Upgrade the schema first if it is behind.")
        ] = False,
    ) -> None:
        """Serve the dashboard (/) and the REST API (/api/v1, docs at /docs). Refuses a
        database whose schema is behind unless --migrate is given.

        Example:

            ravine serve --host 0.0.0.0 --port 8080 --workers 2 --migrate
        """
        state = state_of(ctx)
        settings = state.settings()
        engine = make_engine(settings.database_url)
        try:
            if run_migrations:
                migrate.upgrade(engine)
            migrate.require_current(engine)
            with session_scope(make_session_factory(engine)) as session:  # pushes write
                require_mode(session, collapse=settings.collapse_duplicates)
        finally:
            engine.dispose()
        run_server(state, settings, host=host, port=port, workers=workers)
