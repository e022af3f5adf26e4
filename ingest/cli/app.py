"""The root ``ravine`` Typer app and its global options."""

from __future__ import annotations

from typing import Annotated

import typer

from ingest.cli.state import CliState

app = typer.Typer(
    name="ravine",
    help=(
        "Ravine: the gap between what organisations say and what the public says about them.\n\n"
        "Example:\n\n    ravine ingest file posts.csv --voice public --entity acme && ravine stats"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database URL (default: RAVINE_DATABASE_URL, else sqlite:///ravine.db).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    ctx.obj = CliState(database_url=database_url, quiet=quiet, debug=debug)
    ctx.call_on_close(ctx.obj.close)
