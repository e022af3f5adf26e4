"""``ravine annotations``: events marked on an entity's timeline, as the API's
``/annotations`` keeps them (the same checks, the same rows)."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from api.annotation_bodies import CSV_COLUMNS, annotations_json
from api.routers.annotations import AnnotationIn
from api.routers.ravine_params import local_day
from cli.entity_commands import AsCsv, AsJson, entity_named
from cli.output import choose_format, render
from cli.state import state_of
from ravine.errors import ConfigError, NotFoundError
from ravine.repository.annotations import add_annotation, delete_annotation

EntityArg = Annotated[str, typer.Argument(metavar="ENTITY", help="Entity slug, name or alias.")]
Since = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="From this local day.")]
Until = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="To this local day.")]


def _checked(**fields: object) -> AnnotationIn:
    """The API's checks, each problem on the one line an error gets."""
    try:
        return AnnotationIn.model_validate(fields)
    except ValidationError as error:
        problems = [
            f"{'.'.join(map(str, e['loc'])) or 'annotation'}: "
            + str(e["msg"]).removeprefix("Value error, ")
            for e in error.errors()
        ]
        raise ConfigError("; ".join(problems)) from None


def register(app: typer.Typer) -> None:
    annotations = typer.Typer(
        help="Mark events (launches, outages, earnings calls) on an entity's timeline.",
        no_args_is_help=True,
    )
    app.add_typer(annotations, name="annotations")

    @annotations.command("add")
    def add(
        ctx: typer.Context,
        entity: EntityArg,
        day: Annotated[str, typer.Argument(metavar="DATE", help="Local day, YYYY-MM-DD.")],
        label: Annotated[str, typer.Argument(metavar="LABEL", help="1 to 200 characters.")],
        end_date: Annotated[
            str | None,
            typer.Option("--end-date", metavar="YYYY-MM-DD", help="Last day of a range."),
        ] = None,
        url: Annotated[str | None, typer.Option("--url", help="An http(s) link about it.")] = None,
    ) -> None:
        """Mark an event, or a range of days, on an entity's chart; prints its id.

        Example:

            ravine annotations add acme 2025-03-10 "Rocket skates launch" --url https://acme.example/news
        """
        state = state_of(ctx)
        body = _checked(entity=entity, date=day, end_date=end_date, label=label, url=url)
        with state.writing() as session:
            found = entity_named(session, body.entity)
            stored = add_annotation(
                session, entity_id=found.id, start=body.date, end=body.end_date,
                label=body.label, url=body.url, created_by=None,
            )  # fmt: skip
            annotation_id = stored.id
        state.out.print(annotation_id)
        state.say(f"annotated {found.slug} on {body.date}")

    @annotations.command("list")
    def list_(
        ctx: typer.Context,
        entity: EntityArg,
        since: Since = None,
        until: Until = None,
        as_json: AsJson = False,
        as_csv: AsCsv = False,
    ) -> None:
        """List an entity's annotations that overlap the days given, oldest first.

        Example:

            ravine annotations list acme --since 2025-01-01 --csv
        """
        state = state_of(ctx)
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        with state.reading() as session:
            found = entity_named(session, entity)
            days = local_day(since, "--since"), local_day(until, "--until")
            rows = annotations_json(session, found, *days)
        render(rows, columns=CSV_COLUMNS, fmt=fmt, console=state.out)

    @annotations.command("delete")
    def delete(
        ctx: typer.Context,
        annotation_id: Annotated[int, typer.Argument(metavar="ID", help="From `list`.")],
    ) -> None:
        """Delete an annotation by its id.

        Example:

            ravine annotations delete 42
        """
        state = state_of(ctx)
        with state.writing() as session:
            if not delete_annotation(session, annotation_id):
                raise NotFoundError(f"no annotation {annotation_id}; see `ravine annotations list`")
        state.say(f"deleted annotation {annotation_id}")
