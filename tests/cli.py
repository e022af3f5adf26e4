"""Run the real ``ravine`` CLI (in-process, or as a process) and load the shared sample data."""

from __future__ import annotations

import signal
import sys
from dataclasses import dataclass

import pytest

from cli.demo_commands import SAMPLE
from cli.main import run

RAVINE_PROCESS = [sys.executable, "-c", "from cli import main; main()"]


def interruptible() -> None:
    """Give a child process Ctrl-C back: a shell running a job in the background makes it
    ignore SIGINT, and the child would inherit that (pass as ``preexec_fn``)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Result:
    code: int
    out: str
    err: str


def ravine(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> Result:
    capsys.readouterr()
    code = run(["--database-url", db_url, *args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def import_posts(capsys: pytest.CaptureFixture[str], db_url: str, *extra: str) -> Result:
    """The sample's public posts, keyed by their post_id column."""
    return ravine(
        capsys, db_url, "ingest", "file", str(SAMPLE / "posts.csv"), "--voice", "public",
        "--entity-column", "entity", "--map", "external_id=post_id", *extra,
    )  # fmt: skip


def load_sample(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """The whole sample dataset: entities with aliases, corporate statements, public posts."""
    assert ravine(capsys, db_url, "entities", "import", str(SAMPLE / "entities.csv")).code == 0
    statements = ravine(
        capsys, db_url, "ingest", "file", str(SAMPLE / "statements.jsonl"),
        "--voice", "corporate", "--entity-column", "entity", "--workers", "1",
    )  # fmt: skip
    assert statements.code == 0, statements.err
    posts = import_posts(capsys, db_url, "--workers", "1")
    assert posts.code == 0, posts.err
