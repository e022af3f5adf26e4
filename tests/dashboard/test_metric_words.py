"""What the dashboard says follows the metric's direction as declared in
ravine.analytics.options.METRIC_INFO: a higher compound or net sentiment is rosier, a higher
negative share gloomier, and the ravine is always how much rosier the company sounds. Its
hovers name a week or a month as a reader does and say why a period has no value, and the
compare view ranks the rosiest company first and shades each entity's 95% CI."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from ravine.analytics.options import METRIC_INFO, METRICS
from tests.dashboard.browser import (
    WEEK,
    chart_pixels,
    chart_traces,
    hover_label,
    one_trace,
    open_chart,
    open_compare,
    svg_lines,
)

# A year of Helio Bank's weeks: its voices cross often, so both shadings appear for every metric.
YEAR = {"entity": "helio-bank", "freq": "week", "since": "2025-01-01", "until": "2025-12-31"}
# Weeks in which Helio Bank's statements often number fewer than min_n: gaps in its line.
SPARSE = {"entity": "helio-bank", "freq": "week", "since": "2025-01-01", "until": "2025-06-30",
          "min_n": "10"}  # fmt: skip
CASES = [
    *(pytest.param(metric, False, id=metric) for metric in METRICS),
    pytest.param("negative_share", True, id="negative_share-baseline"),
]


def higher_word(metric: str) -> str:
    """What a higher value of ``metric`` means, from its declared direction."""
    return "rosier" if METRIC_INFO[metric].direction == "higher_is_rosier" else "gloomier"


def polygons(band: dict[str, Any]) -> list[list[tuple[str, float]]]:
    """A filled band's closed polygons: its points between the nulls that separate them."""
    found: list[list[tuple[str, float]]] = [[]]
    for x, y in zip(band["x"], band["y"], strict=True):
        if x is None:
            found.append([])
        else:
            found[-1].append((x, y))
    return [polygon for polygon in found if polygon]


def period_title(label: str, freq: str) -> str:
    """A period as a reader names it: a week's first and last day, or a month and year."""
    if freq == "week":
        return f"{label} to {date.fromisoformat(label) + timedelta(days=6)}"
    return date.fromisoformat(f"{label}-01").strftime("%B %Y")


@pytest.mark.parametrize(("metric", "baseline"), CASES)
def test_the_legend_axes_and_caption_say_which_way_the_metric_points(
    page: Any, site: str, metric: str, baseline: bool
) -> None:
    info = METRIC_INFO[metric]
    higher = higher_word(metric)
    usual, scope = (" than usual", " vs. baseline") if baseline else ("", "")
    open_chart(page, site, **YEAR, metric=metric, **({"view": "baseline"} if baseline else {}))
    legend = [" ".join(lines) for lines in svg_lines(page, "#chart .legendtext")]
    assert f"Company rosier{scope}" in legend and f"Public rosier{scope}" in legend
    (voices_axis,) = svg_lines(page, "#chart .ytitle")
    name = f"z-score of {info.label}" if baseline else info.label
    assert voices_axis == [name, f"higher = {higher}{usual}"]
    (ravine_axis,) = svg_lines(page, "#chart .y3title")
    assert ravine_axis == ["ravine", "+ company rosier"]  # for every metric
    caption = page.inner_text("#legend-note")
    assert info.label in caption and f"being {higher}{usual}" in caption
    if not baseline:  # where the company's line lies when it sounds rosier
        assert f"(its line is {'higher' if higher == 'rosier' else 'lower'})" in caption
    if higher == "rosier":
        assert "gloomier" not in caption + " ".join(voices_axis)


@pytest.mark.parametrize(("metric", "baseline"), CASES)
def test_the_company_rosier_shading_lies_on_the_company_rosier_side(
    page: Any, site: str, metric: str, baseline: bool
) -> None:
    """Each shading runs from the line of the voice it names to the other's, and only where
    that voice is the rosier: above for compound and net, below for the negative share."""
    open_chart(page, site, **YEAR, metric=metric, **({"view": "baseline"} if baseline else {}))
    traces = chart_traces(page)
    lines = {v: one_trace(traces, "voice", voice=v) for v in ("corporate", "public")}
    labels = lines["corporate"]["x"]
    corporate, public = lines["corporate"]["y"], lines["public"]["y"]
    company_above = higher_word(metric) == "rosier"
    shaded: dict[int, list[str]] = {}
    for rosier in ("corporate", "public"):
        band = one_trace(traces, "shading", rosier=rosier)
        for polygon in polygons(band):
            half = len(polygon) // 2
            for (x, top), (back, bottom) in zip(polygon[:half], reversed(polygon[half:]),
                                                strict=True):  # fmt: skip
                i = labels.index(x)
                assert back == x
                c, p = corporate[i], public[i]
                assert (top, bottom) == ((c, p) if rosier == "corporate" else (p, c))
                company_rosier = c >= p if company_above else c <= p  # a tie is the company's
                assert company_rosier == (rosier == "corporate")
                shaded.setdefault(i, []).append(rosier)
    both = [i for i, (c, p) in enumerate(zip(corporate, public, strict=True)) if None not in (c, p)]
    assert sorted(shaded) == both and all(len(names) == 1 for names in shaded.values())
    assert {"corporate", "public"} == {names[0] for names in shaded.values()}
    # the ravine is how much rosier the company sounds: its line minus the public's, or the
    # reverse where higher is gloomier
    ravine = one_trace(traces, "ravine")["y"]
    sign = 1 if company_above else -1
    for i in both:
        assert ravine[i] == pytest.approx(sign * (corporate[i] - public[i]), abs=0.0015)


