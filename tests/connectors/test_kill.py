"""``kill -9`` at random points of a real `ravine ingest run`, then a rerun: the database ends
with exactly the rows, roll-ups and cursors of a run that was never interrupted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from cli.main import run
from ravine.db import make_engine
from ravine.models import Document, Entity, HourlyStat, IngestRun, Source
from tests.cli import RAVINE_PROCESS, interruptible
from tests.connectors.live import Upstreams, write_sources
from tests.connectors.server import LocalServer
from tests.databases import DatabaseFactory

KILLS = 3
LOCAL = {"id", "source_id", "entity_id", "fetched_at", "updated_at"}  # differ between databases
STATE_COLUMNS = [c.key for c in Document.__table__.columns if c.key not in LOCAL]


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def snapshot(url: str) -> dict[str, Any]:
    """Everything an ingest run leaves behind that must not depend on interruptions."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            documents = sorted(
                (source, slug, *(getattr(doc, key) for key in STATE_COLUMNS))
                for doc, source, slug in session.execute(
                    select(Document, Source.name, Entity.slug)
                    .join(Source, Source.id == Document.source_id)
                    .join(Entity, Entity.id == Document.entity_id)
                )
            )
            rollups = sorted(
                (slug, *(getattr(row, c.key) for c in HourlyStat.__table__.columns
                         if c.key != "entity_id"))
                for row, slug in session.execute(select(HourlyStat, Entity.slug).join(Entity))
            )  # fmt: skip
            cursors = {s.name: s.cursor for s in session.scalars(select(Source))}
            statuses = list(session.scalars(select(IngestRun.status)))
    finally:
        engine.dispose()
    return {"documents": documents, "rollups": rollups, "cursors": cursors, "statuses": statuses}


@pytest.mark.slow
def test_kill_9_anywhere_then_a_rerun_stores_exactly_an_uninterrupted_runs_rows(
    db_url: str, databases: DatabaseFactory, server: LocalServer, tmp_path: Path
) -> None:
    upstreams = Upstreams.start(server, tmp_path)
    small_pages = upstreams.sources(
        server, hn={"hits_per_page": 2}, mastodon={"limit": 2, "backfill_pages": 20},
        drop={"batch_size": 2},
    )  # fmt: skip
    config = write_sources(tmp_path / "sources.toml", small_pages)
    reference = databases.migrated()
    assert run(["--quiet", "--database-url", reference, "ingest", "run", "-c", str(config)]) == 0
    expected = snapshot(reference)
    assert len(expected["documents"]) == 58

    seed = int(os.environ.get("RAVINE_KILL_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    server.delay = 0.02  # ~40 pages: the run lasts long enough to be killed in the middle
    command = [*RAVINE_PROCESS, "--database-url", db_url, "ingest", "run", "-c", str(config)]
    engine = make_engine(db_url)
    killed = []
    try:
        for attempt in range(KILLS):
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=interruptible
            )
            if attempt == 0:  # surely in the middle: once a random number of rows is stored
                target, deadline = rng.randint(1, 50), time.monotonic() + 60
                while count(engine) < target and process.poll() is None:
                    assert time.monotonic() < deadline, "the run made no progress"
                    time.sleep(0.01)
            else:  # anywhere: start-up, a fetch, a commit, the end
                time.sleep(rng.uniform(0.3, 2.5))
            if process.poll() is None:
                process.kill()  # SIGKILL: no cleanup of any kind
                killed.append(count(engine))
            process.wait(timeout=30)
    finally:
        engine.dispose()
    assert killed and killed[0] < 58, f"no run was killed in the middle (seed {seed})"
    final = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    got = snapshot(db_url)
    assert got["documents"] == expected["documents"], f"seed {seed}, killed at {killed}"
    assert got["rollups"] == expected["rollups"], f"seed {seed}"
    assert got["cursors"] == expected["cursors"], f"seed {seed}"
    assert "running" not in got["statuses"]  # killed runs are closed as interrupted


@pytest.mark.slow
def test_ctrl_c_records_the_run_as_interrupted_and_a_rerun_completes_it(
    db_url: str, databases: DatabaseFactory, server: LocalServer, tmp_path: Path
) -> None:
    upstreams = Upstreams.start(server, tmp_path)
    config = write_sources(
        tmp_path / "sources.toml", upstreams.sources(server, hn={"hits_per_page": 2})
    )
    reference = databases.migrated()
    assert run(["--quiet", "--database-url", reference, "ingest", "run", "-c", str(config)]) == 0
    expected = snapshot(reference)
    server.delay = 0.05  # slow enough to be interrupted after the first pages
    command = [*RAVINE_PROCESS, "--database-url", db_url, "ingest", "run", "-c", str(config)]
    engine = make_engine(db_url)
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=interruptible
        )
        deadline = time.monotonic() + 60
        while count(engine) < 7 and process.poll() is None:  # the newsroom, then Hacker News
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        interrupted = count(engine)
    finally:
        engine.dispose()
    assert process.returncode == 1, err
    last_line = err.decode().splitlines()[-1]
    assert last_line == "interrupted: stored pages are kept; the next run resumes"
    assert 7 <= interrupted < len(expected["documents"])
    server.delay = 0
    final = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    got = snapshot(db_url)
    for part in ("documents", "rollups", "cursors"):
        assert got[part] == expected[part], part
    # Recorded at Ctrl-C, or (when it came during a run's last commit) by the rerun.
    assert "interrupted" in got["statuses"] and "running" not in got["statuses"]
