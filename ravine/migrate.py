"""Run and check Alembic migrations from code, so ``ravine db upgrade`` needs no alembic.ini.

Checking that a database is current needs no Alembic: the stored revision is read with plain
SQL and compared with :data:`HEAD_REVISION`. Alembic (a tenth of a second to import) is
imported only to migrate, so every ``ravine ingest`` run under cron starts without it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text

from ravine.errors import SchemaNotCurrentError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration's revision; tests/test_migrations.py fails until a new one updates it.
HEAD_REVISION = "f2b6d8e0a4c7"

# Foreign keys of the models that PostgreSQL enforces with statement-level triggers instead
# (migration 60c92fb87223: a per-row check cost more than the row's insert). Autogenerate must
# not put them back there.
TRIGGER_CHECKED_FOREIGN_KEYS = frozenset(
    {"fk_documents_entity_id_entities", "fk_documents_source_id_sources"}
)


def alembic_config() -> Config:
    """Alembic configuration pointing at the installed ``migrations`` package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    return config


# Full-text search objects made by migration 5c2e8f1a9d43 outside the models: PostgreSQL's
# generated column and its index, SQLite's FTS5 table and the tables FTS5 keeps beside it.
SEARCH_COLUMN = "search"
SEARCH_INDEX = "ix_documents_search"
SEARCH_TABLE = "document_search"
# The partial index on documents (entity_id, voice, text_key) WHERE text_key IS NOT NULL, made
# by migration d3a8e5f1c7b2 outside the models (its WHERE is dialect-specific).
TEXT_KEY_INDEX = "ix_documents_entity_id_voice_text_key"


def compared_object(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's ``include_object`` hook: what autogenerate compares on ``dialect``."""

    def include(_obj: Any, name: str | None, kind: str, _reflected: bool, _other: Any) -> bool:
        if kind == "table" and name is not None and name.startswith(SEARCH_TABLE):
            return False
        if (kind, name) in {
            ("column", SEARCH_COLUMN),
            ("index", SEARCH_INDEX),
            ("index", TEXT_KEY_INDEX),
        }:
            return False
        return not (
            dialect == "postgresql"
            and kind == "foreign_key_constraint"
            and name in TRIGGER_CHECKED_FOREIGN_KEYS
        )

    return include


def head_revision() -> str:
    """The newest revision as Alembic finds it in ``migrations`` (see :data:`HEAD_REVISION`)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations package has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database, None for a database never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest) in one transaction per step."""
    _run(engine, action="upgrade", revision=revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, action="downgrade", revision=revision)


def _run(engine: Engine, *, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def is_empty(engine: Engine) -> bool:
    """True for a database with no tables at all (a new SQLite file, a fresh schema)."""
    return not inspect(engine).get_table_names()


def require_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not the one this code was written for."""
    current, head = current_revision(engine), HEAD_REVISION
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