@pytest.mark.parametrize("metric", METRICS)
def test_the_leaderboard_puts_the_company_that_sounds_rosiest_first(
    page: Any, site: str, metric: str
) -> None:
    open_compare(page, site, **YEAR, metric=metric)
    means = page.locator("#leaderboard tr td:nth-child(2)").all_inner_texts()
    assert len(means) >= 3 and "—" not in means
    assert [float(m) for m in means] == sorted((float(m) for m in means), reverse=True)


def test_the_compare_view_shades_each_entitys_ci_breaking_at_empty_periods(
    page: Any, site: str
) -> None:
    chosen = "helio-bank,brightleaf-foods"
    open_compare(page, site, **SPARSE, compare=chosen)
    params = {k: v for k, v in SPARSE.items() if k != "entity"}
    body = httpx.get(f"{site}/api/v1/compare", params={**params, "entities": chosen}, timeout=30)
    entries = body.json()["entities"]
    traces = chart_traces(page, "compare-chart")
    bands = [t for t in traces if t["fill"] == "toself"]
    lines = [t for t in traces if t["fill"] is None]
    assert len(bands) == len(lines) == len(entries) == 2
    assert traces.index(bands[-1]) < traces.index(lines[0])  # beneath every line
    labels = lines[0]["x"]
    for band, line, entry in zip(bands, lines, entries, strict=True):
        assert band["fillcolor"] == line["line"]["color"] and band["hoverinfo"] == "skip"
        with_ci = [p["ci_low"] is not None and p["ci_high"] is not None for p in entry["periods"]]
        runs: list[list[int]] = []
        for i, flag in enumerate(with_ci):
            if flag and runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            elif flag:
                runs.append([i])
        expected = [
            [(labels[i], entry["periods"][i]["ci_high"]) for i in run]
            + [(labels[i], entry["periods"][i]["ci_low"]) for i in reversed(run)]
            for run in runs
        ]
        assert polygons(band) == expected
    assert len(polygons(bands[0])) > 1  # Helio Bank's band breaks at its empty weeks
    legend = page.locator("#compare-chart .legend .traces", has_text="95% CI")
    assert legend.count() == 1
    legend.locator(".legendtoggle").click()
    page.wait_for_function(
        "document.getElementById('compare-chart').data.filter(t => t.fill === 'toself')"
        ".every(t => t.visible === 'legendonly')"
    )
    assert all(t["visible"] is True for t in chart_traces(page, "compare-chart") if not t["fill"])


@pytest.mark.parametrize(
    ("freq", "since", "until", "label"),
    [
        ("week", WEEK["since"], WEEK["until"], "2025-07-14"),
        ("month", "2025-01-01", "2025-12-31", "2025-07"),
    ],
)
def test_a_week_or_a_month_hovers_as_its_span(
    page: Any, site: str, freq: str, since: str, until: str, label: str
) -> None:
    open_chart(page, site, entity="northwind-air", freq=freq, since=since, until=until)
    traces = chart_traces(page)
    title = period_title(label, freq)
    for name, trace, axes in [
        ("Public", one_trace(traces, "voice", voice="public"), ("x", "y")),
        ("Ravine", one_trace(traces, "ravine"), ("x", "y3")),
    ]:
        value = trace["y"][trace["x"].index(label)]
        assert hover_label(page, axes, label, value)[0] == f"{name} {title}"


def test_an_empty_period_hovers_why_it_has_no_value(page: Any, site: str) -> None:
    open_chart(page, site, **SPARSE)
    traces = chart_traces(page)
    gaps = one_trace(traces, "gap", voice="corporate")
    public = one_trace(traces, "voice", voice="public")
    empty = [i for i, why in enumerate(gaps["text"]) if why is not None]
    assert empty
    # the break whose marker lies farthest from the public's point of the same week
    markers = chart_pixels(page, ("x", "y"), [(gaps["x"][i], gaps["y"][i]) for i in empty])
    others = chart_pixels(page, ("x", "y"), [(public["x"][i], public["y"][i]) for i in empty])
    far = max(range(len(empty)), key=lambda k: abs(markers[k][1] - others[k][1]))
    i = empty[far]
    label = gaps["x"][i]
    documents = one_trace(traces, "volume", voice="corporate")["y"][i]
    shown = hover_label(page, ("x", "y"), label, gaps["y"][i])
    assert shown[0] == f"Corporate {period_title(label, 'week')}"
    assert shown[1] == f"no value: fewer than 10 documents ({documents})"
    assert re.fullmatch(r"Public: -?\d\.\d{3}, n = \d+", shown[2])
