"""A PostgreSQL server of a test's own, to stop and start at will (never the shared server).

Made with the machine's ``initdb`` and ``pg_ctl`` in a temporary folder, listening on
127.0.0.1 and a free port, trust authentication. Running as root, the server runs as the
``postgres`` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.server import free_port

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class PrivatePostgres:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        program = str(BINARIES[-1] / command[0])
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, program, *command[1:]], check=True, capture_output=True)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@contextmanager
def private_postgres(folder: Path) -> Iterator[PrivatePostgres]:
    """A running private server; stopped and removed afterwards."""
    if not BINARIES or (os.geteuid() == 0 and shutil.which("runuser") is None):
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL binaries (initdb, pg_ctl) to start a private server")
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) to start a private server")
    server = PrivatePostgres(folder)
    server.create()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # the test may have stopped it
            server.stop()
