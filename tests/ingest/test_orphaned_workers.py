"""Scoring workers exit when the import that started them is killed (kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.cli import RAVINE_PROCESS
from tests.test_cli_resume import write_posts


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and _stat(int(entry.name))[1] == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _stat(pid: int) -> tuple[str, int]:
    """A process's state letter and parent pid, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"  # a zombie has exited; only its parent has not looked yet
    except OSError:
        return False


def test_workers_exit_when_their_import_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    write_posts(path)
    database = f"sqlite:///{tmp_path / 'r.db'}"
    command = [
        *RAVINE_PROCESS, "--database-url", database, "ingest", "file", str(path),
        "--voice", "public", "--entity", "Acme", "--create-entities", "--workers", "2",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the import never started its scoring workers"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    try:
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "orphaned workers are still running"
    finally:
        for pid in filter(alive, workers):  # never leave them behind, whatever happened
            os.kill(pid, signal.SIGKILL)
