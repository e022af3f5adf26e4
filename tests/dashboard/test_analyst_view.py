"""The analyst's first screen: a view fitted to the data, entities found by any of their names,
plain words when something is wrong, a drill-down that sorts both ways, a page that works on a
phone, and no serious accessibility violations (axe-core) on any view at either size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.dashboard.browser import PHONE, WEEK, axe_problems, drawn, open_chart, period_value


def test_the_first_screen_fits_the_data_and_shows_both_voices(page: Any, site: str) -> None:
    page.goto(f"{site}/")
    page.wait_for_function("document.getElementById('chart').dataset.points !== undefined")
    first = httpx.get(f"{site}/api/v1/entities", timeout=30).json()["items"][0]
    public = first["public"]  # the range is where the public speaks
    assert page.input_value("#since") == public["first"][:10]
    assert page.input_value("#until") == public["last"][:10]
    assert f"since={public['first'][:10]}" in page.url
    shown = [drawn(page, "voice", "corporate"), drawn(page, "voice", "public")]
    shown.append(drawn(page, "ravine"))
    for series in shown:
        assert sum(v is not None for v in series) >= 0.8 * len(series)


def test_min_n_is_a_control_and_lives_in_the_url(page: Any, site: str) -> None:
    open_chart(page, site, **WEEK, min_n="1")
    loose = drawn(page, "voice", "corporate")
    page.fill("#min_n", "100")
    page.dispatch_event("#min_n", "change")
    page.wait_for_function("location.search.includes('min_n=100')")
    page.wait_for_function(
        "(n) => document.getElementById('chart').data.find(t => t.meta && t.meta.voice === "
        "'corporate' && t.meta.role === 'voice').y.filter(v => v === null).length > n",
        arg=sum(v is None for v in loose),
    )


@pytest.mark.parametrize("typed", ["Northwind Air", "northwind", "@NorthwindAir", "$nwa"])
def test_an_entity_is_found_by_its_name_or_any_alias(page: Any, site: str, typed: str) -> None:
    open_chart(page, site, **{**WEEK, "entity": "helio-bank"})
    page.fill("#entity", typed)
    page.dispatch_event("#entity", "change")
    page.wait_for_function("document.getElementById('chart').dataset.entity === 'northwind-air'")
    assert "entity=northwind-air" in page.url


def test_a_name_typed_before_the_entity_list_arrives_waits_for_it(page: Any, site: str) -> None:
    """With an entity and a range in the URL the chart comes first and the list after it; a
    name typed in between is looked up once the list is there, not refused."""
    held: list[Any] = []
    page.route("**/api/v1/entities", lambda route: held.append(route))  # held until let through
    open_chart(page, site, **{**WEEK, "entity": "helio-bank"})
    page.fill("#entity", "Northwind Air")
    page.dispatch_event("#entity", "change")
    page.wait_for_timeout(200)
    assert len(held) == 1 and "entity=helio-bank" in page.url
    held[0].continue_()
    page.wait_for_function("document.getElementById('chart').dataset.entity === 'northwind-air'")
    assert "entity=northwind-air" in page.url


def test_an_unknown_entity_is_explained_plainly_and_offers_nothing_to_download(
    page: Any, site: str
) -> None:
    page.goto(f"{site}/?entity=nobody&since=2025-06-01&until=2025-06-30")
    page.wait_for_selector("#status.error")
    message = page.inner_text("#status")
    assert "nobody" in message and "pick one from the entity list" in message
    assert "/api/" not in message
    assert page.is_disabled("#download-png") and page.is_disabled("#period")
    assert page.get_attribute("#download-csv", "href") is None


@pytest.mark.parametrize(("order", "ascending"), [("compound:asc", True), ("compound:desc", False)])
def test_the_drill_down_sorts_by_score_both_ways(
    page: Any, site: str, order: str, ascending: bool
) -> None:
    open_chart(page, site, **WEEK)
    page.select_option("#period", value=period_value(page, "2025-07-14"))
    page.wait_for_selector("#docs-public tr td.text")
    with page.expect_response(lambda r: "voice=public" in r.url and "sort=compound" in r.url):
        page.select_option("#doc-sort", order)
    page.wait_for_function("!document.getElementById('status').className")
    scores = [
        float(s)
        for s in page.locator("#docs-public td.num").all_inner_texts()
        if s.strip() not in ("", "—")
    ]
    assert len(scores) > 5 and scores == sorted(scores, reverse=not ascending)
    page.click("#close-drill")
    assert page.input_value("#period") == ""


def test_on_a_phone_nothing_overflows_and_every_control_can_be_tapped(page: Any, site: str) -> None:
    page.set_viewport_size(PHONE)
    open_chart(page, site, **WEEK)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The settings fold away, so the chart starts on the first screen; one tap unfolds them.
    assert page.locator("#chart").bounding_box()["y"] < PHONE["height"] / 2
    assert not page.is_visible("#metric")
    page.click("#settings-toggle")
    assert page.get_attribute("#settings-toggle", "aria-expanded") == "true"
    assert page.is_visible("#metric") and page.is_visible("#corporate_window")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    controls = page.locator(
        "#controls input:visible, #controls select:visible, #controls button:visible, "
        ".actions select:visible, .actions button:visible, .actions a:visible, nav button"
    )
    assert controls.count() > 10
    for box in (controls.nth(i).bounding_box() for i in range(controls.count())):
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 44


@pytest.mark.parametrize("view", ["entity", "drill-down", "compare"])
def test_every_view_has_no_serious_accessibility_violations(
    sized: Any, site: str, screens: Path, view: str
) -> None:
    open_chart(sized, site, **WEEK)
    if view == "drill-down":
        sized.select_option("#period", value=period_value(sized, "2025-07-14"))
        sized.wait_for_selector("#docs-public tr td.text")
    elif view == "compare":
        sized.click("#show-compare")
        sized.wait_for_selector("#leaderboard tr td")
    sized.screenshot(path=str(screens / f"{view}-{sized.size_name}.png"), full_page=True)
    assert axe_problems(sized) == []
