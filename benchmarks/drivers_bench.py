"""Drivers benchmark: GET /api/v1/ravine/drivers for a week and for 90 days of the largest
entity of a generated database, served without response caches; medians and p95 in ms.

    python -m benchmarks.drivers_bench --documents 200000
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import api_data
from benchmarks.api_bench import NO_CACHES, prepare, serving

RANGES = {"week": 7, "90 days": 90}


def _time(url: str, requests: int) -> tuple[float, float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "ravine-bench")
    args = parser.parse_args()
    args.postgres_url = None
    url, _ = prepare("sqlite", args)
    top = api_data.slug_of(0)
    with serving(url, **NO_CACHES) as (base, _):
        for voice in ("public", "corporate"):
            for name, days in RANGES.items():
                since = api_data.END - timedelta(days=days - 1)
                query = {"entity": top, "voice": voice, "since": since.isoformat(),
                         "until": api_data.END.isoformat()}  # fmt: skip
                target = f"{base}/api/v1/ravine/drivers?{urlencode(query)}"
                with urllib.request.urlopen(target) as response:
                    side = json.loads(response.read())["range"]
                median, p95 = _time(target, args.requests)
                print(
                    f"{voice:9} {name:8} read {side['documents_read']:>5} of "
                    f"{side['documents_total']:>6}: median {median:6.0f} ms, p95 {p95:6.0f} ms"
                )


if __name__ == "__main__":
    main()
