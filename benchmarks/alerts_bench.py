"""Alerts benchmark: what a check adds to each cron run, at the end of `ravine ingest run`.

Three rules (band, change_point, volume_spike) over every entity of a generated database,
judged as a cron check judges them (its last 7 days, with the history their baselines need)
and as a backfill of a year (`--since`); medians of several runs in ms, per rule and entity
and for the whole check.

    python -m benchmarks.alerts_bench --documents 1000000 [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from sqlalchemy import delete

from benchmarks import api_data
from benchmarks.api_bench import prepare
from ingest.alerts.check import AlertCheck
from ingest.alerts.config import AlertsConfig
from ravine.alerting import AlertRule
from ravine.db import make_engine, make_session_factory
from ravine.models import AlertDelivery, AlertEvent

RULES = tuple(
    AlertRule(name=kind, kind=kind, entity="*", threshold=8.0)
    for kind in ("band", "change_point", "volume_spike")
)
NOW = datetime.combine(api_data.END, clock(23), tzinfo=UTC)  # the generated data's last day


def _forget(url: str) -> None:
    """Drop stored events, so each run judges and stores as the first one did."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(delete(AlertDelivery))
        connection.execute(delete(AlertEvent))
    engine.dispose()


def _median_ms(url: str, runs: int, since: datetime | None) -> tuple[float, int]:
    engine = make_engine(url)
    check = AlertCheck(
        config=AlertsConfig(RULES), engine=engine, factory=make_session_factory(engine),
        environ={}, now=lambda: NOW,
    )  # fmt: skip
    timings, events = [], 0
    for _ in range(runs):
        _forget(url)
        started = time.perf_counter()
        report = check.run(since=since.date() if since else None, send=False)
        timings.append((time.perf_counter() - started) * 1000)
        events = report.events
    engine.dispose()
    return statistics.median(timings), events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "ravine-bench")
    args = parser.parse_args()
    backends = ["sqlite", *(["postgresql"] if args.postgres_url else [])]
    judged = len(RULES) * len(api_data.NAMES)
    for backend in backends:
        url, _ = prepare(backend, args)
        for name, since in (
            ("cron check (7 days)", None),
            ("backfill (365 days)", NOW - timedelta(days=364)),
        ):
            total, events = _median_ms(url, args.runs, since)
            print(
                f"{backend:10} {args.documents:>9,} documents, {name}: median {total:7.0f} ms "
                f"for {judged} rule × entity ({total / judged:5.1f} ms each), {events} events"
            )


if __name__ == "__main__":
    main()
