"""A real `ravine serve` (uvicorn) on 127.0.0.1 for tests that talk HTTP to it."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import httpx

from tests.cli import RAVINE_PROCESS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(db_url: str, *flags: str) -> Iterator[str]:
    """The server's log goes to a file, never to a pipe: a pipe nobody reads fills after a few
    hundred access lines and the server then stops, blocked on writing the next one."""
    port = free_port()
    command = [*RAVINE_PROCESS, "--database-url", db_url, "serve", "--port", str(port), *flags]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            _wait_until_healthy(process, base, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)


def _wait_until_healthy(process: subprocess.Popen[str], base: str, log: IO[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"server exited: {log.read()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no answer from {base}/healthz within 30 s")
