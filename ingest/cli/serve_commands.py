"""``ravine serve``: the REST API (and, later, the dashboard) under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from ingest.cli.state import state_of
from ravine import migrate
from ravine.db import make_engine


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
        run_migrations: Annotated[
            bool, typer.Option("--migrate", help="Upgrade the schema first if it is behind.")
        ] = False,
    ) -> None:
        """Serve the REST API (/api/v1, docs at /docs). Refuses a database whose schema is
        behind unless --migrate is given.

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
        finally:
            engine.dispose()
        os.environ["RAVINE_DATABASE_URL"] = settings.database_url  # for the server processes
        state.say(f"serving Ravine on http://{host}:{port}/ (API docs at /docs)")
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning" if state.quiet else "info",
        )
