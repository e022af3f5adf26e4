"""``ravine stats``: how many documents per entity, voice and month."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cli.entity_commands import AsCsv, AsJson
from cli.output import choose_format, render
from cli.state import state_of
from ravine.errors import ConfigError
from ravine.repository.entities import find_entity
from ravine.repository.stats import monthly_counts

COLUMNS = ("entity", "voice", "month", "documents", "scored", "mean_compound")


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats(
        ctx: typer.Context,
        entity: Annotated[
            str | None, typer.Option(help="Only this entity (slug, name or alias).")
        ] = None,
        as_json: AsJson = False,
        as_csv: AsCsv = False,
    ) -> None:
        """Documents per entity, voice and month (UTC): how many, how many scored, and their
        mean VADER compound score (−1..1).

        Example:

            ravine stats --entity united --csv > united-months.csv
        """
        state = state_of(ctx)
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        with state.reading() as session:
            entity_id = None
            if entity is not None:
                found = find_entity(session, entity)
                if found is None:
                    raise ConfigError(f"unknown entity {entity!r}; see `ravine entities list`")
                entity_id = found.id
            rows = [asdict(row) for row in monthly_counts(session, entity_id=entity_id)]
        if not rows and fmt == "table":
            state.say("no documents yet; import some with `ravine ingest file --help`")
            return
        render(rows, columns=COLUMNS, fmt=fmt, console=state.out)
