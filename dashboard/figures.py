"""Plotly figure builders (pure functions): a ravine series in, a figure dict out.

The figure has three panels on one time axis:

- both voices, and the ravine shaded between them: orange where the company sounds rosier than
  its public, blue where the public sounds rosier. Which side is rosier follows the metric's
  direction (:data:`ravine.analytics.options.METRIC_INFO`): for negative_share the lower line
  is the rosier one. The 95% CIs are quiet grey bands beneath, clamped to the metric's range,
  with one legend entry;
- the documents per voice, each on its own scale (public on the left axis, corporate on the
  right), as bars that fill their period from its start;
- the ravine itself, how much rosier the company sounds (:func:`ravine.analytics.options.rosier`),
  with its CI, hovering its effect size d (the ravine over the voices' pooled sd).

Lines, points and bands sit at each period's start, its label. Periods under min_n are nulls,
which Plotly draws as breaks, never zeros; an invisible marker in each break hovers its reason.
Numbers are rounded to 3 decimals and dates are short strings, so that packed
(:mod:`dashboard.packing`) three years of days take about 15 kB gzipped (2 kB of it the
ravine's effect sizes), and 4 kB more with a statements' diamond each day.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dashboard import palette
from dashboard.alert_marks import Alert, alert_marks
from dashboard.events import Event, event_marks, event_shapes
from dashboard.timeline import days_in, step_of
from ravine.analytics.options import MetricInfo, metric_info, rosier

DIGITS = 3
DAY_MS = 86_400_000
VOICES = {
    "corporate": ("Corporate", palette.CORPORATE, "solid", "circle"),
    "public": ("Public", palette.PUBLIC, "dash", "square"),
}
CI_NAME = "95% CI"
# Legend order: the voices, what the shading means, the CIs, then the rest.
RANKS = {"corporate": 1, "public": 2, "company": 3, "public_rosier": 4, "ci": 5, "statements": 6,
         "ravine": 7}  # fmt: skip
# Bars fill their period from its start: corporate in the first half, public in the second.
BARS = {"corporate": (0.06, 0.42), "public": (0.52, 0.42)}  # offset, width: shares of a period
GAP_MARKER = 12  # px: the invisible marker in a break, wide enough to find with the pointer
HOVER_TITLES = 3  # statements a diamond's hover names; the rest are counted


@dataclass(frozen=True, slots=True)
class Statement:
    """A corporate statement to mark on the timeline, in the chart's period labelled
    ``period``."""

    period: str
    local: str  # its time in the chart's zone: "2025-07-15 16:00", or "16:00" in a day
    title: str


@dataclass(frozen=True, slots=True)
class Words:
    """What the figure calls things, for a metric and a view: they follow its direction."""

    info: MetricInfo
    baseline: bool
    corporate_window: int = 0

    def voice(self, voice: str) -> str:
        """A voice's legend name, saying when the corporate line pools a trailing window."""
        name = VOICES[voice][0]
        if voice == "corporate" and self.corporate_window:
            return f"{name} (trailing {self.corporate_window} d)"
        return name

    def count(self, voice: str) -> str:
        """What a voice's n counts, in its hover."""
        if voice == "corporate" and self.corporate_window:
            return f"statements in the {self.corporate_window} days to the period's end"
        return "documents"

    @property
    def higher(self) -> str:
        """What a higher value means: "higher = rosier", "higher = gloomier than usual"."""
        return f"higher = {self.info.higher}" + (" than usual" if self.baseline else "")

    @property
    def definition(self) -> str:
        if self.baseline:
            return f"z-score of the {self.info.label} against the voice's trailing baseline"
        return self.info.definition

    @property
    def unit(self) -> str:
        """The title of the voices' axis."""
        name = f"z-score of {self.info.label}" if self.baseline else self.info.label
        return f"{name}<br>{self.higher}"

    @property
    def shading(self) -> tuple[str, str]:
        """The legend names of the two shadings: the company rosier, the public rosier."""
        scope = " vs. baseline" if self.baseline else ""
        return f"Company rosier{scope}", f"Public rosier{scope}"

    @property
    def difference(self) -> str:
        """The ravine as a difference of the voices: rosier first."""
        first, second = rosier(self.info.name, "corporate", "public")
        z = "z " if self.baseline else ""
        return f"{z}{first} − {z}{second}"


