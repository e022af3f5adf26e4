"""The report as an analyst opens it from an e-mail: in Chromium with every request refused,
it draws the chart, shows the summary, both voices' drivers, the range's annotations (a label
of markup as text, run never) and its alert events, marked on the chart and listed, within its
own content policy; printed, it is a PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import load_sample_into
from tests.cli import ravine
from tests.dashboard.browser import FLAGS, XSS, sync_api
from tests.dashboard.test_alerts_view import BAND, SHIFT, store_alerts
from tests.databases import DatabaseFactory

SUMMER = ("--entity", "northwind-air", "--since", "2025-06-01", "--until", "2025-09-30")
OUTAGE = "Baggage system outage"


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> str:
    """The sample dataset with two alert events in July (the report adds its annotations)."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("report-view")).migrated()
    load_sample_into(url)
    store_alerts(url, "northwind-air", ("nwa-band", BAND), ("nwa-shift", SHIFT))
    return url


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str], sample_url: str, tmp_path: Path) -> Path:
    """The summer's report, with July's outage and an event whose label tries to run script."""
    for day, label in (("2025-07-14", OUTAGE), ("2025-08-01", XSS[0])):
        added = ravine(capsys, sample_url, "annotations", "add", "northwind-air", day, label)
        assert added.code == 0, added.err
    out = tmp_path / "report.html"
    made = ravine(capsys, sample_url, "report", *SUMMER, "--out", str(out))
    assert made.code == 0, made.err
    return out


@pytest.fixture
def offline(chromium_path: str) -> Iterator[tuple[Any, list[str]]]:
    """A tab that refuses every request but the report's own file (the policy enforced), and
    the requests it refused and messages it logged."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        seen: list[str] = []
        tab.on("console", lambda message: seen.append(f"console: {message.text}"))
        tab.on("pageerror", lambda error: seen.append(f"error: {error}"))
        tab.on(
            "dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss())
        )

        def refuse(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                seen.append(f"request: {route.request.url}")
                route.abort()

        tab.route("**/*", refuse)
        yield tab, seen
        browser.close()


def test_the_report_opens_offline_with_everything_in_it(
    offline: tuple[Any, list[str]], report: Path
) -> None:
    tab, seen = offline
    tab.goto(report.as_uri())
    tab.wait_for_selector("#chart .main-svg .scatterlayer path.js-line", state="attached")
    drawn = tab.evaluate("document.getElementById('chart').data.length")
    assert drawn > 5 and tab.locator("#chart .main-svg path").count() > 50
    summary = tab.inner_text("#summary")
    assert "Mean ravine" in summary and "95% CI" in summary and "descriptive" in summary
    for voice in ("Corporate statements", "The public"):
        column = tab.locator("#drivers .voices > div", has_text=voice)
        assert column.locator("li").count() >= 8, voice
    listed = tab.inner_text("#annotations")
    assert f"2025-07-14: {OUTAGE}" in listed
    assert f"2025-08-01: {XSS[0]}" in listed  # the markup as text
    assert tab.locator("#annotations script").count() == 0
    alerts = tab.locator("#alerts li").all_inner_texts()
    assert alerts == [
        f"2025-07-14, ravine outside its band: {BAND.detail} (rule nwa-band)",
        f"2025-07-20, ravine change point: {SHIFT.detail} (rule nwa-shift)",  # the markup as text
    ]
    assert tab.locator("#alerts a").count() == 0
    marked = tab.evaluate(
        "document.getElementById('chart').data.find(t => t.meta && t.meta.role === 'alerts').x"
    )
    assert marked == ["2025-07-14", "2025-07-14"]  # by week: both in the week of the 14th
    assert seen == []  # nothing fetched, nothing refused by the policy, no alert


def test_the_pdf_is_printed_by_chromium(
    capsys: pytest.CaptureFixture[str],
    sample_url: str,
    chromium_path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAVINE_CHROMIUM", chromium_path)
    out = tmp_path / "report.pdf"
    made = ravine(capsys, sample_url, "report", *SUMMER, "--out", str(out), "--format", "pdf")
    assert made.code == 0, made.err
    printed = out.read_bytes()
    assert printed.startswith(b"%PDF-") and len(printed) > 50_000
