"""The dashboard in real headless Chromium against a real uvicorn over a seeded database."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from dashboard.packing import pack, unpack
from ravine.analytics import make_periods
from tests.dashboard.browser import (
    FLAGS,
    FORMULA,
    WEEK,
    XSS,
    expected_periods,
    figure_body,
    open_chart,
    period_value,
    sync_api,
    trace_points,
)
from tests.dashboard.test_packing import three_years_of_days


def test_chart_draws_every_period_and_a_screenshot_is_kept(
    page: Any, site: str, tmp_path: Path
) -> None:
    open_chart(page, site, **WEEK)
    periods = expected_periods(site, **WEEK)
    assert trace_points(page) == {"corporate": len(periods), "public": len(periods)}
    assert page.locator("#chart .main-svg").count() > 0
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    print(f"dashboard screenshot: {shot}")


def test_clicking_a_period_lists_its_documents_as_text(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    periods = expected_periods(site, **WEEK)
    target = periods.index("2025-07-14")  # the week holding the script-like posts
    point = page.evaluate(
        """(index) => {
            const chart = document.getElementById('chart');
            const trace = chart.data.findIndex(t => t.meta && t.meta.voice === 'public');
            const layout = chart._fullLayout;
            const x = layout.xaxis.d2p(chart.data[trace].x[index]) + layout.xaxis._offset;
            const y = layout.yaxis.d2p(chart.data[trace].y[index]) + layout.yaxis._offset;
            const box = chart.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        target,
    )
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#docs-public tr td.text")
    # A week is titled by its first and last day, in the chart's zone, and is in view.
    assert (
        page.locator("#drill-title").inner_text() == "Documents of 2025-07-14 to 2025-07-20 (UTC)"
    )
    assert page.evaluate("document.activeElement.id") == "drill-title"
    box = page.locator("#drill-title").bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    cells = page.locator("#docs-public td.text").all_inner_texts()
    assert any(XSS[0] in text for text in cells) and any(XSS[1] in text for text in cells)
    assert page.locator("#docs-public img, #docs-public script").count() == 0
    assert page.locator("#docs-corporate tr").count() > 1
    page.wait_for_timeout(300)
    assert page.dialogs == []  # nothing ran


