"""``ravine rollup``: maintenance of the hourly roll-ups behind every series."""

from __future__ import annotations

import typer

from cli.state import state_of
from ravine.repository.duplicates import switch
from ravine.repository.rollups import rebuild
from ravine.repository.totals import rebuild_totals


def register(app: typer.Typer) -> None:
    rollup = typer.Typer(help="Maintain the hourly roll-ups.", no_args_is_help=True)
    app.add_typer(rollup, name="rollup")

    @rollup.command("rebuild")
    def rebuild_command(ctx: typer.Context) -> None:
        """Recompute the roll-ups and the per-voice totals from the documents (both are kept
        exact on every write; this is for repair after editing the database by hand), and
        apply RAVINE_COLLAPSE_DUPLICATES: near-duplicates are marked (or unmarked) first.

        Example:

            RAVINE_COLLAPSE_DUPLICATES=true ravine rollup rebuild
        """
        state = state_of(ctx)
        collapse = state.settings().collapse_duplicates
        with state.writing(check_duplicates=False) as s:
            duplicates = switch(s, collapse=collapse)
            rows = rebuild(s)
            totals = rebuild_totals(s)
        counted = (
            f"{duplicates:,} near-duplicates left out" if collapse else "no duplicates left out"
        )
        state.say(f"rebuilt {rows:,} hourly roll-up rows and {totals:,} voice totals; {counted}")
