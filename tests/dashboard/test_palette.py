"""The chart's colours stay apart in greyscale and for a deuteranope, and the ravine's shading
outweighs the CI bands.

Translucent fills are judged as drawn: blended over the white page. Greyscale is the sRGB grey
of the colour's relative luminance (0–255); deuteranopia is simulated with the matrix of
Machado, Oliveira and Fernandes (2009) at severity 1, applied to linear RGB, and compared by
CIE76 ΔE in CIELAB (D65).
"""

from __future__ import annotations

import math
import re

import pytest

from dashboard import palette

RGB = tuple[float, float, float]

DEUTERANOPIA = (  # Machado et al. 2009, deuteranomaly at severity 1.0
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
MIN_GREY = 20  # on 0–255
MIN_DELTA_E = 20

VOICES = (palette.CORPORATE, palette.PUBLIC)
SHADINGS = (palette.COMPANY_ROSIER, palette.PUBLIC_ROSIER)


def drawn(colour: str) -> RGB:
    """``#rrggbb`` or ``rgba(r, g, b, a)`` as it looks over white."""
    if colour.startswith("#"):
        return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))
    match = re.fullmatch(r"rgba\((\d+), (\d+), (\d+), ([\d.]+)\)", colour)
    assert match, colour
    r, g, b, alpha = (float(v) for v in match.groups())
    red, green, blue = (255 * (1 - alpha) + c * alpha for c in (r, g, b))
    return (red, green, blue)


def linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def encoded(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return 255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)


def luminance(rgb: RGB) -> float:
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def grey(rgb: RGB) -> float:
    return encoded(luminance(rgb))


def deuteranope(rgb: RGB) -> RGB:
    lin = [linear(c) for c in rgb]
    red, green, blue = (encoded(sum(m * c for m, c in zip(row, lin, strict=True)))
                        for row in DEUTERANOPIA)  # fmt: skip
    return (red, green, blue)


def lab(rgb: RGB) -> RGB:
    r, g, b = (linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a: RGB, b: RGB) -> float:
    return math.dist(lab(a), lab(b))


def test_the_colour_arithmetic_is_right() -> None:
    assert grey((255, 255, 255)) == pytest.approx(255) and grey((0, 0, 0)) == 0
    assert grey((119, 119, 119)) == pytest.approx(119, abs=0.5)  # a grey stays itself
    assert drawn("rgba(0, 0, 0, 0.5)") == (127.5, 127.5, 127.5)
    assert lab((255, 255, 255)) == pytest.approx((100, 0, 0), abs=0.05)
    # a deuteranope still sees greys and blue; red and green fall together
    assert deuteranope((128, 128, 128)) == pytest.approx((128, 128, 128), abs=1)
    assert delta_e(deuteranope((213, 94, 0)), deuteranope((0, 158, 115))) < delta_e(
        (213, 94, 0), (0, 158, 115)
    )


@pytest.mark.parametrize("pair", [VOICES, SHADINGS], ids=["voices", "shadings"])
def test_pairs_differ_in_greyscale(pair: tuple[str, str]) -> None:
    first, second = (drawn(c) for c in pair)
    assert abs(grey(first) - grey(second)) >= MIN_GREY, pair


@pytest.mark.parametrize("pair", [VOICES, SHADINGS], ids=["voices", "shadings"])
def test_pairs_differ_for_a_deuteranope(pair: tuple[str, str]) -> None:
    first, second = (drawn(c) for c in pair)
    assert delta_e(deuteranope(first), deuteranope(second)) >= MIN_DELTA_E, pair
    assert abs(grey(deuteranope(first)) - grey(deuteranope(second))) >= MIN_GREY, pair


def test_the_shading_outweighs_the_quiet_grey_ci_bands() -> None:
    band = drawn(palette.CI_BAND)
    assert max(band) - min(band) < 1  # neutral: it shares no hue with the shading
    for shading in SHADINGS:
        # darker than a band, and far from it in colour and for a deuteranope
        assert grey(band) - grey(drawn(shading)) >= MIN_GREY / 2, shading
        assert delta_e(band, drawn(shading)) >= MIN_DELTA_E, shading
        assert delta_e(deuteranope(band), deuteranope(drawn(shading))) >= MIN_DELTA_E, shading


def test_voice_lines_stand_out_on_white_and_on_their_shading() -> None:
    for line in VOICES:
        contrast = 1.05 / (luminance(drawn(line)) + 0.05)
        assert contrast >= 3, line  # WCAG's 3:1 for graphics
        for shading in SHADINGS:
            assert grey(drawn(shading)) - grey(drawn(line)) >= MIN_GREY, (line, shading)
