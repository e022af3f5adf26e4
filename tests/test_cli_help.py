"""Every ``ravine`` command explains itself with an example, as Datasette's commands do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer

from ingest.cli.app import app
from ingest.cli.main import run


def command_paths(group: object = None, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    command = typer.main.get_command(app) if group is None else group
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield prefix
        return
    for name, sub in subcommands.items():
        yield from command_paths(sub, (*prefix, name))


PATHS = sorted(command_paths())


def test_the_expected_commands_exist() -> None:
    names = {" ".join(path) for path in PATHS}
    assert {"db upgrade", "ingest file", "score", "stats", "entities add", "entities list"} <= names


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_every_command_help_has_an_example(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*path, "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "Example:" in help_text, f"`ravine {' '.join(path)} --help` shows no example"
    example = help_text.split("Example:", 1)[1]
    assert f"ravine {' '.join(path)}" in " ".join(example.split())
