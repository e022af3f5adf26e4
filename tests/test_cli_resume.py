"""A crash (SIGKILL) or Ctrl-C (SIGINT) mid-file leaves whole batches only; a rerun completes
the import with no duplicates. Runs the real ``ravine`` process on both backends."""

from __future__ import annotations

import csv
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ravine.models import Document
from tests.cli import RAVINE_PROCESS, interruptible

ROWS, BATCH = 30_000, 500


def write_posts(path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "created_at", "text"])
        for i in range(ROWS):
            minute = i % 1440
            writer.writerow(
                [
                    i,
                    f"2025-05-{1 + i % 28:02d}T{minute // 60:02d}:{minute % 60:02d}:00Z",
                    f"post {i}: not a great day, but the crew was kind and helpful",
                ]
            )


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def ravine_command(db_url: str, path: Path) -> list[str]:
    return [
        *RAVINE_PROCESS,
        "--database-url",
        db_url,
        "ingest",
        "file",
        str(path),
        "--voice",
        "public",
        "--entity",
        "Acme",
        "--create-entities",
        "--workers",
        "1",
        "--batch-size",
        str(BATCH),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "crash"])
def test_an_interrupted_import_resumes_without_loss_or_duplicates(
    db_url: str, engine: Engine, tmp_path: Path, sig: signal.Signals
) -> None:
    path = tmp_path / "posts.csv"
    write_posts(path)
    process = subprocess.Popen(
        ravine_command(db_url, path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    deadline = time.monotonic() + 60
    while count(engine) < 2 * BATCH and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    stored = count(engine)
    assert 0 < stored < ROWS, "the import must be stopped part-way for this test to mean anything"
    assert stored % BATCH == 0, f"{stored} documents: a batch was half-written"
    if sig == signal.SIGINT:
        assert process.returncode == 1
        assert "rerun to resume" in err and "Traceback" not in err

    rerun = subprocess.run(
        ravine_command(db_url, path), capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"resumed after record {stored:,}" in rerun.stderr
    assert count(engine) == ROWS
    with Session(engine) as session:
        ids = session.scalars(select(Document.external_id)).all()
    assert len(set(ids)) == ROWS