def words(metric: str = "compound", *, baseline: bool = False, corporate_window: int = 0) -> Words:
    """The figure's words for ``metric``, raw or as baseline z-scores, with the corporate
    voice per period or over a trailing window of days."""
    return Words(metric_info(metric), baseline, corporate_window)


# The figure's numbers are worked on as arrays (NaN where None) and handed over as lists.
Floats = NDArray[np.float64]
SCALE = 10**DIGITS
ROUNDED_BY_ARRAY = 1e9  # below this, a number times SCALE is off by far less than 10⁻⁶


def _floats(values: Sequence[Any]) -> Floats:
    return np.array(values, dtype=np.float64)


def _listed(numbers: Floats) -> list[float | None]:
    """The figure's list of numbers: None (a break in the line) for NaN."""
    found: list[float | None] = numbers.tolist()
    for i in np.flatnonzero(np.isnan(numbers)):
        found[i] = None
    return found


def _rounded(numbers: Floats) -> Floats:
    """Each number as ``round(number, DIGITS)`` gives it (the float nearest the nearest
    decimal): by array, but for numbers within a rounding error of a tie, or too large for
    the array's product to be that close, which :func:`round` rounds itself."""
    with np.errstate(invalid="ignore"):  # infinities
        scaled = numbers * SCALE
        nearest = np.rint(scaled)
        tie = np.abs(np.abs(scaled - nearest) - 0.5) < 1e-6
        unsure = ~(np.abs(scaled) < ROUNDED_BY_ARRAY) | tie
    rounded: Floats = nearest / SCALE
    for i in np.flatnonzero(unsure & ~np.isnan(numbers)):
        rounded[i] = round(float(numbers[i]), DIGITS)
    return rounded


def _round(values: Sequence[Any]) -> list[float | None]:
    """Rounded numbers, with None (a break in the line) for missing values and NaN."""
    return _listed(_rounded(_floats(values)))


def _plus(
    values: Sequence[float | None], other: Sequence[float | None], sign: int = 1
) -> list[float | None]:
    """``values ± other``, rounded; None where either is."""
    return _listed(_rounded(_floats(values) + sign * _floats(other)))


def _clamp(values: Floats, bounds: tuple[float, float] | None) -> Floats:
    """``min(max(value, low), high)`` for each value: the very number min and max would pick
    (a zero keeps its sign)."""
    if bounds is None:
        return values
    low, high = bounds
    raised = np.where(low > values, low, values)
    return np.where(high < raised, high, raised)


def _interval(
    rows: Sequence[Mapping[str, Any]],
    value: list[float | None],
    prefix: str,
    bounds: tuple[float, float] | None,
) -> tuple[list[float | None], list[float | None]]:
    """A CI (symmetric about the value) as the rounded value ± its rounded half-width: within
    0.001 of each bound rounded alone, and still symmetric, so the page is sent the half-width
    rather than both bounds (dashboard.columns). Clamped to ``bounds``, the values the CI's
    quantity can take: the clamped interval still holds the true mean whenever the whole one
    does."""
    low, high = (_floats(_column(rows, f"{prefix}_ci_{side}")) for side in ("low", "high"))
    half, centre = _rounded((high - low) / 2), _floats(value)
    return (
        _listed(_clamp(_rounded(centre - half), bounds)),
        _listed(_clamp(_rounded(centre + half), bounds)),
    )


def _column(rows: Sequence[Mapping[str, Any]], key: str) -> list[Any]:
    return [row[key] for row in rows]


def _reasons(rows: Sequence[Mapping[str, Any]], prefix: str) -> list[str]:
    key = f"{prefix}_null_reason"
    return [str(row.get(key) or "no value") for row in rows]


def _present(values: Sequence[float | None]) -> NDArray[np.bool_]:
    return np.array([v is not None for v in values], dtype=np.bool_)


