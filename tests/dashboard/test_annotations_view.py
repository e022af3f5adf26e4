"""Annotations on the dashboard: those added through the API are drawn on the chart (a line
for a day, a span for a range, a marker that hovers the label as text) and listed under it
with their links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.apikeys import create_key
from ravine.repository.entities import upsert_entity
from tests.dashboard.browser import HTML_TITLE, open_chart
from tests.databases import DatabaseFactory
from tests.server import serving

MARCH = {"entity": "acme", "freq": "day", "since": "2025-03-01", "until": "2025-03-31",
         "min_n": "1"}  # fmt: skip
LAUNCH = {"entity": "acme", "date": "2025-03-10", "label": "Rocket skates launch",
          "url": "https://acme.example/news/skates"}  # fmt: skip
# A range whose label is markup: drawn and listed as text.
OUTAGE = {"entity": "acme", "date": "2025-03-12", "end_date": "2025-03-14", "label": HTML_TITLE}


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """A served database with an entity's March of posts and two annotations, all added
    through the API."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("annotated")).migrated()
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        upsert_entity(session, name="Acme")
        _, key = create_key(session, name="analyst")
    engine.dispose()
    posts = [{"text": f"Acme skates are {word}", "created_at": f"2025-03-{day:02d}T12:00:00Z"}
             for day in range(1, 29) for word in ("great", "awful")]  # fmt: skip
    with serving(url) as base:
        writes = [("documents", {"entity": "acme", "voice": "public", "documents": posts}),
                  ("annotations", LAUNCH), ("annotations", OUTAGE)]  # fmt: skip
        for path, body in writes:
            made = httpx.post(f"{base}/api/v1/{path}", json=body, headers={"X-API-Key": key},
                              timeout=30)  # fmt: skip
            assert made.status_code in (200, 201), made.text
        yield base


def test_annotations_are_drawn_and_listed(page: Any, annotated: str) -> None:
    open_chart(page, annotated, **MARCH)
    drawn = page.evaluate(
        """() => {
            const chart = document.getElementById('chart');
            const marks = chart.data.find(t => t.meta && t.meta.role === 'events');
            return {shapes: chart._fullLayout.shapes.map(s => [s.type, s.x0, s.x1, s.yref]),
                    x: marks.x, hover: marks.hovertext};
        }"""
    )
    assert drawn["shapes"] == [
        ["line", "2025-03-10", "2025-03-10", "paper"], ["rect", "2025-03-12", "2025-03-15", "paper"]
    ]  # fmt: skip
    assert drawn["x"] == ["2025-03-10", "2025-03-12"]
    assert drawn["hover"][0] == "2025-03-10<br>Rocket skates launch"
    assert "&lt;a href" in drawn["hover"][1]  # shown as text, not as a link
    # Hovering the launch's marker shows its label.
    box = page.evaluate(
        """() => {
            const full = document.getElementById('chart')._fullLayout;
            const rect = document.getElementById('chart').getBoundingClientRect();
            return [rect.left + full.xaxis._offset + full.xaxis.d2p('2025-03-10'),
                    rect.top + full.yaxis4._offset + full.yaxis4.d2p(0.03)];
        }"""
    )
    page.mouse.move(*box, steps=4)
    # Hovers on the way there may show first: wait for the one at the marker.
    page.wait_for_function(
        "() => (document.querySelector('#chart .hoverlayer') || {}).textContent"
        "?.includes('Rocket skates launch')",
        timeout=5_000,
    )
    items = page.locator("#event-list li")
    assert items.all_inner_texts() == [
        "2025-03-10 Rocket skates launch", f"2025-03-12 – 2025-03-14 {HTML_TITLE}"
    ]  # fmt: skip
    assert page.locator("#event-list a").get_attribute("href") == LAUNCH["url"]
    assert page.locator("#event-list li").nth(1).locator("a").count() == 0
    assert page.locator("#events").is_visible()
