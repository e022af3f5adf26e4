"""``ravine ingest file``: import a CSV or JSON Lines file of statements or posts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from cli.exit_codes import ExitCode
from cli.progress import progress_bar
from cli.state import CliState, state_of
from cli.usage import choice_of
from ingest.file_import import FileImport, FileImportOptions, ImportReport
from ingest.files.fields import FIELDS, parse_map_options
from ingest.files.formats import Format
from ravine.config import Settings

Voice = Literal["corporate", "public"]


def register(app: typer.Typer) -> None:
    ingest = typer.Typer(help="Bring documents in.", no_args_is_help=True)
    app.add_typer(ingest, name="ingest")

    @ingest.command("file")
    def file(
        ctx: typer.Context,
        path: Annotated[
            Path, typer.Argument(metavar="PATH", help="CSV or JSON Lines file, optionally .gz.")
        ],
        voice: Annotated[
            Voice,
            typer.Option(
                help="corporate: the entity's own statements; public: posts about it.",
                **choice_of(Voice),
            ),
        ],
        entity: Annotated[
            str | None, typer.Option(help="Entity of every row (slug, name or alias).")
        ] = None,
        entity_column: Annotated[
            str | None, typer.Option(help="Column naming each row's entity.")
        ] = None,
        fmt: Annotated[
            Format | None,
            typer.Option(
                "--format", help="Default: from the file name, else sniffed.", **choice_of(Format)
            ),
        ] = None,
        mapping: Annotated[
            list[str] | None,
            typer.Option(
                "--map",
                metavar="FIELD=COLUMN",
                help=f"FIELD=COLUMN, repeatable. Fields: {', '.join(FIELDS)}.",
            ),
        ] = None,
        create_entities: Annotated[
            bool, typer.Option(help="Create entities that do not exist yet.")
        ] = False,
        rejects: Annotated[
            Path | None, typer.Option(help="Write rejected rows here (JSON Lines).")
        ] = None,
        tz: Annotated[
            str, typer.Option(help="Time zone of timestamps that carry none (IANA name).")
        ] = "UTC",
        source: Annotated[
            str | None,
            typer.Option(help="Source name to file documents under (default file:VOICE)."),
        ] = None,
        force: Annotated[
            bool, typer.Option(help="Re-read a file that was already imported completely.")
        ] = False,
        workers: Annotated[
            int | None, typer.Option(help="Scoring processes (default: all cores).")
        ] = None,
        batch_size: Annotated[
            int | None,
            typer.Option(
                help="Rows per transaction (default: RAVINE_BATCH_SIZE, else "
                f"{Settings.model_fields['batch_size'].default}).",
            ),
        ] = None,
    ) -> None:
        """Import documents from a CSV or JSON Lines file (gzip or not), score them and store
        them. Rerunning is safe: nothing is duplicated, an interrupted import resumes, and a
        completed file is skipped. Bad rows are skipped, counted and listed; exit code 1 then.

        Example:

        \b
            ravine ingest file Tweets.csv.gz --voice public --entity-column airline \\
              --create-entities --map external_id=tweet_id --map created_at=tweet_created \\
              --rejects rejects.jsonl
        """
        state = state_of(ctx)
        settings = state.settings(workers=workers, batch_size=batch_size)
        options = FileImportOptions(
            path=path,
            voice=voice,
            entity=entity,
            entity_column=entity_column,
            fmt=fmt,
            field_overrides=parse_map_options(mapping or []),
            create_entities=create_entities,
            rejects=rejects,
            tz=tz,
            source=source,
            force=force,
        )
        job = FileImport(
            options, settings=settings, session_factory=state.sessions(settings, for_writes=True)
        )
        with progress_bar(
            path.name, console=state.err, enabled=state.interactive, in_bytes=True
        ) as track:
            try:
                report = job.run(on_progress=track)
            except KeyboardInterrupt:
                state.err.print("interrupted: committed batches are kept; rerun to resume")
                raise typer.Exit(ExitCode.PARTIAL) from None
        _summarise(state, report, rejects=rejects)
        if report.rejected:
            raise typer.Exit(ExitCode.PARTIAL)


def _summarise(state: CliState, report: ImportReport, *, rejects: Path | None) -> None:
    if report.already_imported:
        state.say(
            f"{report.path.name} was already imported into {report.source}; --force re-reads it"
        )
        return
    counts = report.counts
    resumed = f" (resumed after record {report.resumed_after:,})" if report.resumed_after else ""
    state.say(
        f"{report.path.name}{resumed}: {report.records:,} records, {counts.inserted:,} new, "
        f"{counts.updated:,} updated, {counts.unchanged:,} unchanged, {report.rejected:,} rejected"
        + (f", {report.unscored:,} stored unscored (not English)" if report.unscored else "")
    )
    for line, error in report.reject_samples[:10]:
        state.say(f"  line {line}: {error}")
    if report.rejected > 10:
        where = f"all of them in {rejects}" if rejects else "--rejects FILE lists all of them"
        state.say(f"  … {report.rejected - 10:,} more; {where}")
