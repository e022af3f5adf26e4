"""Statements on the dashboard: every one named and listed at its local time, one diamond per
period that counts them, and the public's reaction as a small before/after chart with both
CIs, a window to choose, a sentence in the metric's words and the posts of each side."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.dashboard.browser import HTML_TITLE, axe_problems, open_chart

# Days of July 2025 in Auckland (UTC+12): the statement titled with markup, at 14:00 UTC on the
# 15th, is the 16th's third.
JULY = {"entity": "northwind-air", "freq": "day", "since": "2025-07-14", "until": "2025-07-20",
        "tz": "Pacific/Auckland"}  # fmt: skip


def reactions(site: str, **params: Any) -> list[dict[str, Any]]:
    response = httpx.get(f"{site}/api/v1/ravine/reactions", params=params, timeout=30)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["reactions"]
    return found


def listed(page: Any) -> list[str]:
    """The Statement list's choices, once it has them."""
    page.wait_for_function("document.querySelectorAll('#statement option').length > 1")
    options: list[str] = page.locator("#statement option").all_inner_texts()
    return options[1:]


def local(instant: str, tz: str) -> str:
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def diamond_at(page: Any, label: str) -> dict[str, float]:
    """Where the diamond of the period labelled ``label`` is on the screen."""
    found: dict[str, float] = page.evaluate(
        """(label) => {
            const chart = document.getElementById('chart');
            const trace = chart.data.find(t => t.meta && t.meta.role === 'statements');
            const layout = chart._fullLayout;
            const x = layout.xaxis.d2p(label) + layout.xaxis._offset;
            const y = layout.yaxis4.d2p(trace.y[trace.x.indexOf(label)]) + layout.yaxis4._offset;
            const box = chart.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        label,
    )
    return found


def says(page: Any, words: str) -> None:
    """Wait for the reaction's sentence to say ``words``."""
    page.wait_for_function(
        "(words) => document.getElementById('reaction-body').textContent.includes(words)",
        arg=words,
    )


def click_diamond(page: Any, label: str) -> None:
    point = diamond_at(page, label)
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])


def open_reaction(page: Any, title: str) -> None:
    """Choose the statement called ``title`` from the Statement list and wait for its chart."""
    value = page.evaluate(
        """(title) => [...document.querySelectorAll('#statement option')]
            .find(o => o.textContent.endsWith(' · ' + title)).value""",
        title,
    )
    page.select_option("#statement", value)
    page.wait_for_selector("#reaction-chart .main-svg")


