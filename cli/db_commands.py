"""``ravine db``: create or upgrade the schema."""

from __future__ import annotations

import typer

from cli.state import state_of
from ravine import migrate
from ravine.db import make_engine


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def upgrade(ctx: typer.Context) -> None:
        """Create the schema in an empty database, or bring an older one to the newest revision.

        Example:

            RAVINE_DATABASE_URL=postgresql+psycopg://ravine@db/ravine ravine db upgrade
        """
        state = state_of(ctx)
        settings = state.settings()
        engine = make_engine(settings.database_url)
        try:
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
            after = migrate.current_revision(engine)
        finally:
            engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        if before == after:
            state.say(f"{where} is up to date (revision {after})")
        else:
            state.say(f"upgraded {where} from {before or 'an empty database'} to {after}")
