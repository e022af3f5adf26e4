"""The CLI's contract: schema upgrades, settings errors, one-line errors, progress on a TTY."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ravine import migrate
from ravine.db import make_engine
from tests.cli import RAVINE_PROCESS, SAMPLE, ravine
from tests.databases import DatabaseFactory


def test_db_upgrade_creates_then_upgrades_then_is_idempotent(
    capsys: pytest.CaptureFixture[str], databases: DatabaseFactory
) -> None:
    url = databases.empty()
    first = ravine(capsys, url, "db", "upgrade")
    assert first.code == 0 and "from an empty database" in first.err
    engine = make_engine(url)
    migrate.downgrade(engine, "base")  # an "older" database: schema history but no tables
    engine.dispose()
    again = ravine(capsys, url, "db", "upgrade")
    assert again.code == 0 and "upgraded" in again.err
    assert (
        ravine(capsys, url, "db", "upgrade")
        .err.strip()
        .endswith(f"is up to date (revision {migrate.head_revision()})")
    )
    engine = make_engine(url)
    assert "documents" in inspect(engine).get_table_names()
    engine.dispose()


def test_readers_refuse_a_database_without_the_schema(
    capsys: pytest.CaptureFixture[str], databases: DatabaseFactory
) -> None:
    url = databases.empty()
    engine = make_engine(url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    engine.dispose()
    result = ravine(capsys, url, "stats")
    assert result.code == 2
    assert "run `ravine db upgrade`" in result.err


@pytest.mark.parametrize(
    ("env", "database_url", "expected"),
    [
        ({"RAVINE_BATCH_SIZE": "0"}, None, "RAVINE_BATCH_SIZE"),
        ({"RAVINE_WORKERS": "many"}, None, "RAVINE_WORKERS"),
        ({"RAVINE_LEXICON_OVERRIDES": "/nonexistent.tsv"}, None, "does not exist"),
        ({"RAVINE_SCORER": "quick"}, None, "RAVINE_SCORER"),
        ({}, "mysql://localhost/x", "--database-url: unsupported database"),
        ({}, "not a url", "--database-url: cannot parse"),
    ],
)
def test_bad_settings_exit_2_naming_the_setting(
    env: dict[str, str],
    database_url: str | None,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    db = database_url or f"sqlite:///{tmp_path / 'x.db'}"
    result = ravine(
        capsys, db, "ingest", "file", f"{SAMPLE}/posts.csv", "--voice", "public",
        "--entity-column", "entity",
    )  # fmt: skip
    assert result.code == 2
    assert expected in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("error: ")


def test_an_unreachable_database_is_one_line_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2"
    result = ravine(capsys, url, "entities", "list")
    assert result.code == 2
    assert result.err.startswith("error: database error:") and result.err.count("\n") == 1
    command = [*RAVINE_PROCESS, "--debug",
               "--database-url", url, "entities", "list"]  # fmt: skip
    debug = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def run_with_stderr(tmp_path: Path, *, tty: bool) -> bytes:
    command = [
        *RAVINE_PROCESS, "--database-url",
        f"sqlite:///{tmp_path / ('tty.db' if tty else 'pipe.db')}", "ingest", "file",
        f"{SAMPLE}/posts.csv", "--voice", "public", "--entity-column", "entity",
        "--create-entities", "--workers", "1", "--batch-size", "200",
    ]  # fmt: skip
    if not tty:
        return subprocess.run(command, capture_output=True, timeout=120).stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks)


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    on_terminal = run_with_stderr(tmp_path, tty=True)
    in_a_pipe = run_with_stderr(tmp_path, tty=False)
    assert "━".encode() in on_terminal and b"posts.csv" in on_terminal
    assert "━".encode() not in in_a_pipe and b"\x1b[" not in in_a_pipe
    posts = len((SAMPLE / "posts.csv").read_text().splitlines()) - 1
    assert f"{posts:,} records".encode() in in_a_pipe
