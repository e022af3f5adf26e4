"""Ingest benchmark: parse, score, store and end-to-end rates for N generated posts.

Prints docs/s (median of --repeat runs) for each stage on SQLite and PostgreSQL, the ratio of
end-to-end to all-cores score-only, and the peak memory of the import process and its workers.
End to end is one ``ravine ingest file`` process, start-up and exit included, into a database
whose schema was created beforehand (the time that takes is printed apart). Score-only on all
cores and the imports run in rounds, and the share is the median of the rounds' ratios: the
shared machine's speed drifts over minutes, and side-by-side runs see the same machine.
Targets (2-core machine): store-only ≥ 50,000 rows/s on SQLite; end-to-end ≥ 70% of all-cores
score-only; peak memory < 500 MB for any N. Not a timed test: run it by hand.

    python -m benchmarks.ingest_bench --n 200000 --repeat 3 [--scorer reference]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path

from sqlalchemy import select

from benchmarks.corpus import write_posts
from ingest.files.fields import ParsedRow, parse_row, resolve_field_map
from ingest.files.readers import RecordReader
from ingest.scoring_jobs import MaskedTexts, ScoreJob, score_in_order
from ravine import migrate
from ravine.config import Settings
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.masking import entity_terms
from ravine.models import IngestRun
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source
from ravine.scoring import ANALYZERS, Scorer, ScorerConfig
from tests.databases import create_postgres_database, drop_postgres_database

BATCH: int = Settings.model_fields["batch_size"].default  # the import's own batch size
TERMS = entity_terms(name="Northwind Air", slug="northwind-air", aliases=["@northwindair"])
CORES = os.cpu_count() or 1


def median_rate(count: int, runs: list[float]) -> float:
    return count / statistics.median(runs)


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return runs


def parse_all(path: Path) -> list[ParsedRow]:
    with RecordReader(path) as reader:
        fmap = resolve_field_map(reader.columns, overrides={}, entity_column=None, source=path.name)
        return [
            parse_row(r.values or {}, fmap, default_tz=UTC, max_text_chars=100_000) for r in reader
        ]


def batches(rows: list[ParsedRow]) -> Iterator[list[ParsedRow]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def score_all(rows: list[ParsedRow], workers: int, analyzer: str) -> None:
    config = ScorerConfig(analyzer=analyzer)
    jobs = (
        (None, ScoreJob(config, [MaskedTexts(TERMS, [(row.text, row.lang) for row in batch])]))
        for batch in batches(rows)
    )
    for _ in score_in_order(jobs, workers=workers):
        pass


def store_all(url: str, rows: list[ParsedRow]) -> float:
    """Store pre-scored records batch by batch; returns the seconds spent in the batches."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as session:
        entity, _ = upsert_entity(session, name="Northwind Air")
        source = get_or_create_source(session, name="bench", kind="file", voice="public")
        entity_id, source_id = entity.id, source.id
    pending = [
        [
            DocumentRecord(
                external_id=row.external_id or "", entity_id=entity_id, voice="public",
                text=row.text, published_at=row.published_at, author=row.author,
                likes=row.likes, reposts=row.reposts, replies=row.replies, neg=0.1, neu=0.7,
                pos=0.2, compound=round((hash(row.text) % 20_000 - 10_000) / 10_000, 4),
                sentences=1, lang="en", scorer_version="bench",
            )
            for row in batch
        ]
        for batch in batches(rows)
    ]  # fmt: skip
    started = time.perf_counter()
    for records in pending:
        with session_scope(factory, write=True) as session:
            upsert_documents(session, source_id=source_id, records=records)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


# The `ravine` console script's own entry point, exit included; the peak memory is printed as
# the process ends. VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork + exec, so a child
# of this (large) benchmark process would report the benchmark's own peak.
RUNNER = """
import atexit, json, re, resource, sys
from pathlib import Path
from cli import main

def report():
    hwm = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())
    peak = {"self_mb": int(hwm.group(1)) / 1024 if hwm else float("nan"),
            "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    print(json.dumps(peak), file=sys.stderr)

atexit.register(report)
main()
"""


def end_to_end(url: str, path: Path, analyzer: str) -> dict[str, float]:
    """One import into a database whose schema exists, as for every run but a database's first:
    its creation (``ravine db upgrade``) is timed apart and not counted in the import."""
    cli = [sys.executable, "-c", RUNNER, "--quiet", "--database-url", url]
    started = time.perf_counter()
    subprocess.run([*cli, "db", "upgrade"], capture_output=True, check=True)
    schema_seconds = time.perf_counter() - started
    command = [
        *cli, "ingest", "file", str(path), "--voice", "public", "--entity", "Northwind Air",
        "--create-entities", "--workers", str(CORES),
    ]  # fmt: skip
    started = time.perf_counter()
    env = {**os.environ, "RAVINE_SCORER": analyzer}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import failed: {result.stderr}")
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    return {
        "seconds": elapsed,
        "logged_seconds": logged_seconds(url),
        "schema_seconds": schema_seconds,
        **stats,
    }