def _runs(keep: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Runs ``[start, stop)`` of consecutive indices where ``keep`` holds."""
    edges = np.diff(keep.astype(np.int8), prepend=0, append=0)
    starts, stops = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    return list(zip(starts, stops, strict=True))


def _band(
    x: list[str],
    top: list[float | None],
    bottom: list[float | None],
    *,
    name: str,
    colour: str,
    keep: NDArray[np.bool_] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A filled area between ``top`` and ``bottom``: one closed polygon per run of periods
    where both exist (and ``keep`` holds), so it breaks at null periods instead of bridging
    them."""
    wanted = _present(top) & _present(bottom)
    if keep is not None:
        wanted &= keep
    xs: list[str | None] = []
    ys: list[float | None] = []
    for start, stop in _runs(wanted):
        xs += [*x[start:stop], *x[start:stop][::-1], None]
        ys += [*top[start:stop], *bottom[start:stop][::-1], None]
    return {
        "type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"width": 0},
        "fill": "toself", "fillcolor": colour, "hoverinfo": "skip", "showlegend": False,
        "name": name, "meta": {"role": "band"}, **extra,
    }  # fmt: skip


def _ci_band(
    x: list[str], low: list[float | None], high: list[float | None], of: str, **extra: Any
) -> dict[str, Any]:
    """A 95% CI band: grey, under the shading; every band toggles with one legend entry."""
    band = _band(x, high, low, name=CI_NAME, colour=palette.CI_BAND, legendgroup="ci", **extra)
    return {**band, "meta": {"role": "band", "of": of}, "legendrank": RANKS["ci"]}


def _voice_line(
    x: list[str],
    voice: str,
    value: list[float | None],
    interval: tuple[list[float | None], list[float | None]],
    n: list[Any],
    said: Words,
) -> dict[str, Any]:
    _, colour, dash, symbol = VOICES[voice]
    name = said.voice(voice)
    low, high = interval
    stat = "z" if said.baseline else "mean"
    hover = (
        f"<b>{name}</b> %{{x}}<br>{stat} %{{y:.3f}} ({said.higher})<br>95% CI "
        f"%{{customdata[1]:.3f}} to %{{customdata[2]:.3f}}<br>n = %{{customdata[0]}} "
        f"{said.count(voice)}<br>{said.definition}<extra></extra>"
    )
    return {
        "type": "scatter", "x": x, "y": value, "mode": "lines+markers", "name": name,
        "legendgroup": voice, "legendrank": RANKS[voice],
        "line": {"color": colour, "width": 2, "dash": dash},
        "marker": {"symbol": symbol, "size": 5, "color": colour},
        "customdata": [[count, lo, hi] for count, lo, hi in zip(n, low, high, strict=True)],
        "hovertemplate": hover, "meta": {"role": "voice", "voice": voice},
    }  # fmt: skip


def _shading(
    x: list[str], corporate: list[float | None], public: list[float | None], said: Words
) -> list[dict[str, Any]]:
    """The area between the two lines: orange where the company sounds rosier (the higher
    line when higher is rosier, the lower one when higher is gloomier), blue where the public
    does."""
    rosier = said.info.sign * (_floats(corporate) - _floats(public))  # NaN where either is None
    company, crowd = rosier >= 0, rosier < 0
    company_name, public_name = said.shading
    return [
        _band(x, corporate, public, name=company_name, colour=palette.COMPANY_ROSIER,
              keep=company, showlegend=True, legendrank=RANKS["company"],
              meta={"role": "shading", "rosier": "corporate"}),
        _band(x, public, corporate, name=public_name, colour=palette.PUBLIC_ROSIER,
              keep=crowd, showlegend=True, legendrank=RANKS["public_rosier"],
              meta={"role": "shading", "rosier": "public"}),
    ]  # fmt: skip


def _filled(line: Floats, breaks: NDArray[np.intp]) -> Floats:
    """Where each of a line's ``breaks`` lies on it: between the nearest values either side
    (linearly), or beside the nearest one (a line with a value)."""
    count = len(line)
    index = np.arange(count)
    known = ~np.isnan(line)
    before = np.maximum.accumulate(np.where(known, index, -1))[breaks]
    after = np.minimum.accumulate(np.where(known, index, count)[::-1])[::-1][breaks]
    a, b = line[np.maximum(before, 0)], line[np.minimum(after, count - 1)]
    between = a + (b - a) * (breaks - before) / (after - before)
    return np.where(before < 0, b, np.where(after == count, a, between))


def _gaps(
    x: list[str],
    values: list[float | None],
    reasons: list[str],
    *,
    name: str,
    colour: str,
    meta: dict[str, str],
    fallback: Sequence[float | None],
    beside: Sequence[str] = (),
    **extra: Any,
) -> list[dict[str, Any]]:
    """An invisible marker in each break of a line, at the height the line would pass (else
    at ``fallback``), that hovers (and clicks) as its period: why it has no value, then
    ``beside`` (what the other voice had). No trace without breaks."""
    line = _floats(values)
    breaks = np.flatnonzero(np.isnan(line))
    if not len(breaks):
        return []
    at = np.full(len(line), np.nan)
    at[breaks] = _filled(line, breaks) if len(breaks) < len(line) else _floats(fallback)[breaks]
    text: list[str | None] = [None] * len(values)
    for i in breaks.tolist():
        text[i] = html.escape(reasons[i], quote=False) + (f"<br>{beside[i]}" if beside else "")
    return [
        {"type": "scatter", "x": x, "y": _listed(_rounded(at)), "mode": "markers",
         "name": f"{name}: no value",
         "marker": {"size": GAP_MARKER, "color": colour, "opacity": 0}, "text": text,
         "hovertemplate": f"<b>{name}</b> %{{x}}<br>no value: %{{text}}<extra></extra>",
         "hoverlabel": {"bgcolor": palette.GAP_LABEL, "bordercolor": colour,
                        "font": {"color": palette.INK}},
         "showlegend": False, "meta": {"role": "gap", **meta}, **extra}
    ]  # fmt: skip


def _said(name: str, values: list[float | None], n: list[Any], reasons: list[str]) -> list[str]:
    """What a voice had in each period, to show beside the other voice's break."""
    return [
        f"{name}: no value, {html.escape(why, quote=False)}"
        if v is None
        else f"{name}: {v:.3f}, n = {k}"
        for v, k, why in zip(values, n, reasons, strict=True)
    ]


def _share(part: float, lengths: list[int]) -> int | list[int]:
    """``part`` of each period's length in ms: one number when the periods are all as long."""
    sizes = np.rint(part * _floats(lengths)).astype(np.int64)  # round()'s halves to even
    return int(sizes[0]) if (sizes == sizes[0]).all() else list(sizes.tolist())


def _volume(rows: Sequence[Mapping[str, Any]], x: list[str], step: str) -> list[dict[str, Any]]:
    """Documents per voice, public on the left axis and corporate on the right, so each has a
    readable scale; each bar fills its share of its period from the period's start."""
    lengths = [days_in(label, step) * DAY_MS for label in x] or [DAY_MS]
    return [
        {"type": "bar", "x": x, "y": _column(rows, f"{voice}_documents"),
         "name": f"{name} documents",
         "offset": _share(BARS[voice][0], lengths), "width": _share(BARS[voice][1], lengths),
         "marker": {"color": colour}, "xaxis": "x",
         "yaxis": "y5" if voice == "corporate" else "y2", "showlegend": False,
         "hovertemplate": f"<b>{name}</b> %{{x}}<br>%{{y}} documents<extra></extra>",
         "meta": {"role": "volume", "voice": voice}}
        for voice, (name, colour, *_) in VOICES.items()
    ]  # fmt: skip


def _ravine_panel(
    rows: Sequence[Mapping[str, Any]],
    x: list[str],
    value: list[float | None],
    said: Words,
    bounds: tuple[float, float] | None,
) -> list[dict[str, Any]]:
    low, high = _interval(rows, value, "ravine", bounds)
    ci = (
        "no CI: each z divides by an estimated sd"
        if said.baseline
        else "95% CI (Welch) %{customdata[0]:.3f} to %{customdata[1]:.3f}<br>effect size d = "
        "%{text} (ravine / pooled sd)"
    )
    hover = (
        f"<b>Ravine</b> %{{x}}<br>{said.difference} = %{{y:.3f}}<br>above 0: the company "
        f"sounds rosier<br>{ci}<extra></extra>"
    )
    effect = {} if said.baseline else {"text": _effect_sizes(rows, value)}
    return [
        _ci_band(x, low, high, "ravine", yaxis="y3"),
        {"type": "scatter", "x": x, "y": value, "mode": "lines+markers", "name": "Ravine",
         "legendrank": RANKS["ravine"], "xaxis": "x", "yaxis": "y3",
         "line": {"color": palette.RAVINE, "width": 2}, "marker": {"size": 4},
         "customdata": [[lo, hi] for lo, hi in zip(low, high, strict=True)], **effect,
         "hovertemplate": hover, "meta": {"role": "ravine"}},
        *_gaps(x, value, _reasons(rows, "ravine"), name="Ravine", colour=palette.RAVINE,
               meta={"of": "ravine"}, fallback=[0.0] * len(x), xaxis="x", yaxis="y3"),
    ]  # fmt: skip


def _effect_sizes(rows: Sequence[Mapping[str, Any]], ravine: list[float | None]) -> list[str]:
    """Each drawn ravine's effect size as its hover says it, "0.42", or why it has none
    ("none (…)"); nothing where no ravine is drawn (its break hovers the reason)."""
    return [
        "" if drawn is None
        else f"{row['effect_size']:.2f}" if math.isfinite(row["effect_size"])
        else f"none ({html.escape(str(row['effect_size_null_reason']), quote=False)})"
        for row, drawn in zip(rows, ravine, strict=True)
    ]  # fmt: skip


def _listing(group: Sequence[Statement]) -> str:
    """The statements a diamond hovers: the first few with their local times, then how many
    more."""
    # Plotly draws HTML in hover labels: titles are shown as text, their tags escaped.
    lines = [f"{s.local} {html.escape(s.title, quote=False)}" for s in group[:HOVER_TITLES]]
    more = len(group) - HOVER_TITLES
    return "<br>".join([*lines, *([f"and {more} more"] if more > 0 else [])])


def _statements(statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """One diamond per period with statements, at its label like every other trace, so it
    sits in its local period: as many statements a day would otherwise overlap into a blur.
    It grows with their number (shown beneath it from two on) and hovers their titles."""
    groups: dict[str, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.period, []).append(statement)
    if not groups:
        return []
    counts = [len(group) for group in groups.values()]
    return [
        {"type": "scatter", "x": list(groups), "y": [1.0] * len(groups), "yaxis": "y4",
         "mode": "markers+text", "name": "Statements", "legendrank": RANKS["statements"],
         "marker": {"symbol": "diamond", "color": palette.STATEMENT,
                    "size": [min(9 + round(3 * math.log2(c)), 18) for c in counts]},
         "text": [str(c) if c > 1 else "" for c in counts], "textposition": "bottom center",
         "textfont": {"size": 10, "color": palette.INK}, "customdata": counts,
         "hovertext": [_listing(group) for group in groups.values()],
         "hovertemplate": "<b>Statements: %{customdata}</b><br>%{hovertext}<br>"
                          "<i>click for the public's reaction</i><extra></extra>",
         "meta": {"role": "statements"}}
    ]  # fmt: skip


def ravine_figure(
    rows: Sequence[Mapping[str, Any]],
    *,
    metric: str = "compound",
    statements: Sequence[Statement] = (),
    events: Sequence[Event] = (),
    alerts: Sequence[Alert] = (),
    baseline: bool = False,
    freq: str | None = None,
    corporate_window: int = 0,
) -> dict[str, Any]:
    """The ravine chart for rows of a ravine series (``label``, ``corporate_*``, ``public_*``,
    ``ravine*``, and each voice's period ``*_documents``), with statement markers, annotated
    events (:mod:`dashboard.events`) and alert events (:mod:`dashboard.alert_marks`).
    ``baseline`` labels values as z-scores, ``corporate_window`` names the corporate line's
    trailing days; ``freq`` (day, week or month) is read from the labels when not given."""
    x = [str(row["label"]) for row in rows]
    said = words(metric, baseline=baseline, corporate_window=corporate_window)
    info = said.info
    # z-scores have no bounds; a mean lies in the metric's range, a difference of two within
    # ± its width.
    bounds = None if baseline else (info.low, info.high)
    spread = None if bounds is None else (info.low - info.high, info.high - info.low)
    corporate, public = (_round(_column(rows, f"{voice}_value")) for voice in VOICES)
    values = {"corporate": corporate, "public": public}
    intervals = {voice: _interval(rows, values[voice], voice, bounds) for voice in VOICES}
    middle = (info.low + info.high) / 2 if bounds else 0.0
    lines, gaps = [], []
    counts = {voice: _column(rows, f"{voice}_n") for voice in VOICES}
    for voice, (name, colour, *_) in VOICES.items():
        lines.append(_voice_line(x, voice, values[voice], intervals[voice], counts[voice], said))
        other = "public" if voice == "corporate" else "corporate"
        fallback = [middle if v is None else v for v in values[other]]
        beside = _said(VOICES[other][0], values[other], counts[other], _reasons(rows, other))
        gaps += _gaps(x, values[voice], _reasons(rows, voice), name=name, colour=colour,
                      meta={"voice": voice}, fallback=fallback, beside=beside)  # fmt: skip
    low, high = intervals["corporate"]
    bands = [_ci_band(x, low, high, "corporate", showlegend=bool(x))]
    low, high = intervals["public"]
    bands.append(_ci_band(x, low, high, "public"))
    # The ravine drawn is the rosier-first difference of the values drawn, so the hover's
    # numbers add up (and the page is sent no ravine column, see dashboard.columns).
    first, second = rosier(metric, corporate, public)
    ravine = _plus(first, second, -1)
    data = [
        *bands,
        *_shading(x, corporate, public, said),
        *lines,
        *gaps,
        *_statements(statements),
        *event_marks(events),
        *_volume(rows, x, freq or step_of(x)),
        *_ravine_panel(rows, x, ravine, said, spread),
        *alert_marks(alerts, x, ravine),  # last: drawn over the ravine's line
    ]
    layout: dict[str, Any] = {
        "hovermode": "closest",
        "margin": {"l": 70, "r": 60, "t": 30, "b": 40},
        "legend": {"orientation": "h", "y": 1.08},
        "xaxis": {"type": "date", "domain": [0, 1], "anchor": "y3"},
        "yaxis": {"domain": [0.5, 1], "title": {"text": said.unit}, "zeroline": True},
        "yaxis2": _count_axis("public", rows, domain=[0.31, 0.45]),
        "yaxis5": _count_axis("corporate", rows, overlaying="y2", side="right", showgrid=False),
        "yaxis3": {"domain": [0, 0.26], "title": {"text": "ravine<br>+ company rosier"},
                   "anchor": "x", "zeroline": True, "zerolinewidth": 2},
        "yaxis4": {"overlaying": "y", "range": [0, 1.05], "visible": False, "fixedrange": True},
        "barmode": "overlay",
    }  # fmt: skip
    if events:
        layout["shapes"] = event_shapes(events)
    return {"data": data, "layout": layout}


def _count_axis(voice: str, rows: Sequence[Mapping[str, Any]], **extra: Any) -> dict[str, Any]:
    """A voice's own document-count axis, in its colour, ticked in whole documents."""
    colour = VOICES[voice][1]
    if max(_column(rows, f"{voice}_documents"), default=0) <= 4:
        # else Plotly ticks a few documents in halves ("500m")
        extra = {"tickmode": "linear", "tick0": 0, "dtick": 1, **extra}
    return {
        "title": {"text": f"{voice} n", "font": {"color": colour}},
        "tickfont": {"color": colour}, "anchor": "x", "rangemode": "tozero", "tickmode": "auto",
        "nticks": 4, "tickformat": "~s",
        **extra,
    }  # fmt: skip


def caption(
    *,
    entity: str,
    since: str,
    until: str,
    freq: str,
    metric: str,
    min_n: int,
    baseline: bool = False,
    baseline_days: int = 90,
    smooth: int = 1,
    weighted: bool = False,
    corporate_window: int = 0,
) -> str:
    """One sentence saying what the figure shows, in the words of the metric's direction."""
    said = words(metric, baseline=baseline)
    label = f"{'engagement-weighted ' if weighted else ''}{said.info.label}"
    pooled = (
        f"; at each {freq}, its statements of the trailing {corporate_window} days"
        if corporate_window
        else ""
    )
    every = f"per {freq}" + (f", each pooled with the {smooth - 1} before it" if smooth > 1 else "")
    rosier, gloomier = ("higher", "lower") if said.info.sign > 0 else ("lower", "higher")
    higher = said.info.higher
    if baseline:
        shown = (
            f"each voice's {label} as a z-score against its own trailing {baseline_days} days, "
            f"a higher z being {higher} than usual; orange shading marks periods where the "
            "company sounds rosier against its own baseline than the public does against its "
            "own, blue the reverse"
        )
    else:
        shown = (
            f"the {label} of corporate statements (orange{pooled}) and public posts (blue), "
            f"a higher "
            f"value being {higher}; orange shading marks periods where the company sounds "
            f"rosier than its public (its line is {rosier}), blue where the public sounds "
            f"rosier (the company's line is {gloomier})"
        )
    gap = "without documents" if min_n == 1 else f"with fewer than {min_n} documents"
    return (
        f"{entity}, {since} to {until}, {every}: {shown}; grey bands are 95% confidence "
        f"intervals, and a voice {gap} in a period is a gap."
    )
