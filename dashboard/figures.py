"""Plotly figure builders (pure functions): a ravine series in, a figure dict out.

The figure has three panels on one time axis: both voices with 95% CI bands and the ravine
shaded between them (colour says which side is higher), the volume per voice, and the ravine
itself with its CI. Periods under min_n are nulls, which Plotly draws as breaks, never zeros.
Numbers are rounded to 3 decimals and dates are short strings, so that packed
(:mod:`dashboard.packing`) three years of days take about 13 kB gzipped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard import palette

DIGITS = 3
VOICES = {
    "corporate": ("Corporate", palette.CORPORATE, palette.CORPORATE_BAND, "solid", "circle"),
    "public": ("Public", palette.PUBLIC, palette.PUBLIC_BAND, "dash", "square"),
}
FORMULAS = {
    "compound": "mean VADER compound (−1..1)",
    "net": "net sentiment = (n_pos − n_neg) / n",
    "negative_share": "negative share = n_neg / n",
}


@dataclass(frozen=True, slots=True)
class Statement:
    """A corporate statement to mark on the timeline."""

    id: int
    published_at: str  # ISO 8601, UTC
    title: str


def _round(values: Sequence[Any]) -> list[float | None]:
    """Rounded numbers, with None (a break in the line) for missing values and NaN."""
    return [None if v is None or math.isnan(v) else round(float(v), DIGITS) for v in values]


def _plus(
    values: Sequence[float | None], other: Sequence[float | None], sign: int = 1
) -> list[float | None]:
    """``values ± other``, rounded; None where either is."""
    pairs = zip(values, other, strict=True)
    return _round([None if v is None or o is None else v + sign * o for v, o in pairs])


def _interval(
    rows: Sequence[Mapping[str, Any]], value: list[float | None], prefix: str
) -> tuple[list[float | None], list[float | None]]:
    """A CI (symmetric about the value) as the rounded value ± its rounded half-width: within
    0.001 of each bound rounded alone, and still symmetric, so the page is sent the half-width
    rather than both bounds (dashboard.columns)."""
    low = _column(rows, f"{prefix}_ci_low")
    high = _column(rows, f"{prefix}_ci_high")
    half = _round([(h - lo) / 2 for lo, h in zip(low, high, strict=True)])
    return _plus(value, half, -1), _plus(value, half)


def _column(rows: Sequence[Mapping[str, Any]], key: str) -> list[Any]:
    return [row[key] for row in rows]


def _voice_traces(
    rows: Sequence[Mapping[str, Any]],
    x: list[str],
    voice: str,
    value: list[float | None],
    formula: str,
) -> list[dict[str, Any]]:
    name, colour, band, dash, symbol = VOICES[voice]
    low, high = _interval(rows, value, voice)
    n = _column(rows, f"{voice}_n")
    hover = (
        f"<b>{name}</b> %{{x}}<br>mean %{{y:.3f}}<br>95% CI %{{customdata[1]:.3f}} to "
        f"%{{customdata[2]:.3f}}<br>n = %{{customdata[0]}}<br>{formula}<extra></extra>"
    )
    return [
        _band(x, high, low, name=f"{name} 95% CI", colour=band, legendgroup=voice),
        {"type": "scatter", "x": x, "y": value, "mode": "lines+markers", "name": name,
         "legendgroup": voice, "line": {"color": colour, "width": 2, "dash": dash},
         "marker": {"symbol": symbol, "size": 5, "color": colour},
         "customdata": [[count, lo, hi] for count, lo, hi in zip(n, low, high, strict=True)],
         "hovertemplate": hover, "meta": {"role": "voice", "voice": voice}},
    ]  # fmt: skip


def _runs(keep: Sequence[bool]) -> list[list[int]]:
    """Runs of consecutive indices where ``keep`` holds."""
    runs: list[list[int]] = []
    for index, flag in enumerate(keep):
        if not flag:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _band(
    x: list[str],
    top: list[float | None],
    bottom: list[float | None],
    *,
    name: str,
    colour: str,
    keep: Sequence[bool] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A filled area between ``top`` and ``bottom``: one closed polygon per run of periods
    where both exist (and ``keep`` holds), so it breaks at null periods instead of bridging
    them."""
    present = [t is not None and b is not None for t, b in zip(top, bottom, strict=True)]
    wanted = present if keep is None else [p and k for p, k in zip(present, keep, strict=True)]
    xs: list[str | None] = []
    ys: list[float | None] = []
    for run in _runs(wanted):
        xs += [x[i] for i in run] + [x[i] for i in reversed(run)] + [None]
        ys += [top[i] for i in run] + [bottom[i] for i in reversed(run)] + [None]
    return {
        "type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"width": 0},
        "fill": "toself", "fillcolor": colour, "hoverinfo": "skip", "showlegend": False,
        "name": name, "meta": {"role": "band"}, **extra,
    }  # fmt: skip


