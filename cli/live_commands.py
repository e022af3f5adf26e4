"""``ravine ingest check|sync|run|status``: live sources from a sources file (TOML)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.logging import RichHandler
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn

from cli.alert_check import check_alerts
from cli.entity_commands import AsCsv, AsJson
from cli.exit_codes import ExitCode
from cli.output import choose_format, render
from cli.sources_file import ConfigPath, load_config, problems_listed
from cli.state import CliState, state_of
from cli.usage import choice_of
from ingest.live.logs import LogFormat, configure_logging
from ingest.live.runner import Runner, RunOptions, failed
from ingest.live.source_run import PageCallback, SourceOutcome
from ingest.live.sync import sync_sources
from ravine.repository.ingest_status import SourceStatus, source_statuses

SourceNames = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", metavar="NAME", help="Only this source; repeatable."),
]
RUN_COLUMNS = ("source", "status", "pages", "new", "updated", "unchanged", "rejected", "error")
STATUS_COLUMNS = (
    "source", "kind", "entity", "voice", "enabled", "last_run", "status", "fetched", "inserted",
    "updated", "unchanged", "rejected", "next_due", "error",
)  # fmt: skip
TABLE_COLUMNS = ("source", "status", "last_run", "inserted", "updated", "rejected", "next_due")


def _ingest_group(app: typer.Typer) -> typer.Typer:
    """The ``ingest`` group that ``ravine ingest file`` created (registered before this)."""
    for group in app.registered_groups:
        if group.name == "ingest" and group.typer_instance is not None:
            return group.typer_instance
    raise RuntimeError("register file_commands before live_commands")


@contextmanager
def _progress(state: CliState) -> Iterator[PageCallback | None]:
    """Pages read per source, on a terminal only."""
    if not state.interactive:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed} pages"))
    tasks: dict[str, TaskID] = {}
    with Progress(*columns, console=state.err, transient=True) as progress:

        def advance(source: str, pages: int) -> None:
            if source not in tasks:
                tasks[source] = progress.add_task(source, total=None)
            progress.update(tasks[source], completed=pages)

        yield advance


def _summary(state: CliState, outcomes: list[SourceOutcome]) -> None:
    if not state.interactive:
        return
    if not outcomes:
        state.say("no source was due; `ravine ingest status` shows when each one is")
        return
    rows = [
        {
            "source": o.name, "status": o.status + (" (more)" if o.more else ""),
            "pages": o.pages, "new": o.counts.inserted, "updated": o.counts.updated,
            "unchanged": o.counts.unchanged, "rejected": len(o.rejected), "error": o.error,
        }
        for o in outcomes
    ]  # fmt: skip
    render(rows, columns=RUN_COLUMNS, fmt="table", console=state.err)


def register(app: typer.Typer) -> None:
    ingest = _ingest_group(app)

    @ingest.command("check")
    def check(ctx: typer.Context, config: ConfigPath) -> None:
        """Check a sources file without touching the database: every problem is listed with
        its line, what is wrong and how to fix it, including environment variables named by
        *_env keys that are not set. Exit code 2 when there are problems.

        Example:

            ravine ingest check --config sources.toml
        """
        state = state_of(ctx)
        loaded = load_config(state, config, need_env=True)
        kinds = ", ".join(sorted({source.kind for source in loaded.sources})) or "none"
        alerts = loaded.alerts
        state.say(
            f"{config}: {len(loaded.entities)} entities, {len(loaded.sources)} sources "
            f"({kinds}), {len(alerts.rules)} alert rules, {len(alerts.channels)} channels; "
            "no problems"
        )

    @ingest.command("sync")
    def sync(ctx: typer.Context, config: ConfigPath) -> None:
        """Write the file's entities and sources to the database (`ingest run` does this too).

        Example:

            ravine ingest sync --config sources.toml
        """
        state = state_of(ctx)
        loaded = load_config(state, config, need_env=False)
        with problems_listed(state):
            report = sync_sources(state.sessions(state.settings(), for_writes=True), loaded)
        state.say(report.summary())

    @ingest.command("run")
    def run(
        ctx: typer.Context,
        config: ConfigPath,
        source: SourceNames = None,
        force: Annotated[bool, typer.Option(help="Read every source, due or not.")] = False,
        max_pages: Annotated[
            int | None, typer.Option(min=1, help="Pages per source this run (default: file).")
        ] = None,
        log_format: Annotated[
            LogFormat,
            typer.Option(
                help="text, or json: one JSON object per line on stderr.", **choice_of(LogFormat)
            ),
        ] = "text",
    ) -> None:
        """Read every due source of the file, storing each page with its cursor, so an
        interrupted run loses nothing and a rerun duplicates nothing, then check the file's
        alert rules (as `ravine alerts check`). Safe every few minutes from cron: overlapping
        runs skip sources that are being read. Silent on success when not on a terminal;
        exit code 1 when a source failed or an alert could not be delivered.

        Example:

            ravine ingest run --config sources.toml --log-format json
        """
        state = state_of(ctx)
        json_info = logging.INFO if log_format == "json" else logging.WARNING
        level = logging.DEBUG if state.debug else logging.ERROR if state.quiet else json_info
        on_terminal = state.interactive and log_format == "text"
        handler = RichHandler(console=state.err, show_time=False, show_path=False, markup=False)
        configure_logging(fmt=log_format, level=level, handler=handler if on_terminal else None)
        loaded = load_config(state, config, need_env=False)
        settings = state.settings()
        factory = state.sessions(settings, for_writes=True)
        with problems_listed(state):
            sync_sources(factory, loaded)
        options = RunOptions(only=frozenset(source or ()), force=force, max_pages=max_pages)
        with _progress(state) as on_page:
            runner = Runner(
                config=loaded, engine=state.engine(settings, for_writes=True), factory=factory,
                settings=settings, environ=os.environ, on_page=on_page,
            )  # fmt: skip
            try:
                outcomes = runner.run(options)
            except KeyboardInterrupt:
                state.err.print("interrupted: stored pages are kept; the next run resumes")
                raise typer.Exit(ExitCode.PARTIAL) from None
        _summary(state, outcomes)
        checked = check_alerts(state, loaded) if loaded.alerts.rules else ExitCode.OK
        if failed(outcomes) or checked != ExitCode.OK:
            raise typer.Exit(ExitCode.PARTIAL)

    @ingest.command("status")
    def status(
        ctx: typer.Context,
        source: SourceNames = None,
        as_json: AsJson = False,
        as_csv: AsCsv = False,
    ) -> None:
        """Each source's latest run (status, counts, error) and when it is next due.

        Example:

            ravine ingest status --json
        """
        state = state_of(ctx)
        fmt = choose_format(as_json=as_json, as_csv=as_csv)
        with state.reading() as session:
            rows = [_status_row(status) for status in source_statuses(session, names=source)]
        if fmt != "table":
            render(rows, columns=STATUS_COLUMNS, fmt=fmt, console=state.out)
            return
        for row in rows:  # a terminal is narrow: minutes are enough, errors go below
            for key in ("last_run", "next_due"):
                row[key] = row[key] and row[key][:16].replace("T", " ")
        render(rows, columns=TABLE_COLUMNS, fmt=fmt, console=state.out)
        for row in rows:
            if row["error"]:
                state.out.print(f"{row['source']}: {row['error']}", markup=False)


def _status_row(status: SourceStatus) -> dict[str, Any]:
    run = status.last_run
    counts = ("status", "fetched", "inserted", "updated", "unchanged", "rejected", "error")
    return {
        "source": status.name,
        "kind": status.kind,
        "entity": status.entity,
        "voice": status.voice,
        "enabled": status.enabled,
        "last_run": run and run.started_at.isoformat(timespec="seconds"),
        **{key: getattr(run, key) if run else None for key in counts},
        "next_due": status.next_due and status.next_due.isoformat(timespec="seconds"),
    }
