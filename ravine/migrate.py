"""Run and check Alembic migrations from code, so ``ravine db upgrade`` needs no alembic.ini."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from ravine.errors import SchemaNotCurrentError


def alembic_config() -> Config:
    """Alembic configuration pointing at the installed ``migrations`` package."""
    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations package has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest) in one transaction per step."""
    _run(engine, action="upgrade", revision=revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, action="downgrade", revision=revision)


def _run(engine: Engine, *, action: str, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def is_empty(engine: Engine) -> bool:
    """True for a database with no tables at all (a new SQLite file, a fresh schema)."""
    return not inspect(engine).get_table_names()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not the one this code was written for."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    url = engine.url.render_as_string(hide_password=True)
    if current is None:
        raise SchemaNotCurrentError(
            f"database {url} has no Ravine schema; run `ravine db upgrade` to create it"
        )
    raise SchemaNotCurrentError(
        f"database {url} is at schema revision {current}, this Ravine needs {head}; "
        "run `ravine db upgrade`"
    )


def prepare_for_writes(engine: Engine) -> bool:
    """Create the schema in an empty database, else require it to be current.

    Returns True when the schema was just created, so the caller can say so.
    """
    if is_empty(engine):
        upgrade(engine)
        return True
    require_current(engine)
    return False