@pytest.mark.slow
def test_the_view_lives_in_the_url(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    page.fill("#entity", "helio-bank")
    page.dispatch_event("#entity", "change")
    page.wait_for_function("document.getElementById('chart').dataset.entity === 'helio-bank'")
    assert "entity=helio-bank" in page.url
    page.select_option("#freq", "month")
    page.wait_for_function("location.search.includes('freq=month')")
    page.select_option("#metric", "net")
    page.wait_for_function("location.search.includes('metric=net')")
    url = page.url
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("document.getElementById('chart').dataset.entity === 'helio-bank'")
    assert page.input_value("#freq") == "month" and page.input_value("#metric") == "net"
    assert page.input_value("#entity") == "helio-bank"
    periods = expected_periods(site, entity="helio-bank", freq="month", since="2025-06-02",
                               until="2025-08-31")  # fmt: skip
    assert trace_points(page)["public"] == len(periods) == 3


@pytest.mark.slow
def test_series_csv_download_has_a_row_per_period(page: Any, site: str, tmp_path: Path) -> None:
    open_chart(page, site, **WEEK)
    with page.expect_download() as download:
        page.click("#download-csv")
    path = tmp_path / "series.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open()))
    assert [r["period"] for r in rows] == expected_periods(site, **WEEK)


@pytest.mark.slow
def test_an_unknown_entity_shows_the_error_not_a_blank_chart(page: Any, site: str) -> None:
    page.goto(f"{site}/?entity=nobody")
    page.wait_for_selector("#status.error")
    assert "no entity 'nobody'" in page.inner_text("#status")


@pytest.mark.slow
def test_the_page_unpacks_exactly_the_figure_the_server_packed(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    unpacked = "(packed) => { const { data, layout } = unpack(packed); return { data, layout }; }"
    packed = figure_body(site, **WEEK)["figure"]
    assert page.evaluate(unpacked, packed) == unpack(packed)
    figure = three_years_of_days()
    assert page.evaluate(unpacked, json.loads(json.dumps(pack(figure)))) == figure


@pytest.mark.slow
def test_drill_down_asks_for_the_utc_bounds_of_each_period_across_dst(page: Any, site: str) -> None:
    spring = {"entity": "northwind-air", "freq": "day", "since": "2025-03-01",
              "until": "2025-03-31", "tz": "America/New_York"}  # fmt: skip
    open_chart(page, site, **spring)
    found = page.evaluate("() => current.periods.map((_, i) => periodBounds(i))")
    periods = make_periods(since=date(2025, 3, 1), until=date(2025, 3, 31), freq="day",
                           tz="America/New_York")  # fmt: skip
    assert [[datetime.fromisoformat(t) for t in b] for b in found] == [
        list(b) for b in periods.utc_bounds()
    ]
    with page.expect_request(lambda r: "/api/v1/documents" in r.url) as asked:
        page.select_option("#period", value=period_value(page, "2025-03-09"))  # 23 hours long
    query = parse_qs(urlsplit(asked.value.url).query)
    assert (query["since"], query["until"]) == (["2025-03-09T05:00:00Z"], ["2025-03-10T04:00:00Z"])


@pytest.mark.slow
def test_the_entity_list_is_asked_for_only_once_the_chart_is_drawn(page: Any, site: str) -> None:
    page.add_init_script(
        """new MutationObserver((_, observer) => {
            const chart = document.getElementById('chart');
            if (chart && chart.dataset.points !== undefined) {
                window.drawnAt = performance.now();
                observer.disconnect();
            }
        }).observe(document, { subtree: true, attributes: true });"""
    )
    open_chart(page, site, **WEEK)
    page.wait_for_function("document.getElementById('entity-list').options.length > 0")
    asked = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .find(e => e.name.includes('/api/v1/entities')).startTime"""
    )
    assert asked >= page.evaluate("window.drawnAt")


@pytest.mark.slow
def test_chart_png_and_documents_csv_downloads(page: Any, site: str, tmp_path: Path) -> None:
    open_chart(page, site, **WEEK)
    with page.expect_download() as download:
        page.click("#download-png")
    png = tmp_path / "chart.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    page.select_option("#period", value=period_value(page, "2025-07-14"))
    page.wait_for_selector("#docs-public tr td.text")
    with page.expect_download() as download:
        page.click("#download-docs")
    path = tmp_path / "documents.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open()))
    assert {r["voice"] for r in rows} == {"corporate", "public"}
    assert any(r["text"] == XSS[0] for r in rows)
    # Formula injection (OWASP): a text cell that starts like a formula is written as text.
    assert any(r["text"] == "'" + FORMULA for r in rows)
    assert not any(r[k].startswith(("=", "+", "@")) for r in rows for k in r if k != "compound")
    assert any(r["compound"].startswith("-") for r in rows)  # numbers stay numbers


@pytest.mark.slow
def test_a_repeat_load_of_unchanged_data_transfers_almost_nothing(page: Any, site: str) -> None:
    """The browser revalidates the chart data, the entity list and the statements' reactions
    with their ETags: the server answers 304, so only headers cross (the page itself still sees
    its data)."""
    data = """() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/dashboard/figure') || e.name.includes('/api/v1/'))
        .map(e => ({name: e.name, bytes: e.transferSize}))"""
    sizes = []
    for _ in range(2):
        open_chart(page, site, **WEEK)
        page.wait_for_function("document.getElementById('entity-list').options.length > 0")
        page.wait_for_function("document.getElementById('statement').options.length > 1")
        sizes.append(page.evaluate(data))
    first, repeat = sizes
    assert len(first) == len(repeat) == 3
    assert all(entry["bytes"] > 1_000 for entry in first), first  # the data itself
    assert all(entry["bytes"] < 1_000 for entry in repeat), repeat  # headers only
    assert sum(entry["bytes"] for entry in repeat) <= 5_000
    assert trace_points(page)["public"] > 10


def test_the_page_keeps_to_its_content_policy(site: str, chromium_path: str) -> None:
    """Only the page's own scripts run, it cannot be framed, and nothing it does (drawing the
    chart, downloading it) breaks the policy."""
    response = httpx.get(f"{site}/", timeout=30)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        tab = browser.new_context(accept_downloads=True).new_page()
        tab.add_init_script(
            "window.violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.violations.push("
            "e.violatedDirective + ' ' + e.blockedURI));"
        )
        tab.goto(f"{site}/?" + "&".join(f"{k}={v}" for k, v in WEEK.items()))
        tab.wait_for_selector("#chart[data-points]", state="attached")
        with tab.expect_download() as download:
            tab.click("#download-png")
        assert Path(download.value.path()).stat().st_size > 1000
        assert tab.evaluate("window.violations") == []
        browser.close()


def test_only_the_chosen_view_shows_its_controls(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    assert page.is_visible("#chart-view") and not page.is_visible("#compare-label")
    page.click("#show-compare")
    page.wait_for_function("location.search.includes('mode=compare')")
    assert page.is_visible("#compare-label") and not page.is_visible("#chart-view")