def test_every_statement_is_listed_at_its_local_time_by_its_name(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    found = reactions(site, entity="northwind-air", since="2025-07-14", until="2025-07-20",
                      tz=JULY["tz"])  # fmt: skip
    expected = [f"{local(r['published_at'], JULY['tz'])} · {r['title']}" for r in found]
    assert listed(page) == expected and len(expected) > 40
    # untitled posts of the official account are named by their first words
    assert "2025-07-15 19:08 · Reminder: check in online up to 24 hours before your flight" in (
        expected
    )
    assert f"2025-07-16 02:00 · {HTML_TITLE}" in expected


def test_a_range_of_more_statements_than_a_page_says_how_many_it_lists(
    page: Any, site: str
) -> None:
    summer = {"entity": "northwind-air", "freq": "week", "since": "2025-06-02",
              "until": "2025-08-31"}  # fmt: skip
    open_chart(page, site, **summer)
    options = listed(page)
    response = httpx.get(f"{site}/api/v1/ravine/reactions", params=summer, timeout=30)
    body = response.json()
    assert body["truncated"] and len(options) == len(body["reactions"]) == 500 < body["total"]
    prompt = page.locator("#statement option").first.inner_text()
    assert prompt == f"choose… (the first 500 of {body['total']}; a diamond lists its period's)"


def test_each_day_has_one_diamond_that_counts_its_statements(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    drawn = page.evaluate(
        """() => {
            const data = document.getElementById('chart').data;
            const diamonds = data.find(t => t.meta && t.meta.role === 'statements');
            const bars = data.find(t => t.meta && t.meta.role === 'volume'
                && t.meta.voice === 'corporate');
            return {x: diamonds.x, counts: diamonds.customdata, text: diamonds.text,
                    days: bars.x, documents: bars.y};
        }"""
    )
    assert drawn["x"] == drawn["days"] and drawn["counts"] == drawn["documents"]
    assert drawn["text"] == [str(n) for n in drawn["counts"]] and min(drawn["counts"]) > 1


def test_a_diamond_hovers_its_titles_as_text(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    point = diamond_at(page, "2025-07-16")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector(".hoverlayer .hovertext")
    layer = page.locator(".hoverlayer")
    text = layer.text_content()
    assert f"02:00 {HTML_TITLE}" in text and "2025-07-16 02:00" not in text  # the day's diamond
    assert "more" in text
    assert layer.locator("a").count() == 0


def test_a_diamond_with_several_statements_offers_them_to_choose_from(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    listed(page)
    click_diamond(page, "2025-07-16")
    page.wait_for_function("document.activeElement.id === 'statement'")
    day = reactions(site, entity="northwind-air", since="2025-07-16", until="2025-07-16",
                    tz=JULY["tz"])  # fmt: skip
    options = page.locator("#statement option").all_inner_texts()
    assert options[0].startswith(f"choose one of {len(day)} (2025-07-16)")
    assert options[1:] == [
        *(f"{local(r['published_at'], JULY['tz'])} · {r['title']}" for r in day),
        "all statements of the chart",
    ]
    open_reaction(page, HTML_TITLE)
    assert page.inner_text("#reaction-title") == f"Public reaction to: {HTML_TITLE}"
    assert page.locator("#reaction a").count() == 0
    page.select_option("#statement", "all")
    page.wait_for_function("document.querySelectorAll('#statement option').length > 40")


def test_a_statement_opens_from_the_keyboard(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    first = listed(page)[0]
    page.focus("#statement")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.activeElement.id === 'reaction-title'")
    assert page.inner_text("#reaction-title") == f"Public reaction to: {first.split(' · ', 1)[1]}"
    assert "3 days before" in page.inner_text("#reaction-body")


def test_a_diamond_with_one_statement_opens_its_reaction(page: Any, site: str) -> None:
    params = {"entity": "helio-bank", "freq": "day", "since": "2025-06-02", "until": "2025-06-29"}
    open_chart(page, site, **params)
    drawn = page.evaluate(
        """() => document.getElementById('chart').data
            .find(t => t.meta && t.meta.role === 'statements')"""
    )
    label = drawn["x"][drawn["customdata"].index(1)]
    (only,) = reactions(site, entity="helio-bank", since=label, until=label)
    click_diamond(page, label)
    page.wait_for_function("document.activeElement.id === 'reaction-title'")
    assert page.inner_text("#reaction-title") == f"Public reaction to: {only['title']}"
    assert page.input_value("#statement") == str(only["id"])


def test_the_reaction_is_a_chart_of_both_sides_and_a_sentence(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    listed(page)
    open_reaction(page, HTML_TITLE)
    assert page.evaluate("document.activeElement.id") == "reaction-title"
    box = page.locator("#reaction-title").bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    (shown,) = [r for r in reactions(site, **{**JULY, "freq": "day"}) if r["title"] == HTML_TITLE]
    chart = page.evaluate(
        """() => { const t = document.getElementById('reaction-chart').data[0];
                   return {y: t.y, up: t.error_y.array, down: t.error_y.arrayminus}; }"""
    )
    for k, side in enumerate(("before", "after")):
        value = shown[f"{side}_value"]
        assert chart["y"][k] == value
        assert chart["up"][k] == pytest.approx(shown[f"{side}_ci_high"] - value)
        assert chart["down"][k] == pytest.approx(value - shown[f"{side}_ci_low"])
    ticks = page.locator("#reaction-chart .xtick text").all_text_contents()
    assert ticks == [f"3 days {side}n = {shown[f'{side}_n']:,}" for side in ("before", "after")]
    sentence = page.inner_text("#reaction-body")
    low, high = shown["change_ci_low"], shown["change_ci_high"]
    assert f"{abs(shown['change']):.3f} (95% CI" in sentence
    assert f"{abs(low):.3f} to " in sentence and f"{abs(high):.3f})" in sentence
    mood = "much as" if low <= 0 <= high else "rosier" if shown["change"] > 0 else "gloomier"
    assert f"sounded {mood}" in sentence


def test_the_sentence_follows_the_metric_direction(page: Any, site: str) -> None:
    # The outage: the public turns on the company after its first apology.
    params = {"entity": "northwind-air", "since": "2025-07-01", "until": "2025-07-31"}
    for metric in ("compound", "negative_share"):
        found = reactions(site, **params, metric=metric, window_days=7)
        # gloomier: compound falls (its CI below 0), the negative share rises (above 0)
        bound, sign = ("change_ci_high", -1) if metric == "compound" else ("change_ci_low", 1)
        worse = next(r for r in found if r[bound] is not None and sign * r[bound] > 0)
        open_chart(page, site, **params, freq="week", metric=metric)
        listed(page)
        page.select_option("#statement", str(worse["id"]))
        page.select_option("#reaction-window", "7")
        says(page, "7 days")
        sentence = page.inner_text("#reaction-body")
        assert "sounded gloomier" in sentence, (metric, sentence)
        label = "mean VADER compound" if metric == "compound" else "negative share"
        assert f"the {label} went from" in sentence


def test_the_window_changes_and_each_side_lists_its_posts(page: Any, site: str) -> None:
    open_chart(page, site, **JULY)
    listed(page)
    open_reaction(page, HTML_TITLE)
    with page.expect_response(lambda r: "window_days=7" in r.url):
        page.select_option("#reaction-window", "7")
    says(page, "7 days")
    (shown,) = [r for r in reactions(site, **JULY, window_days=7) if r["title"] == HTML_TITLE]
    # each side lists the posts of exactly [t − 7 days, t) and [t, t + 7 days)
    at = datetime.fromisoformat(shown["published_at"])
    week = timedelta(days=7)
    for side, since, until in (("before", at - week, at), ("after", at, at + week)):
        button = page.locator(f"#reaction-{side}")
        n = shown[f"{side}_n"]
        assert button.inner_text() == f"Read the posts of the 7 days {side} ({n:,})"
        with page.expect_response(lambda r: "voice=public" in r.url) as answer:
            button.click()
        asked = parse_qs(urlsplit(answer.value.url).query)
        bounds = [datetime.fromisoformat(asked[key][0]) for key in ("since", "until")]
        assert bounds == [since, until]
        page.wait_for_function("!document.getElementById('status').className")
        assert page.evaluate("document.activeElement.id") == "drill-title"
        title = page.inner_text("#drill-title")
        assert f"the 7 days {side} “{HTML_TITLE}”" in title and "(Pacific/Auckland)" in title
        assert page.inner_text("#count-public") == f"{shown[f'{side}_n']:,} documents"
        page.click("#close-drill")
        assert page.evaluate("document.activeElement.id") == f"reaction-{side}"
    page.click("#close-reaction")
    assert page.is_hidden("#reaction") and page.input_value("#statement") == ""
    assert page.evaluate("document.activeElement.id") == "statement"


def test_the_reaction_panel_is_accessible_and_fits_a_phone(
    sized: Any, site: str, screens: Path
) -> None:
    open_chart(sized, site, **JULY)
    listed(sized)
    open_reaction(sized, HTML_TITLE)
    sized.screenshot(path=str(screens / f"reaction-{sized.size_name}.png"), full_page=True)
    assert axe_problems(sized) == []
    width = sized.viewport_size["width"]
    assert sized.evaluate("document.documentElement.scrollWidth") <= width
    controls = sized.locator("#reaction button:visible, #reaction select:visible")
    assert controls.count() == 4
    for box in (controls.nth(i).bounding_box() for i in range(controls.count())):
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["height"] >= (44 if width < 760 else 20)
    chart = sized.locator("#reaction-chart").bounding_box()
    assert chart is not None and chart["x"] + chart["width"] <= width
