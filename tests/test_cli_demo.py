"""`ravine demo`: from nothing to a served dashboard over the sample, and reusable."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from tests.cli import RAVINE_PROCESS, SAMPLE
from tests.server import free_port


def run_demo(workdir: Path) -> tuple[list[str], str]:
    """Start the demo in ``workdir``; return the entity slugs it serves and what it printed."""
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
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    return sorted(e["slug"] for e in items), err


def test_demo_loads_the_sample_once_and_serves_it(tmp_path: Path) -> None:
    slugs, first = run_demo(tmp_path)
    assert slugs == ["brightleaf-foods", "helio-bank", "northwind-air"]
    assert (tmp_path / "ravine-demo.db").is_file()
    assert "posts.csv" in first and "new" in first and "http://127.0.0.1:" in first
    _, second = run_demo(tmp_path)
    assert "already loaded" in second