def _shading(
    x: list[str], corporate: list[float | None], public: list[float | None]
) -> list[dict[str, Any]]:
    """The area between the two lines: orange where the company is rosier, blue where the
    public is."""
    higher = [
        c is not None and p is not None and c >= p for c, p in zip(corporate, public, strict=True)
    ]
    lower = [
        c is not None and p is not None and c < p for c, p in zip(corporate, public, strict=True)
    ]
    return [
        _band(x, corporate, public, name="Corporate higher", colour=palette.CORPORATE_HIGHER,
              keep=higher, showlegend=True, meta={"role": "shading"}),
        _band(x, public, corporate, name="Public higher", colour=palette.PUBLIC_HIGHER,
              keep=lower, showlegend=True, meta={"role": "shading"}),
    ]  # fmt: skip


def _volume(rows: Sequence[Mapping[str, Any]], x: list[str]) -> list[dict[str, Any]]:
    return [
        {"type": "bar", "x": x, "y": _column(rows, f"{voice}_n"), "name": f"{name} documents",
         "marker": {"color": colour}, "xaxis": "x", "yaxis": "y2", "showlegend": False,
         "hovertemplate": f"{name}: %{{y}} documents<extra></extra>",
         "meta": {"role": "volume", "voice": voice}}
        for voice, (name, colour, *_) in VOICES.items()
    ]  # fmt: skip


def _ravine_panel(
    rows: Sequence[Mapping[str, Any]], x: list[str], value: list[float | None]
) -> list[dict[str, Any]]:
    low, high = _interval(rows, value, "ravine")
    hover = (
        "<b>Ravine</b> %{x}<br>corporate − public %{y:.3f}<br>95% CI (Welch) "
        "%{customdata[0]:.3f} to %{customdata[1]:.3f}<extra></extra>"
    )
    return [
        _band(x, high, low, name="Ravine 95% CI", colour=palette.RAVINE_BAND, yaxis="y3"),
        {"type": "scatter", "x": x, "y": value, "mode": "lines+markers", "name": "Ravine",
         "xaxis": "x", "yaxis": "y3", "line": {"color": palette.RAVINE, "width": 2},
         "marker": {"size": 4}, "customdata": [[lo, hi] for lo, hi in zip(low, high, strict=True)],
         "hovertemplate": hover, "meta": {"role": "ravine"}},
    ]  # fmt: skip


def _statements(statements: Sequence[Statement]) -> list[dict[str, Any]]:
    if not statements:
        return []
    return [
        {"type": "scatter", "x": [s.published_at[:16] for s in statements],
         "y": [1.0] * len(statements), "yaxis": "y4", "mode": "markers", "name": "Statements",
         "marker": {"symbol": "diamond", "size": 9, "color": palette.STATEMENT},
         "text": [s.title for s in statements], "customdata": [s.id for s in statements],
         # Plotly draws HTML in hover labels: the title is shown as text, its tags escaped.
         "hovertext": [html.escape(s.title, quote=False) for s in statements],
         "hovertemplate": "<b>Statement</b> %{x}<br>%{hovertext}<extra></extra>",
         "meta": {"role": "statements"}}
    ]  # fmt: skip


def ravine_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    metric: str = "compound",
    statements: Sequence[Statement] = (),
    baseline: bool = False,
) -> dict[str, Any]:
    """The ravine chart for rows of a ravine series (``label``, ``corporate_*``, ``public_*``,
    ``ravine*``), with statement markers. ``baseline`` labels values as z-scores."""
    x = [str(row["label"]) for row in rows]
    formula = "z-score against the voice's trailing baseline" if baseline else FORMULAS[metric]
    corporate, public = (_round(_column(rows, f"{voice}_value")) for voice in VOICES)
    # The ravine drawn is the corporate less the public value drawn, so the hover's numbers
    # add up (and the page is sent no ravine column, see dashboard.columns).
    data = [
        *_shading(x, corporate, public),
        *_voice_traces(rows, x, "corporate", corporate, formula),
        *_voice_traces(rows, x, "public", public, formula),
        *_statements(statements),
        *_volume(rows, x),
        *_ravine_panel(rows, x, _plus(corporate, public, -1)),
    ]
    unit = "z-score" if baseline else FORMULAS[metric]
    layout = {
        "hovermode": "closest",
        "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
        "legend": {"orientation": "h", "y": 1.08},
        "xaxis": {"type": "date", "domain": [0, 1], "anchor": "y3"},
        "yaxis": {"domain": [0.46, 1], "title": {"text": unit}, "zeroline": True},
        "yaxis2": {"domain": [0.3, 0.42], "title": {"text": "documents"}, "anchor": "x"},
        "yaxis3": {"domain": [0, 0.26], "title": {"text": "ravine"}, "anchor": "x",
                   "zeroline": True, "zerolinewidth": 2},
        "yaxis4": {"overlaying": "y", "range": [0, 1.05], "visible": False, "fixedrange": True},
        "barmode": "group",
    }  # fmt: skip
    return {"data": data, "layout": layout}
