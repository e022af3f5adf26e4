"""Why the ravine moved, on the dashboard: a period opened, or the periods of the chart's
zoom, show each voice's drivers beside their documents, as the drivers API gives them, as text,
on a phone as on a desktop, with nothing axe finds serious."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.dashboard.browser import PHONE, WEEK, axe_problems, open_chart, period_value

VOICES = ("corporate", "public")
# The lists of a voice in the panel, in order, and where each is in the API's answer.
LISTS = (("terms", "negative"), ("terms", "positive"), ("distinctive", "range"),
         ("distinctive", "comparison"))  # fmt: skip


def api_drivers(site: str, since: str, until: str, voice: str) -> dict[str, Any]:
    params = {"entity": "northwind-air", "since": since, "until": until, "voice": voice,
              "tz": "UTC", "limit": "5"}  # fmt: skip
    response = httpx.get(f"{site}/api/v1/ravine/drivers", params=params, timeout=60)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def shown(page: Any, voice: str) -> list[list[str]]:
    """Each list of the voice's drivers as the page shows it: its terms, or its documents'
    buttons."""
    found: list[list[str]] = page.evaluate(
        """(voice) => [...document.querySelectorAll(`#drivers-${voice} ol.drivers`)].map(ol =>
            [...ol.querySelectorAll('.term, button')].map(el => el.textContent))""",
        voice,
    )
    return found


def expected(body: dict[str, Any]) -> list[list[str]]:
    def number(value: float) -> str:
        digits = f"{abs(value):.3f}"
        return digits if float(digits) == 0 else ("−" if value < 0 else "+") + digits

    terms = [[item["term"] for item in body[group][side]] for group, side in LISTS]
    documents = [
        [f"{number(doc['compound'])} {doc['title']}" for doc in body["documents"][side]]
        for side in ("negative", "positive")
    ]
    return [*terms, *documents]


def wait_for_drivers(page: Any, title: str) -> None:
    page.wait_for_function(
        """(title) => document.getElementById('drivers-title').textContent === title
            && document.querySelectorAll('#drivers-public ol.drivers').length === 6
            && document.querySelectorAll('#drivers-corporate ol.drivers').length === 6""",
        arg=title,
    )


def assert_as_the_api_says(page: Any, site: str, since: str, until: str) -> None:
    for voice in VOICES:
        body = api_drivers(site, since, until, voice)
        assert body["range"]["since"] == since and body["range"]["until"] == until
        assert shown(page, voice) == expected(body)
    assert all(shown(page, "public")[:4]), "every term list of the public holds terms"


def test_an_opened_period_shows_its_drivers_as_the_api_gives_them(
    sized: Any, site: str, screens: Path
) -> None:
    open_chart(sized, site, **WEEK)
    sized.select_option("#period", value=period_value(sized, "2025-07-14"))
    wait_for_drivers(sized, "Why did it move? 2025-07-14 to 2025-07-20 (UTC)")
    assert_as_the_api_says(sized, site, "2025-07-14", "2025-07-20")
    note = sized.inner_text("#drivers-note")
    assert "against the 7 days before (2025-07-07 to 2025-07-13)" in note
    assert sized.evaluate("document.activeElement.id") == "drill-title"  # the documents' view
    assert sized.locator("#drivers img, #drivers script").count() == 0
    sized.locator("#drivers").screenshot(path=str(screens / f"drivers-{sized.size_name}.png"))
    assert sized.evaluate("document.documentElement.scrollWidth") <= sized.viewport_size["width"]
    if sized.viewport_size == PHONE:
        buttons = sized.locator("#drivers button")
        assert all(buttons.nth(i).bounding_box()["height"] >= 44 for i in range(buttons.count()))
    assert axe_problems(sized) == []
    assert sized.dialogs == []


def test_a_document_of_the_drivers_opens_in_the_drill_down(page: Any, site: str) -> None:
    open_chart(page, site, **{**WEEK, "freq": "day"})
    page.select_option("#period", value=period_value(page, "2025-07-16"))
    wait_for_drivers(page, "Why did it move? 2025-07-16 to 2025-07-16 (UTC)")
    worst = api_drivers(site, "2025-07-16", "2025-07-16", "public")["documents"]["negative"][0]
    page.locator("#drivers-public button.driver-document").first.click()
    page.wait_for_function(
        "(title) => document.getElementById('drill-title').textContent.endsWith(title)",
        arg=f"“{worst['title']}”",
    )
    page.wait_for_selector("#docs-public tr td.text")
    scores = page.locator("#docs-public td.num").all_inner_texts()
    assert f"{worst['compound']:.3f}" in scores
    assert page.is_visible("#drivers")  # the drivers stay beside it
    page.click("#close-drill")
    assert page.evaluate("document.activeElement.id") == "period"  # what opened the drivers
    assert page.dialogs == []


def test_the_range_button_explains_the_periods_in_view(sized: Any, site: str) -> None:
    open_chart(sized, site, **{**WEEK, "freq": "day"})
    zoom = ["2025-07-01 02:00", "2025-07-14 20:00"]  # two weeks, partly
    sized.evaluate("(zoom) => Plotly.relayout('chart', {'xaxis.range': zoom})", zoom)
    sized.click("#why-range")
    wait_for_drivers(sized, "Why did it move? 2025-07-01 to 2025-07-14 (UTC)")
    assert sized.inner_text("#drill-title") == "Documents of 2025-07-01 to 2025-07-14 (UTC)"
    assert_as_the_api_says(sized, site, "2025-07-01", "2025-07-14")
    assert "(2025-06-17 to 2025-06-30)" in sized.inner_text("#drivers-note")
    assert axe_problems(sized) == []