def logged_seconds(url: str) -> float:
    """The run's own duration as ``ingest_runs`` logged it: from its start (after the process
    started, imported and checked the database) to its end (before the process exited)."""
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        run = session.scalars(select(IngestRun)).one()
        assert run.finished_at is not None, "the import's run was not closed"
        seconds = (run.finished_at - run.started_at).total_seconds()
    engine.dispose()
    return seconds


class Databases:
    """Fresh databases per run: SQLite files in a temp dir, PostgreSQL databases on the server."""

    def __init__(self, workdir: Path, postgres: str | None) -> None:
        self.workdir, self.postgres, self.count = workdir, postgres, 0
        self.made: list[str] = []

    def new(self, backend: str) -> str:
        self.count += 1
        if backend == "sqlite":
            return f"sqlite:///{self.workdir / f'bench{self.count}.db'}"
        assert self.postgres is not None
        url = create_postgres_database(self.postgres)
        self.made.append(url)
        return url

    def drop_all(self) -> None:
        for url in self.made:
            assert self.postgres is not None
            drop_postgres_database(self.postgres, url)


def report_end_to_end(
    backend: str, n: int, runs: list[dict[str, float]], scoring: list[float]
) -> None:
    """Median rates, and the median of each round's ratio to that round's score-only run."""
    e2e = median_rate(n, [run["seconds"] for run in runs])
    logged = median_rate(n, [run["logged_seconds"] for run in runs])
    rounds = list(zip(runs, scoring, strict=True))
    share = statistics.median(score / run["seconds"] for run, score in rounds)
    logged_share = statistics.median(score / run["logged_seconds"] for run, score in rounds)
    peak = max(run["self_mb"] for run in runs)
    worker_peak = max(run["workers_mb"] for run in runs)
    print(
        f"end to end, {backend:<11} {e2e:>10,.0f} docs/s  ({share:.0%} of all-cores "
        f"score-only, median of the rounds' ratios); "
        f"peak memory {peak:.0f} MB main, {worker_peak:.0f} MB per worker"
    )
    print(
        f"  as ingest_runs logs it {logged:>9,.0f} docs/s  ({logged_share:.0%}; "
        f"process start-up and exit excluded: {n / e2e - n / logged:.2f} s)"
    )
    schema = statistics.median(run["schema_seconds"] for run in runs)
    print(f"  a new database's schema (ravine db upgrade, not counted): {schema:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="posts to generate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument(
        "--scorer", choices=ANALYZERS, default="fast", help="VADER implementation (RAVINE_SCORER)"
    )
    args = parser.parse_args()
    postgres = os.environ.get("RAVINE_BENCH_POSTGRES_URL") or os.environ.get(
        "RAVINE_TEST_POSTGRES_URL"
    )
    backends = [b for b in args.backends if b == "sqlite" or postgres]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "posts.csv"
        write_posts(path, args.n)
        size_mb = path.stat().st_size / 1e6
        print(
            f"{args.n:,} posts, {size_mb:.1f} MB CSV, {CORES} cores, median of {args.repeat}, "
            f"{args.scorer} scorer"
        )
        rows = parse_all(path)
        parse = median_rate(args.n, timed(lambda: parse_all(path), args.repeat))
        print(f"parse only              {parse:>10,.0f} docs/s")
        Scorer(ScorerConfig(analyzer=args.scorer))  # build the lexicon outside the timings
        one = median_rate(args.n, timed(lambda: score_all(rows, 1, args.scorer), args.repeat))
        print(f"score only, 1 worker    {one:>10,.0f} docs/s")
        databases = Databases(workdir, postgres)
        try:
            for backend in backends:
                store_runs = [store_all(databases.new(backend), rows) for _ in range(args.repeat)]
                store = median_rate(args.n, store_runs)
                print(f"store only, {backend:<11} {store:>10,.0f} rows/s")
            # Rounds: score-only on all cores, then one import per backend. The shared machine's
            # speed drifts over minutes; each round's ratio compares runs made side by side.
            scoring: list[float] = []
            imports: dict[str, list[dict[str, float]]] = {backend: [] for backend in backends}
            for _ in range(args.repeat):
                scoring += timed(lambda: score_all(rows, CORES, args.scorer), 1)
                for backend in backends:
                    imports[backend].append(end_to_end(databases.new(backend), path, args.scorer))
            many = median_rate(args.n, scoring)
            print(f"score only, {CORES} workers   {many:>10,.0f} docs/s  ({many / one:.2f}x)")
            for backend, runs in imports.items():
                report_end_to_end(backend, args.n, runs, scoring)
        finally:
            databases.drop_all()


if __name__ == "__main__":
    main()
