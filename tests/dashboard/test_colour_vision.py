"""The chart as drawn stays readable without full colour vision: in greyscale and for a
deuteranope, the orange "company rosier" shading, the blue "public rosier" shading and a grey
95% CI band still look different on the page (test_palette.py checks the colours on paper).

The entity view is screenshotted as drawn, through CSS ``grayscale(1)``, and through an SVG
feColorMatrix holding the deuteranopia matrix of Machado et al. (2009) at severity 1, applied
to linear RGB. Each area's colour is the median of a 5 × 5 patch of the screenshot at a point
found from the figure's data with Plotly's own axis conversion: midway between two periods of
one run of the shading (so clear of the markers), halfway between the lines, or in a stretch
covered by one CI band alone. Every two areas must differ by MIN_GREY grey levels in
greyscale and by MIN_DELTA_E (CIE76) for a deuteranope, the thresholds of test_palette.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import numpy
import pytest
from PIL import Image

from ravine.analytics.options import METRIC_INFO
from tests.dashboard.browser import chart_pixels, chart_traces, one_trace, open_chart
from tests.dashboard.test_palette import (
    DEUTERANOPIA,
    MIN_DELTA_E,
    MIN_GREY,
    RGB,
    delta_e,
    deuteranope,
    grey,
)

# Northwind Air from late August: the public sounds rosier for weeks on end, the company first.
VIEW = {"entity": "northwind-air", "freq": "week", "since": "2025-08-25", "until": "2025-12-31",
        "metric": "compound"}  # fmt: skip
AREAS = ("company rosier", "public rosier", "CI band")
MIN_SHADING_PX, MIN_BAND_PX = 16, 10  # the least height of an area to sample
TALL_CHART_PX = 1100
Sampled = tuple[Any, dict[str, tuple[int, int]], dict[str, RGB]]  # page, points, colours
SIMULATIONS = {
    "greyscale": "grayscale(1)",
    "deuteranopia": "url(#deuteranopia)",
}


def simulate(page: Any, name: str) -> None:
    """Draws the chart through a simulation's CSS filter (the deuteranopia one an inline SVG
    filter holding the Machado matrix)."""
    rows = [(*row, 0, 0) for row in DEUTERANOPIA] + [(0, 0, 0, 1, 0)]  # alpha kept
    matrix = " ".join(str(v) for row in rows for v in row)
    page.evaluate(
        """([matrix, filter]) => {
            const ns = 'http://www.w3.org/2000/svg';
            if (!document.getElementById('deuteranopia')) {
                const svg = document.createElementNS(ns, 'svg');
                svg.setAttribute('width', '0');
                svg.setAttribute('height', '0');
                svg.setAttribute('aria-hidden', 'true');
                svg.style.position = 'absolute';
                const node = document.createElementNS(ns, 'filter');
                node.id = 'deuteranopia';
                node.setAttribute('color-interpolation-filters', 'linearRGB');
                const colours = document.createElementNS(ns, 'feColorMatrix');
                colours.setAttribute('type', 'matrix');
                colours.setAttribute('values', matrix);
                node.append(colours);
                svg.append(node);
                document.body.append(svg);
            }
            document.getElementById('chart').style.filter = filter;
        }""",
        [matrix, SIMULATIONS[name]],
    )


def sample_points(page: Any) -> dict[str, tuple[int, int]]:
    """A pixel inside each area, the roomiest of its kind, from the drawn traces' data."""
    traces = chart_traces(page)
    corporate = one_trace(traces, "voice", voice="corporate")
    public = one_trace(traces, "voice", voice="public")
    labels = corporate["x"]
    sign = 1 if METRIC_INFO[VIEW["metric"]].direction == "higher_is_rosier" else -1

    def pixels(values: Sequence[float]) -> list[float]:
        return [y for _, y in chart_pixels(page, ("x", "y"), [(labels[0], v) for v in values])]

    xs = [x for x, _ in chart_pixels(page, ("x", "y"), [(label, 0.0) for label in labels])]
    best: dict[str, tuple[float, tuple[int, int]]] = {}

    def offer(area: str, room: float, x: float, y: float) -> None:
        if room > best.get(area, (0.0, (0, 0)))[0]:
            best[area] = (room, (round(x), round(y)))

    for i in range(len(labels) - 1):
        pair = (i, i + 1)
        values = [(corporate["y"][k], public["y"][k], *corporate["customdata"][k][1:],
                   *public["customdata"][k][1:]) for k in pair]  # fmt: skip
        if any(v is None for row in values for v in row):
            continue
        # midway between the two periods, every edge is the mean of its two ends in pixels
        c, p, c_low, c_high, p_low, p_high = (
            sum(e) / 2 for e in zip(*map(pixels, values), strict=True)
        )
        sides = {sign * (row[0] - row[1]) >= 0 for row in values}
        x = (xs[i] + xs[i + 1]) / 2
        if len(sides) == 1:  # one run of one shading
            offer("company rosier" if sides == {True} else "public rosier", abs(c - p), x,
                  (c + p) / 2)  # fmt: skip
        # between two neighbouring edges lies one stretch: keep those under one band alone
        spans = [sorted(ends) for ends in ((c_low, c_high), (p_low, p_high))]
        if len(sides) == 1:
            spans.append(sorted((c, p)))
        edges = sorted({c, p, c_low, c_high, p_low, p_high})
        for top, bottom in pairwise(edges):
            middle = (top + bottom) / 2
            under = [low <= middle <= high for low, high in spans]
            if sum(under[:2]) == 1 and not any(under[2:]):
                offer("CI band", bottom - top, x, middle)
    assert best.keys() == set(AREAS), best
    for area, (room, _) in best.items():
        assert room >= (MIN_BAND_PX if area == "CI band" else MIN_SHADING_PX), (area, room)
    return {area: point for area, (_, point) in best.items()}


