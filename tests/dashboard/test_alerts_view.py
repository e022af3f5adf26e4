"""Alert events on the dashboard: a stored event is drawn on the ravine's panel (a triangle
pointing its way, in the period holding its day, at that period's ravine, hovering its rule,
kind and detail as text) and listed under the chart with its rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from ravine.analytics.alerts import Finding
from ravine.db import make_engine, make_session_factory, session_scope
from ravine.repository.alerts import store_event
from ravine.repository.entities import find_entity
from tests.api.conftest import load_sample_into
from tests.dashboard.browser import HTML_TITLE, chart_pixels, open_chart
from tests.databases import DatabaseFactory
from tests.server import serving

JULY = {"entity": "northwind-air", "freq": "day", "since": "2025-07-01", "until": "2025-07-31",
        "min_n": "1"}  # fmt: skip
BAND = Finding(
    kind="band", day=date(2025, 7, 14), started=None, direction="up", value=0.42, expected=0.1,
    low=-0.05, high=0.25, ci_low=0.3, ci_high=0.54, score=4.2,
    detail="the ravine was +0.42 (95% CI +0.30 to +0.54), outside its 90-day band +0.10 ± 3 sd "
    "(−0.05 to +0.25)",
)  # fmt: skip
# A change point whose detail is markup (as no detector writes it): drawn and listed as text.
SHIFT = Finding(
    kind="change_point", day=date(2025, 7, 20), started=date(2025, 7, 16), direction="down",
    value=-0.2, expected=0.1, low=None, high=None, ci_low=None, ci_high=None, score=5.5,
    detail=f"the ravine fell {HTML_TITLE}",
)  # fmt: skip


def store_alerts(url: str, entity: str, *found: tuple[str, Finding]) -> None:
    """Store each (rule, finding) as a check run with --no-send would."""
    engine = make_engine(url)
    with session_scope(make_session_factory(engine), write=True) as session:
        known = find_entity(session, entity)
        assert known is not None
        for rule, finding in found:
            stored = store_event(session, rule=rule, entity_id=known.id, finding=finding,
                                 channels=["ops"], send=False)  # fmt: skip
            assert stored is not None
    engine.dispose()


@pytest.fixture(scope="module")
def alerted(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """The sample, served, with a band break and a change point in Northwind Air's July."""
    url = DatabaseFactory("sqlite", tmp_path_factory.mktemp("alerted")).migrated()
    load_sample_into(url)
    store_alerts(url, "northwind-air", ("nwa-band", BAND), ("nwa-shift", SHIFT))
    with serving(url) as base:
        yield base


def _marks(page: Any) -> dict[str, Any]:
    """The alert trace as drawn, and the ravine's values at its periods."""
    found: dict[str, Any] = page.evaluate(
        """() => {
            const data = document.getElementById('chart').data;
            const marks = data.find(t => t.meta && t.meta.role === 'alerts');
            const ravine = data.find(t => t.meta && t.meta.role === 'ravine');
            return {x: marks.x, y: marks.y, yaxis: marks.yaxis, hover: marks.hovertext,
                    symbols: marks.marker.symbol, showlegend: marks.showlegend,
                    ravine: marks.x.map(x => ravine.y[ravine.x.indexOf(x)])};
        }"""
    )
    return found


def _flat(hover: str) -> str:
    """A hover's text on one line (the detail is wrapped with <br>)."""
    return hover.replace("<br>", " ")


def test_alerts_are_drawn_on_the_ravine_and_listed(page: Any, alerted: str) -> None:
    open_chart(page, alerted, **JULY)
    drawn = _marks(page)
    assert drawn["x"] == ["2025-07-14", "2025-07-20"]
    assert drawn["symbols"] == ["triangle-up", "triangle-down"]
    assert drawn["yaxis"] == "y3" and drawn["showlegend"] is False
    assert drawn["y"] == [0.0 if v is None else v for v in drawn["ravine"]]  # on the line
    band, shift = map(_flat, drawn["hover"])
    assert "2025-07-14 nwa-band: ravine outside its band" in band and BAND.detail in band
    assert "2025-07-20 nwa-shift: ravine change point" in shift
    assert "&lt;a href" in shift and "<a href" not in shift  # shown as text, not as a link
    # Hovering the band break's triangle shows its rule and detail (its very centre, the
    # ravine's own small point, hovers the ravine: Plotly prefers the smaller marker there).
    page.locator("#chart").scroll_into_view_if_needed()
    ((left, top),) = chart_pixels(page, ("x", "y3"), [("2025-07-14", drawn["y"][0])])
    box = page.locator("#chart").bounding_box()
    page.mouse.move(box["x"] + left, box["y"] + top - 5, steps=4)
    page.wait_for_function(  # hovers on the way there may show first
        "() => (document.querySelector('#chart .hoverlayer') || {}).textContent"
        "?.includes('nwa-band: ravine outside its band')",
        timeout=5_000,
    )
    items = page.locator("#alert-list li")
    assert items.all_inner_texts() == [
        f"2025-07-14: {BAND.detail} (rule nwa-band)", f"2025-07-20: {SHIFT.detail} (rule nwa-shift)"
    ]  # fmt: skip
    assert page.locator("#alert-list a").count() == 0
    assert page.locator("#alerts").is_visible()


def test_a_week_marks_the_alerts_of_its_days(page: Any, alerted: str) -> None:
    """Both events fall in the week of Monday 14 July: one triangle each way, at its label."""
    open_chart(page, alerted, **{**JULY, "freq": "week"})
    drawn = _marks(page)
    assert drawn["x"] == ["2025-07-14", "2025-07-14"]
    assert drawn["symbols"] == ["triangle-up", "triangle-down"]


def test_a_range_without_alerts_draws_and_lists_none(page: Any, alerted: str) -> None:
    open_chart(page, alerted, **{**JULY, "since": "2025-08-01", "until": "2025-08-31"})
    roles = page.evaluate(
        "() => document.getElementById('chart').data.map(t => (t.meta || {}).role)"
    )
    assert "alerts" not in roles
    assert page.locator("#alert-list li").count() == 0
    assert not page.locator("#alerts").is_visible()
