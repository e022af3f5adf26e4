"""`ravine demo`: from nothing to a served dashboard over the sample, and reusable."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.cli import RAVINE_PROCESS, SAMPLE
from tests.server import free_port


def run_demo(workdir: Path) -> tuple[list[str], str, dict[str, Any]]:
    """Start the demo in ``workdir``; return the entity slugs it serves, what it printed and
    the chart answer it opens on for Northwind Air's summer."""
    port = free_port()
    command = [*RAVINE_PROCESS, "demo", "--port", str(port), "--sample", str(SAMPLE)]
    process = subprocess.Popen(
        command, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        page = httpx.get(f"{base}/", timeout=10)
        assert page.status_code == 200 and "plotly" in page.text
        items = httpx.get(f"{base}/api/v1/entities", timeout=10).json()["items"]
        summer = {"entity": "northwind-air", "since": "2025-06-01", "until": "2025-07-31"}
        chart = httpx.get(f"{base}/api/v1/ravine", params=summer, timeout=30).json()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    return sorted(e["slug"] for e in items), err, chart


def test_demo_loads_the_sample_once_and_serves_it(tmp_path: Path) -> None:
    slugs, first, chart = run_demo(tmp_path)
    assert slugs == ["brightleaf-foods", "helio-bank", "northwind-air"]
    assert (tmp_path / "ravine-demo.db").is_file()
    assert "posts.csv" in first and "new" in first and "http://127.0.0.1:" in first
    # The story's outage is annotated and rang the sample's rules.
    assert [(a["date"], a["label"]) for a in chart["annotations"]] == [
        ("2025-06-16", "IT outage grounds the fleet")
    ]
    caught = {(alert["day"], alert["kind"]) for alert in chart["alerts"]}
    assert {("2025-06-16", "band"), ("2025-06-17", "change_point")} <= caught
    assert ("2025-06-17", "volume_spike") in caught
    assert all(alert["deliveries"] == [] for alert in chart["alerts"])  # no channel: nothing sent
    _, second, again = run_demo(tmp_path)
    assert "already loaded" in second and "annotations.csv: 0 new" in second
    assert len(again["alerts"]) == len(chart["alerts"])  # a rerun stores nothing twice
