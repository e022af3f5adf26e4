"""The first screen on sparse real-shaped data: a few statements a week beside hundreds of posts
a day, over nine days and over three years. It opens on a view where the corporate line, the
public line and the ravine all have values in at least 80% of the periods, says how, and has no
serious accessibility violation (axe-core), on a desktop and on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.browser import DESKTOP, FLAGS, PHONE, axe_problems, drawn, sync_api
from tests.databases import DatabaseFactory
from tests.server import serving
from tests.sparse import NINE_DAYS, THREE_YEARS, Sparse, load_sparse

SIZES = {"desktop": DESKTOP, "phone": PHONE}
FITTED = {(9, "desktop"): "day", (9, "phone"): "day",
          (1095, "desktop"): "week", (1095, "phone"): "month"}  # fmt: skip


@pytest.fixture(scope="module", params=[NINE_DAYS, THREE_YEARS], ids=["nine-days", "three-years"])
def sparse_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[str, Sparse]]:
    spec: Sparse = request.param
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("sparse")).migrated()
    load_sparse(url, spec)
    with serving(url) as base:
        yield base, spec


@pytest.mark.parametrize("size", SIZES)
def test_the_first_screen_shows_both_voices_and_the_ravine_almost_everywhere(
    sparse_site: tuple[str, Sparse], chromium_path: str, screens: Path, size: str
) -> None:
    site, spec = sparse_site
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=FLAGS)
        page: Any = browser.new_page(viewport=SIZES[size], bypass_csp=True)
        page.goto(f"{site}/")
        page.wait_for_function("document.getElementById('chart').dataset.points !== undefined")
        # The range is the posts' span, not the statements' weeks of history before it.
        assert page.input_value("#since") == spec.first.isoformat()
        assert page.input_value("#until") == spec.last.isoformat()
        shown = {name: drawn(page, *role) for name, role in
                 {"corporate": ("voice", "corporate"), "public": ("voice", "public"),
                  "ravine": ("ravine", None)}.items()}  # fmt: skip
        for name, series in shown.items():
            assert sum(v is not None for v in series) >= 0.8 * len(series), name
        # What is shown is said: on the chart, in the status line and in the URL.
        # A phone draws fewer, longer periods; statements too few for them pool trailing days.
        freq, window = page.input_value("#freq"), page.input_value("#corporate_window")
        assert freq == FITTED[(spec.days, size)]
        names = page.evaluate("document.getElementById('chart').data.map(t => t.name)")
        if window != "0":
            assert f"corporate_window={window}" in page.url
            assert f"Corporate (trailing {window} d)" in names
            assert f"trailing {window} days of statements" in page.inner_text("#status")
            assert f"statements of the trailing {window} days" in page.inner_text("#legend-note")
        else:
            assert "Corporate" in names and freq == "month"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"]
        assert axe_problems(page) == []
        page.screenshot(path=str(screens / f"sparse-{spec.days}-days-{size}.png"), full_page=True)
        browser.close()
