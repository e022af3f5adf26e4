"""The root ``ravine`` Typer app and its global options."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.state import CliState
from ravine.config import DEFAULT_DATABASE_URL
from ravine.release import RELEASE

HELP = (
    "Ravine: the gap between what organisations say and what the public says about them.\n\n"
    "Example:\n\n    ravine ingest file posts.csv --voice public --entity acme && ravine stats"
)


def _print_version(value: bool) -> None:
    if value:
        print(f"ravine {RELEASE}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help=f"Database URL (default: RAVINE_DATABASE_URL, else {DEFAULT_DATABASE_URL}).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = CliState(database_url=database_url, quiet=quiet, debug=debug)
    ctx.call_on_close(ctx.obj.close)


def new_app() -> typer.Typer:
    """The root app with its global options and no commands yet: ``cli.main`` adds
    those the command line needs."""
    app = typer.Typer(
        name="ravine",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    return app
