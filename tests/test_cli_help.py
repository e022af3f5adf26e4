"""Every ``ravine`` command explains itself with an example, as Datasette's commands do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from cli.main import (
    COMMAND_MODULES,
    SUBCOMMAND_MODULES,
    build_app,
    command_words,
    run,
)


def command_paths(group: object = None, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    command = typer.main.get_command(build_app()) if group is None else group
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


def test_every_command_is_listed_for_lazy_loading() -> None:
    """A command missing from COMMAND_MODULES would vanish when it is run by name."""
    assert {path[0] for path in PATHS} == set(COMMAND_MODULES)


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) for p in PATHS])
def test_a_command_run_by_name_loads_what_it_needs(path: tuple[str, ...]) -> None:
    words = command_words(["--quiet", "--database-url", "sqlite:///x.db", *path, "--help"])
    assert words == path[:2]
    lazy = set(command_paths(typer.main.get_command(build_app(words))))
    assert path in lazy
    if words[:2] not in SUBCOMMAND_MODULES:  # a whole group is loaded whole
        assert {p for p in PATHS if p[0] == path[0]} <= lazy


def test_an_import_starts_without_loading_what_it_does_not_use() -> None:
    """Cron runs `ravine ingest file` often: no web server, demo or migration tool on its path."""
    probe = (
        "import sys; from cli.main import build_app; build_app(('ingest', 'file')); "
        "print(sorted({'alembic', 'fastapi', 'uvicorn', 'httpx'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_an_english_import_into_sqlite_loads_no_language_model_or_postgresql(
    tmp_path: Path,
) -> None:
    """numpy and py3langid load only for a doubtful text, PostgreSQL's dialect only for it."""
    database = f"sqlite:///{tmp_path / 'r.db'}"
    posts = tmp_path / "posts.csv"
    posts.write_text("id,created_at,text\n1,2024-05-01T10:00:00Z,the crew was kind and good\n")
    cli = [sys.executable, "-c", "from cli import main; main()"]
    upgrade = subprocess.run(
        [*cli, "--quiet", "--database-url", database, "db", "upgrade"],
        capture_output=True,
        text=True,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    probe = (
        "import atexit, sys\n"
        "watched = {'numpy', 'pandas', 'scipy', 'py3langid', 'sqlalchemy.dialects.postgresql'}\n"
        "atexit.register(lambda: print(sorted(watched & set(sys.modules))))\n"
        "from cli import main\n"
        "main()\n"
    )
    args = ["--quiet", "--database-url", database, "ingest", "file", str(posts)]
    args += ["--voice", "public", "--entity", "Northwind Air", "--create-entities"]
    result = subprocess.run(
        [sys.executable, "-c", probe, *args, "--workers", "1"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
