"""Entry point: run the app, turn expected failures into one line and the right exit code."""

from __future__ import annotations

import gc
import importlib
import sys

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from cli.app import new_app
from cli.exit_codes import ExitCode
from cli.usage import report_usage_error, use_plain_usage
from ravine.errors import ConfigError, NotFoundError, RavineError

# Each top-level command and the modules (in cli) that register it, in help order. A run
# imports only its command's modules: `ravine ingest file` under cron does not pay for loading
# the web server, the demo or the live connectors' configuration.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "db": ("db_commands",),
    "entities": ("entity_commands",),
    "ingest": ("file_commands", "live_commands"),
    "score": ("score_commands",),
    "stats": ("stats_commands",),
    "apikey": ("apikey_commands",),
    "annotations": ("annotation_commands",),
    "alerts": ("alert_commands",),
    "report": ("report_commands",),
    "serve": ("serve_commands",),
    "rollup": ("rollup_commands",),
    "demo": ("demo_commands",),
}
# Subcommands that need fewer modules than their group (the hot path of cron imports).
SUBCOMMAND_MODULES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("ingest", "file"): ("file_commands",),
}
_OPTIONS_WITH_VALUE = frozenset({"--database-url"})


def build_app(words: tuple[str, ...] = ()) -> typer.Typer:
    """The CLI with the modules the command ``words`` needs, or with every command when they
    name none (``ravine --help``, a typo)."""
    app = new_app()
    needed = SUBCOMMAND_MODULES.get(words[:2]) or COMMAND_MODULES.get(words[0] if words else "")
    for name in needed or [name for names in COMMAND_MODULES.values() for name in names]:
        importlib.import_module(f"cli.{name}").register(app)
    use_plain_usage(app)
    return app


def command_words(argv: list[str]) -> tuple[str, ...]:
    """The command and subcommand an argument list asks for, past the global options."""
    words: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in _OPTIONS_WITH_VALUE:
            next(tokens, None)
        elif not token.startswith("-"):
            words.append(token)
            if len(words) == 2:
                break
    return tuple(words)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (tests call this; ``main`` exits with it).

    Usage errors (exit 2) and Ravine's own failures become one line here.
    """
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    command = typer.main.get_command(build_app(command_words(args)))
    try:
        result = command.main(args=args, prog_name="ravine", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else ExitCode.OK
    except typer.Abort:
        return _fail("aborted", ExitCode.PARTIAL)
    except typer.TyperException as exc:  # a bad flag, value or argument
        report_usage_error(exc)
        return ExitCode.USAGE
    except Exception as exc:
        if debug:
            raise
        return _fail(_one_line(exc), ExitCode.USAGE if _is_configuration(exc) else ExitCode.PARTIAL)
    return result if isinstance(result, int) else ExitCode.OK


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
    code = run()
    # Everything is closed by now. Frozen, the objects left are not walked once more by the
    # interpreter's final collection: a tenth of a second off every cron run.
    gc.freeze()
    sys.exit(code)
