"""Run an alert check from the command line: ``ravine alerts check`` and the end of
``ravine ingest run`` share it, so both print and exit alike."""

from __future__ import annotations

import os
from datetime import date

from cli.exit_codes import ExitCode
from cli.state import CliState
from ingest.alerts.check import AlertCheck, CheckReport
from ingest.live.config import SourcesConfig


def check_alerts(
    state: CliState, loaded: SourcesConfig, *, since: date | None = None, send: bool = True
) -> ExitCode:
    """Check the file's rules; problems go to stderr one per line (exit 1), the summary only
    to a person at a terminal (cron stays quiet on success)."""
    settings = state.settings()
    report = AlertCheck(
        config=loaded.alerts, engine=state.engine(settings, for_writes=True),
        factory=state.sessions(settings, for_writes=True), environ=os.environ,
        dashboard_url=settings.dashboard_url,
    ).run(since=since, send=send)  # fmt: skip
    for problem in report.problems:
        state.err.print(f"error: {problem}", markup=False, highlight=False)
    if state.interactive:
        state.err.print(_summary(report), markup=False, highlight=False)
    return ExitCode.PARTIAL if report.problems else ExitCode.OK


def _summary(report: CheckReport) -> str:
    if report.locked:
        return "another alert check is running; this one did nothing"
    sent = f", {report.sent} messages sent" if report.sent else ""
    return f"alerts: {report.events} new events{sent}"
