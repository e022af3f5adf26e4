"""The sources file on the command line: its option, and its problems listed one per line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from cli.exit_codes import ExitCode
from cli.state import CliState
from ingest.live.config import SourcesConfig
from ingest.live.config_reader import load_sources
from ingest.live.problems import SourcesFileError

ConfigPath = Annotated[
    Path,
    typer.Option(
        "--config", "-c", envvar="RAVINE_SOURCES", help="The sources file (TOML).",
        dir_okay=False,
    ),
]  # fmt: skip


@contextmanager
def problems_listed(state: CliState) -> Iterator[None]:
    """Every problem of a sources file on its own line (not only the first), exit code 2."""
    try:
        yield
    except SourcesFileError as exc:
        for line in exc.lines():
            state.err.print(line, markup=False, highlight=False)
        raise typer.Exit(ExitCode.USAGE) from None


def load_config(state: CliState, path: Path, *, need_env: bool) -> SourcesConfig:
    with problems_listed(state):
        return load_sources(path, environ=os.environ, need_env=need_env)
