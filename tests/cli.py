"""Run the real ``ravine`` CLI in-process and capture what it prints."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ingest.cli.main import run

SAMPLE = "examples/sample"


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
