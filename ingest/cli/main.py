"""Entry point: run the app, turn expected failures into one line and the right exit code."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ingest.cli import (
    apikey_commands,
    db_commands,
    demo_commands,
    entity_commands,
    file_commands,
    live_commands,
    rollup_commands,
    score_commands,
    serve_commands,
    stats_commands,
)
from ingest.cli.app import app
from ravine.errors import ConfigError, NotFoundError, RavineError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

COMMANDS = (
    db_commands,
    entity_commands,
    file_commands,
    live_commands,
    score_commands,
    stats_commands,
    apikey_commands,
    serve_commands,
    rollup_commands,
    demo_commands,
)
for module in COMMANDS:
    module.register(app)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; ``main`` exits with it).

    Typer reports usage errors itself (exit 2); Ravine's own failures become one line here.
    """
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="ravine", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except Exception as exc:
        if debug:
            raise
        return _fail(_one_line(exc), EXIT_USAGE if _is_configuration(exc) else EXIT_PARTIAL)
    return EXIT_OK


def _is_configuration(exc: Exception) -> bool:
    return isinstance(exc, ConfigError | NotFoundError | OperationalError)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OperationalError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return f"database error: {reason} (check RAVINE_DATABASE_URL / --database-url)"
    if isinstance(exc, RavineError | SQLAlchemyError):
        return str(exc).splitlines()[0]
    return f"{type(exc).__name__}: {exc} (rerun with --debug for the traceback)"


def main() -> None:
    sys.exit(run())
