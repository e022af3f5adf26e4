"""Entry point: run the app, turn expected failures into one line and the right exit code."""

from __future__ import annotations

import sys

import click
import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ingest.cli import db_commands, entity_commands, file_commands, score_commands, stats_commands
from ingest.cli.app import app
from ravine.errors import ConfigError, RavineError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

for module in (db_commands, entity_commands, file_commands, score_commands, stats_commands):
    module.register(app)


def _fail(message: str, code: int) -> int:
    click.echo(f"error: {message}", err=True)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; ``main`` exits with it)."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="ravine", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except (KeyboardInterrupt, click.exceptions.Abort):
        return _fail("interrupted; committed batches are kept, rerun to resume", EXIT_PARTIAL)
    except Exception as exc:
        if debug:
            raise
        if isinstance(exc, ConfigError):
            return _fail(str(exc), EXIT_USAGE)
        if isinstance(exc, OperationalError):
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            return _fail(f"database error: {reason} (check RAVINE_DATABASE_URL)", EXIT_USAGE)
        if isinstance(exc, RavineError | SQLAlchemyError):
            return _fail(str(exc).splitlines()[0], EXIT_PARTIAL)
        hint = "rerun with --debug for the traceback"
        return _fail(f"{type(exc).__name__}: {exc} ({hint})", EXIT_PARTIAL)
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())