def colour_at(image: Image.Image, point: tuple[int, int]) -> RGB:
    """The median colour of the 5 × 5 patch around ``point``: a gridline crossing it is
    outvoted."""
    x, y = point
    patch = numpy.asarray(image)[y - 2 : y + 3, x - 2 : x + 3].reshape(-1, 3)
    red, green, blue = (float(v) for v in numpy.median(patch, axis=0))
    return (red, green, blue)


def screenshot(page: Any, path: Path) -> Image.Image:
    page.locator("#chart").screenshot(path=str(path))
    return Image.open(path).convert("RGB")


@pytest.fixture
def view(page: Any, site: str, screens: Path) -> Sampled:
    """The entity view, where each area is sampled, and its colours as drawn."""
    open_chart(page, site, **VIEW)
    # Drawn taller than on a laptop, so that each area is tall enough to sample well inside.
    page.evaluate(
        """async (height) => {
            const chart = document.getElementById('chart');
            chart.style.height = `${height}px`;
            await Plotly.Plots.resize(chart);
        }""",
        TALL_CHART_PX,
    )
    points = sample_points(page)
    image = screenshot(page, screens / "colour-vision-as-drawn.png")
    return page, points, {area: colour_at(image, point) for area, point in points.items()}


def test_the_samples_fall_in_the_areas_they_name(view: Sampled) -> None:
    _, _, colours = view
    orange, blue, band = (colours[area] for area in AREAS)
    assert orange[0] > orange[2] + 60 and blue[2] > blue[0] + 60
    assert max(band) - min(band) <= 6 and 200 < band[0] < 250  # a light, neutral grey


def test_in_greyscale_the_shadings_and_the_ci_band_differ(view: Sampled, screens: Path) -> None:
    page, points, _ = view
    simulate(page, "greyscale")
    image = screenshot(page, screens / "colour-vision-greyscale.png")
    colours = {area: colour_at(image, point) for area, point in points.items()}
    assert all(max(c) - min(c) <= 2 for c in colours.values()), colours  # the filter applied
    for first, second in combinations(AREAS, 2):
        apart = abs(grey(colours[first]) - grey(colours[second]))
        assert apart >= MIN_GREY, (first, second, colours)


def test_for_a_deuteranope_the_shadings_and_the_ci_band_differ(
    view: Sampled, screens: Path
) -> None:
    page, points, seen = view
    simulate(page, "deuteranopia")
    image = screenshot(page, screens / "colour-vision-deuteranopia.png")
    colours = {area: colour_at(image, point) for area, point in points.items()}
    for area, colour in colours.items():  # the page's filter is the palette test's simulation
        assert colour == pytest.approx(deuteranope(seen[area]), abs=4), area
    for first, second in combinations(AREAS, 2):
        assert delta_e(colours[first], colours[second]) >= MIN_DELTA_E, (first, second, colours)
