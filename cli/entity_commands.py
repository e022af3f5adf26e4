"""``ravine entities``: the companies, brands and organisations that Ravine tracks."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from cli.output import choose_format, render
from cli.state import state_of
from ravine.errors import ConfigError, NotFoundError
from ravine.models import Entity
from ravine.repository.entities import find_entity, list_entities, slugify, upsert_entity


def entity_named(session: Session, ref: str) -> Entity:
    """The entity a command names by slug, name or alias; a one-line error when none is."""
    found = find_entity(session, ref)
    if found is None:
        raise NotFoundError(f"no entity {ref!r}; `ravine entities list` lists them")
    return found


def read_entity_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of an entities CSV as keyword arguments of ``upsert_entity``; ConfigError if bad."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    entities = []
    for line, row in enumerate(rows, start=2):
        name = (row.get("name") or "").strip()
        slug = (row.get("slug") or "").strip() or slugify(name)
        if not name or not slug or slugify(slug) != slug:
            raise ConfigError(
                f"{path.name} line {line}: needs a name and a slug of lower-case letters, digits "
                "and hyphens (columns: name, slug, aliases)"
            )
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        entities.append({"name": name, "slug": slug, "aliases": aliases})
    return entities


AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print CSV.")]


def register(app: typer.Typer) -> None:
    entities = typer.Typer(help="Add and list tracked entities.", no_args_is_help=True)
    app.add_typer(entities, name="entities")

    @entities.command("add")
    def add(
        ctx: typer.Context,
        name: Annotated[
            str, typer.Argument(metavar="NAME", help="Display name, e.g. 'United Airlines'.")
        ],
        alias: Annotated[
            list[str] | None,
            typer.Option(
                "--alias",
                "-a",
                metavar="NAME",
                help="Another name, handle (@x), hashtag (#x) or cashtag ($X); repeatable.",
            ),
        ] = None,
        slug: Annotated[
            str | None, typer.Option(help="URL name; default derived from NAME.")
        ] = None,
    ) -> None:
        """Add an entity, or add aliases to an existing one. Aliases are matched when importing
        and masked before scoring in every entity's documents, so no tracked name sways
        sentiment; `ravine score --rescore` then rescores the documents stored before.

        Example:

            ravine entities add "United Airlines" --alias United --alias @united --alias '$UAL'
        """
        state = state_of(ctx)
        if slug is not None and slugify(slug) != slug:
            raise ConfigError(f"--slug {slug!r} must be lower-case letters, digits and hyphens")
        if not (slug or slugify(name)):
            raise ConfigError(f"cannot derive a slug from {name!r}; pass --slug")
        with state.writing() as session:
            entity, created = upsert_entity(session, name=name, slug=slug, aliases=alias or [])
            summary = f"{entity.slug} ({entity.name}); aliases: {', '.join(entity.aliases) or '-'}"
        state.say(("added " if created else "updated ") + summary)

    @entities.command("import")
    def import_(
        ctx: typer.Context,
        path: Annotated[
            Path, typer.Argument(metavar="PATH", help="CSV with columns name, slug, aliases.")
        ],
    ) -> None:
        """Add or update entities from a CSV file with the columns name, slug (optional) and
        aliases (optional, separated by ';').

        Example:

            ravine entities import entities.csv
        """
        state = state_of(ctx)
        rows = read_entity_rows(path)
        with state.writing() as s:
            created = sum(upsert_entity(s, **row)[1] for row in rows)
        state.say(f"{path.name}: {created} entities added, {len(rows) - created} updated")

    @entities.command("list")
    def list_(ctx: typer.Context, as_json: AsJson = False, as_csv: AsCsv = False) -> None:
        """List entities with their aliases.

        Example:

            ravine entities list --json
        """
        state = state_of(ctx)
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        with state.reading() as session:
            rows = [
                {"slug": e.slug, "name": e.name, "aliases": e.aliases}
                for e in list_entities(session)
            ]
        if fmt != "json":
            rows = [{**row, "aliases": "; ".join(row["aliases"])} for row in rows]
        render(rows, columns=("slug", "name", "aliases"), fmt=fmt, console=state.out)
