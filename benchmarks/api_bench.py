"""Read benchmark: every chart and API answer on a database of N documents, on both backends.

Builds (or reuses, keyed by document count and schema revision) a database of 20 entities over
three years (see :mod:`benchmarks.api_data`), starts ``ravine serve`` on it with its defaults,
and measures, for the largest entity over the full range: sequential p50/p95 of each endpoint,
the server's CPU per request and the ratio to ``/healthz``; then 32 connections requesting the
daily ravine for 10 s (req/s, p50/p95/max, errors) with a health probe beside them, the CPU
the server still burns once the clients are gone, and its memory after the load.
Not a timed test: run it by hand.

    python -m benchmarks.api_bench --documents 1000000 --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks import api_data
from benchmarks.http_load import Connection, Timings, load, sequential
from ravine import migrate
from ravine.repository.document_queries import encode_cursor
from tests.server import free_port

FULL = {"since": api_data.START.isoformat(), "until": api_data.END.isoformat()}
GZIP = {"Accept-Encoding": "gzip"}
RAVINE_MS = (15, 40)  # p50, p95 targets of the chart series
SERVER = [sys.executable, "-c", "from cli import main; main()"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    target: str
    p50: float | None  # targets in ms (docs/performance.md); None where there is none
    p95: float | None


def endpoints(base: str, slugs: list[str]) -> list[Endpoint]:
    """What is measured: the largest entity (``slugs[0]``) over the full three years."""
    top = slugs[0]

    def url(path: str, **params: Any) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    ravine = {"entity": top, **FULL}
    docs = {"entity": top, "limit": 100}
    middle = asyncio.run(_middle_cursors(base, top))
    return [
        Endpoint("/healthz", "/healthz", None, None),
        Endpoint("ravine day", url("/api/v1/ravine", freq="day", **ravine), *RAVINE_MS),
        Endpoint(
            "ravine day New York",
            url("/api/v1/ravine", freq="day", tz="America/New_York", **ravine),
            *RAVINE_MS,
        ),
        Endpoint("ravine week", url("/api/v1/ravine", freq="week", **ravine), *RAVINE_MS),
        Endpoint("ravine month", url("/api/v1/ravine", freq="month", **ravine), *RAVINE_MS),
        Endpoint("ravine day csv", url("/api/v1/ravine", freq="day", format="csv", **ravine),
                 *RAVINE_MS),
        Endpoint("dashboard figure day", url("/dashboard/figure", freq="day", **ravine),
                 *RAVINE_MS),
        Endpoint("ravine summary day", url("/api/v1/ravine/summary", **ravine), None, 60),
        Endpoint("ravine reactions", url("/api/v1/ravine/reactions", **ravine), None, 60),
        Endpoint("compare 5 day", url("/api/v1/compare", entities=",".join(slugs[:5]), **FULL),
                 None, 60),
        Endpoint("entities", "/api/v1/entities", None, 20),
        Endpoint("documents", url("/api/v1/documents", **docs), None, 30),
        Endpoint("documents public", url("/api/v1/documents", voice="public", **docs), None, 30),
        Endpoint("documents middle page", url("/api/v1/documents", cursor=middle[0], **docs),
                 None, 30),
        Endpoint("documents by compound",
                 url("/api/v1/documents", sort="compound", **docs), None, 30),
        Endpoint("documents by compound, corporate, middle",
                 url("/api/v1/documents", sort="compound", voice="corporate", cursor=middle[1],
                     **docs), None, 30),
        Endpoint("documents q=rude", url("/api/v1/documents", q="rude", **docs), None, 50),
        Endpoint("documents q=(no match)", url("/api/v1/documents", q="zyzzyva", **docs),
                 None, 50),
    ]  # fmt: skip


async def _middle_cursors(base: str, slug: str) -> tuple[str, str]:
    """Cursors into the middle of the entity's documents: by time, and by compound."""
    reply = await Connection(base).get(
        f"/api/v1/documents?{urlencode({'entity': slug, 'until': '2024-06-30', 'limit': 1})}"
    )
    item = json.loads(reply.body)["items"][0]
    by_time = encode_cursor(datetime.fromisoformat(item["published_at"]), item["id"])
    return by_time, encode_cursor(0.1, 2**62)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers), from /proc."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(entry.name) == pid or int(fields.get("PPid", "0")) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1000


NO_CACHES = {"RAVINE_HOUR_CACHE_MB": "0", "RAVINE_RESPONSE_CACHE_MB": "0"}


