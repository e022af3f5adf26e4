"""``ravine report``: one self-contained HTML (or PDF) file of an entity's ravine over a range,
for an analyst to attach to an e-mail (:mod:`dashboard.report`)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from api.routers.ravine_params import series_params
from cli.chromium import find_chromium, print_pdf
from cli.entity_commands import entity_named
from cli.state import state_of
from cli.usage import choice_of
from dashboard.report import gather, render
from ravine.analytics import Freq
from ravine.errors import ConfigError
from ravine.scoring import ScorerConfig, get_scorer

Format = Literal["html", "pdf"]


def _writable(out: Path) -> None:
    """Fail before the work, not after it, when ``out`` cannot be written."""
    folder = out.parent
    if out.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise ConfigError(f"--out: cannot write {out}; name a file in a writable folder")


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        ctx: typer.Context,
        entity: Annotated[str, typer.Option(help="Entity slug, name or alias.")],
        out: Annotated[Path, typer.Option(help="The file to write.")],
        since: Annotated[
            str | None,
            typer.Option(metavar="YYYY-MM-DD", help="First local day (default: a year to until)."),
        ] = None,
        until: Annotated[
            str | None,
            typer.Option(metavar="YYYY-MM-DD", help="Last local day (default: the newest's)."),
        ] = None,
        freq: Annotated[Freq, typer.Option(**choice_of(Freq), help="Period length.")] = "week",
        tz: Annotated[str, typer.Option(help="IANA time zone of the days.")] = "UTC",
        fmt: Annotated[
            Format,
            typer.Option(
                "--format", **choice_of(Format), help="pdf prints the HTML with Chromium."
            ),
        ] = "html",
    ) -> None:
        """Write a report of an entity's ravine over a range to one file that opens offline:
        the dashboard's chart, the summary with its intervals, each voice's drivers, the
        range's annotations and how to read them. PDF needs Chromium (RAVINE_CHROMIUM or
        chromium on the PATH).

        Example:

            ravine report --entity acme --since 2025-06-01 --until 2025-09-30 --out acme.html
        """
        state = state_of(ctx)
        _writable(out)
        chromium = find_chromium() if fmt == "pdf" else None
        params = series_params(since=since, until=until, freq=freq, tz=tz)
        scorer = get_scorer(ScorerConfig.from_settings(state.settings()))
        with state.reading() as session:
            found = entity_named(session, entity)
            query = params.query(session, found)
            html = render(gather(session, found, query, scorer, datetime.now(UTC)))
        body = html.encode() if chromium is None else print_pdf(html, chromium)
        try:
            out.write_bytes(body)
        except OSError as error:
            raise ConfigError(f"--out: cannot write {out}: {error.strerror}") from None
        state.say(f"wrote {out} ({len(body):,} bytes)")
