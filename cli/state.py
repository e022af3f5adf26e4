"""What every command shares: settings from env and flags, the database, output switches."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ravine import migrate
from ravine.config import Settings, load_settings
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.errors import ConfigError
from ravine.repository.duplicates import require_mode, switch


@dataclass
class CliState:
    database_url: str | None = None
    quiet: bool = False
    debug: bool = False
    err: Console = field(
        default_factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True)
    )
    out: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    _engine: Engine | None = None

    def settings(self, **overrides: Any) -> Settings:
        return load_settings(database_url=self.database_url, **overrides)

    @property
    def interactive(self) -> bool:
        """Progress bars only for a person at a terminal; cron and pipes stay quiet."""
        return not self.quiet and sys.stderr.isatty()

    def say(self, message: str) -> None:
        """A summary line for the user; ``--quiet`` silences it."""
        if not self.quiet:
            self.err.print(message)

    def engine(
        self, settings: Settings, *, for_writes: bool, check_duplicates: bool = True
    ) -> Engine:
        """The database engine; writers create the schema in a new database, readers need it.

        Writers also need the stored roll-ups to count near-duplicates as
        RAVINE_COLLAPSE_DUPLICATES says (a new database takes the setting as it is), unless
        ``check_duplicates`` is off: for the command that applies the setting.
        """
        if self._engine is None:
            url = make_url(settings.database_url)
            if url.get_backend_name() == "sqlite" and not for_writes:
                path = Path(url.database or "")
                if not path.is_file():
                    raise ConfigError(
                        f"no database at {path}; import documents first "
                        "(`ravine ingest file --help`) or set RAVINE_DATABASE_URL"
                    )
            self._engine = make_engine(settings.database_url, echo=settings.echo_sql)
            if for_writes:
                created = migrate.prepare_for_writes(self._engine)
                if created:
                    self.say(f"created the Ravine schema in {url.render_as_string()}")
                if check_duplicates:
                    self._follow_duplicates(settings, new=created)
            else:
                migrate.require_current(self._engine)
        return self._engine

    def _follow_duplicates(self, settings: Settings, *, new: bool) -> None:
        assert self._engine is not None
        factory = make_session_factory(self._engine)
        with session_scope(factory, write=new) as session:
            if new:
                switch(session, collapse=settings.collapse_duplicates)
            else:
                require_mode(session, collapse=settings.collapse_duplicates)

    def sessions(
        self, settings: Settings, *, for_writes: bool, check_duplicates: bool = True
    ) -> sessionmaker[Session]:
        engine = self.engine(settings, for_writes=for_writes, check_duplicates=check_duplicates)
        return make_session_factory(engine)

    @contextmanager
    def writing(self, *, check_duplicates: bool = True) -> Iterator[Session]:
        """One write transaction on the configured database (its schema made if it is new)."""
        factory = self.sessions(self.settings(), for_writes=True, check_duplicates=check_duplicates)
        with session_scope(factory, write=True) as s:
            yield s

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction; the database must exist with a current schema."""
        with session_scope(self.sessions(self.settings(), for_writes=False)) as session:
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def state_of(ctx: typer.Context) -> CliState:
    state = ctx.find_root().obj
    assert isinstance(state, CliState), "the root callback sets the CLI state"
    return state