@contextmanager
def serving(url: str, **settings: str) -> Iterator[tuple[str, int]]:
    """``ravine serve`` with its defaults (or these settings) on a free port: (base URL, pid)."""
    port = free_port()
    env = {**os.environ, "RAVINE_DATABASE_URL": url, **settings}
    command = [*SERVER, "--quiet", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                asyncio.run(Connection(base).get("/healthz"))
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def database_url(backend: str, documents: int, args: argparse.Namespace) -> str:
    """Where the benchmark database of this size and schema revision lives."""
    name = f"ravine_bench_{documents}_{migrate.HEAD_REVISION}_{api_data.DATA_VERSION}"
    if backend == "sqlite":
        args.cache.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{args.cache / f'{name}.db'}"
    server = make_url(args.postgres_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def database_size_mb(url: str) -> float:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        extra = [Path(f"{path}-wal")]
        return sum(p.stat().st_size for p in [path, *extra] if p.exists()) / 1e6
    engine = create_engine(url)
    with engine.connect() as connection:
        size = connection.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return int(size or 0) / 1e6


def prepare(backend: str, args: argparse.Namespace) -> tuple[str, float | None]:
    """The database URL, and the load time when it had to be built."""
    url = database_url(backend, args.documents, args)
    if api_data.stored_documents(url) == args.documents:
        return url, None
    if backend == "sqlite":
        Path(make_url(url).database or "").unlink(missing_ok=True)
    else:
        _reset_postgres(url)
    print(f"{backend}: loading {args.documents:,} documents")
    started = time.perf_counter()
    api_data.build(url, args.documents)
    return url, time.perf_counter() - started


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def measure(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    url, load_s = prepare(backend, args)
    slugs = [api_data.slug_of(rank) for rank in range(len(api_data.NAMES))]
    result: dict[str, Any] = {
        "backend": backend, "documents": args.documents, "load_s": load_s,
        "size_mb": database_size_mb(url), "endpoints": [],
    }  # fmt: skip
    with serving(url, **NO_CACHES) as (base, pid):
        uncached = [_sequential(base, pid, endpoint, args) for endpoint in endpoints(base, slugs)]
    with serving(url) as (base, pid):
        for endpoint, cold in zip(endpoints(base, slugs), uncached, strict=True):
            result["endpoints"].append({**_sequential(base, pid, endpoint, args), "uncached": cold})
        target = endpoints(base, slugs)[1].target
        found, probed = asyncio.run(
            load(base, target, connections=args.connections, seconds=args.seconds,
                 headers=GZIP, probe="/healthz")
        )  # fmt: skip
        after = cpu_seconds(pid)
        time.sleep(2)
        result["load"] = {
            "connections": args.connections, "requests": len(found.seconds),
            "per_s": len(found.seconds) / args.seconds,
            "p50_ms": found.median * 1e3, "p95_ms": found.percentile(95) * 1e3,
            "max_ms": max(found.seconds, default=float("nan")) * 1e3, "errors": found.errors,
            "healthz_p95_ms": probed.percentile(95) * 1e3, "healthz_errors": probed.errors,
            "cpu_after_s": cpu_seconds(pid) - after, "rss_mb": rss_mb(pid),
        }  # fmt: skip
    return result


def _sequential(
    base: str, pid: int, endpoint: Endpoint, args: argparse.Namespace
) -> dict[str, Any]:
    """``args.requests`` requests one after another (after two that are not counted)."""
    asyncio.run(sequential(base, endpoint.target, 2, GZIP))
    before = cpu_seconds(pid)
    timings = asyncio.run(sequential(base, endpoint.target, args.requests, GZIP))
    cpu = (cpu_seconds(pid) - before) / args.requests
    return _row(endpoint, timings, cpu)


def _row(endpoint: Endpoint, timings: Timings, cpu: float) -> dict[str, Any]:
    return {
        "name": endpoint.name, "p50_ms": timings.median * 1e3,
        "p95_ms": timings.percentile(95) * 1e3, "cpu_ms": cpu * 1e3, "errors": timings.errors,
        "target_p50": endpoint.p50, "target_p95": endpoint.p95,
    }  # fmt: skip


def report(result: dict[str, Any]) -> None:
    rows = result["endpoints"]
    health = rows[0]["p50_ms"]
    load_s = result["load_s"]
    built = f", loaded in {load_s:.0f} s" if load_s else ""
    print(f"\n{result['backend']}: {result['documents']:,} documents, "
          f"{result['size_mb']:,.0f} MB{built}")  # fmt: skip
    print(f"{'request (largest entity, full range)':42} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'CPU ms':>7} {'×healthz':>8} | {'no caches: p50':>14} {'p95':>6} {'CPU':>6}"
          "  target")  # fmt: skip
    for row in rows:
        cold = row["uncached"]
        print(f"{row['name']:42} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['cpu_ms']:7.1f} "
              f"{row['p50_ms'] / health:8.1f} | {cold['p50_ms']:14.1f} {cold['p95_ms']:6.1f} "
              f"{cold['cpu_ms']:6.1f}  {_goal(row)}"
              + (f"  ({row['errors'] + cold['errors']} errors)"
                 if row["errors"] + cold["errors"] else ""))  # fmt: skip
    found = result["load"]
    print(f"load: {found['connections']} connections, ravine day: {found['per_s']:.0f} req/s, "
          f"p50 {found['p50_ms']:.0f} ms, p95 {found['p95_ms']:.0f} ms, "
          f"max {found['max_ms']:.0f} ms, {found['errors']} errors "
          f"(target ≥ 150 req/s, p95 ≤ 250 ms)")  # fmt: skip
    print(f"      /healthz during the load: p95 {found['healthz_p95_ms']:.0f} ms "
          f"(target ≤ 50 ms); server CPU in the 2 s after: {found['cpu_after_s']:.2f} s; "
          f"RSS after: {found['rss_mb']:.0f} MB")  # fmt: skip


def _goal(row: dict[str, Any]) -> str:
    parts, met = [], True
    for key in ("p50", "p95"):
        limit = row[f"target_{key}"]
        if limit is not None:
            parts.append(f"{key} ≤ {limit:g}")
            met = met and row[f"{key}_ms"] <= limit
    return f"{', '.join(parts)} {'✓' if met else '✗'}" if parts else ""


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=40, help="sequential requests each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "ravine-bench")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "RAVINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a server where the benchmark may create its database",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    results = [measure(backend, args) for backend in args.backends.split(",")]
    for result in results:
        report(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
