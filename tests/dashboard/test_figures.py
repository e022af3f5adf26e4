"""The figure builders: traces, shading, breaks at null periods, markers, rounding."""

from __future__ import annotations

import json
import math
from typing import Any

import plotly.graph_objects as go

from dashboard.figures import Statement, ravine_figure

NAN = math.nan


def row(
    label: str, corporate: float | None, public: float | None, n: tuple[int, int]
) -> dict[str, Any]:
    c = NAN if corporate is None else corporate
    p = NAN if public is None else public
    return {
        "label": label,
        "corporate_n": n[0], "corporate_value": c, "corporate_ci_low": c - 0.1,
        "corporate_ci_high": c + 0.1, "public_n": n[1], "public_value": p,
        "public_ci_low": p - 0.2, "public_ci_high": p + 0.2,
        "ravine": c - p, "ravine_ci_low": c - p - 0.3, "ravine_ci_high": c - p + 0.3,
    }  # fmt: skip


ROWS = [
    row("2025-01-01", 0.5, 0.1, (6, 9)),
    row("2025-01-02", 0.6, 0.2, (7, 8)),
    row("2025-01-03", None, 0.3, (2, 10)),  # corporate under min_n: a break, not a zero
    row("2025-01-04", 0.2, 0.4, (5, 12)),
    row("2025-01-05", 0.123456789, 0.5, (5, 11)),
]


def traces(figure: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [t for t in figure["data"] if t.get("meta", {}).get("role") == role]


def test_each_voice_has_one_point_per_period_with_nulls_for_gaps() -> None:
    figure = ravine_figure(ROWS)
    lines = {t["meta"]["voice"]: t for t in traces(figure, "voice")}
    assert set(lines) == {"corporate", "public"}
    assert lines["corporate"]["x"] == [r["label"] for r in ROWS]
    assert lines["corporate"]["y"] == [0.5, 0.6, None, 0.2, 0.123]
    assert lines["public"]["y"] == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert lines["corporate"]["customdata"][0] == [6, 0.4, 0.6]
    assert "n = %{customdata[0]}" in lines["corporate"]["hovertemplate"]
    assert "mean VADER compound" in lines["corporate"]["hovertemplate"]
    assert lines["corporate"]["line"]["dash"] != lines["public"]["line"]["dash"]


def test_shading_covers_each_side_where_it_is_higher_and_breaks_at_nulls() -> None:
    corporate_higher, public_higher = traces(ravine_figure(ROWS), "shading")
    # one polygon over periods 1-2 (there, then back), closed by a None separator
    assert corporate_higher["x"] == ["2025-01-01", "2025-01-02", "2025-01-02", "2025-01-01", None]
    assert corporate_higher["y"] == [0.5, 0.6, 0.2, 0.1, None]
    assert corporate_higher["fill"] == "toself"
    assert public_higher["x"] == ["2025-01-04", "2025-01-05", "2025-01-05", "2025-01-04", None]
    assert corporate_higher["fillcolor"] != public_higher["fillcolor"]


def test_ci_bands_break_where_a_period_is_null() -> None:
    bands = [t for t in traces(ravine_figure(ROWS), "band") if t["name"] == "Corporate 95% CI"]
    assert len(bands) == 1
    assert bands[0]["x"].count(None) == 2  # two runs: periods 1-2 and 4-5
    assert "2025-01-03" not in bands[0]["x"]


def test_volume_bars_and_the_ravine_panel() -> None:
    figure = ravine_figure(ROWS)
    bars = {t["meta"]["voice"]: t["y"] for t in traces(figure, "volume")}
    assert bars == {"corporate": [6, 7, 2, 5, 5], "public": [9, 8, 10, 12, 11]}
    (ravine,) = traces(figure, "ravine")
    assert ravine["yaxis"] == "y3" and ravine["y"][2] is None
    assert ravine["y"][0] == 0.4


def test_statements_are_markers_with_titles() -> None:
    marks = [Statement(id=7, published_at="2025-01-02T13:00:00+00:00", title="Record growth")]
    (markers,) = traces(ravine_figure(ROWS, statements=marks), "statements")
    assert markers["x"] == ["2025-01-02T13:00"] and markers["text"] == ["Record growth"]
    assert markers["customdata"] == [7] and markers["mode"] == "markers"
    assert not traces(ravine_figure(ROWS), "statements")


def test_statement_titles_are_hovered_as_text_not_html() -> None:
    title = '<a href="https://example.com">Click</a> <b style="color:red">bold</b> & more'
    marks = [Statement(id=7, published_at="2025-01-02T13:00:00+00:00", title=title)]
    (markers,) = traces(ravine_figure(ROWS, statements=marks), "statements")
    assert markers["text"] == [title]  # the page shows it with textContent
    assert markers["hovertext"] == [
        '&lt;a href="https://example.com"&gt;Click&lt;/a&gt; &lt;b style="color:red"&gt;bold'
        "&lt;/b&gt; &amp; more"
    ]
    assert "%{hovertext}" in markers["hovertemplate"] and "%{text}" not in markers["hovertemplate"]


def test_ci_bounds_are_the_rounded_value_plus_or_minus_the_rounded_half_width() -> None:
    # exact CI 0.1234 ± 0.0275: bounds rounded alone would be 0.096 and 0.151 (not symmetric)
    rows = [{**ROWS[0], "corporate_value": 0.1234, "corporate_ci_low": 0.0959,
             "corporate_ci_high": 0.1509}]  # fmt: skip
    (line,) = [t for t in traces(ravine_figure(rows), "voice") if t["meta"]["voice"] == "corporate"]
    _, low, high = line["customdata"][0]
    assert (line["y"][0], low, high) == (0.123, 0.095, 0.151)  # 0.123 ± 0.028
    assert abs(low - 0.0959) <= 0.001 and abs(high - 0.1509) <= 0.001


def test_a_value_without_a_ci_keeps_its_point_and_has_no_band() -> None:
    rows = [{**row, "corporate_ci_low": NAN, "corporate_ci_high": NAN} for row in ROWS[:2]]
    figure = ravine_figure(rows)
    (line,) = [t for t in traces(figure, "voice") if t["meta"]["voice"] == "corporate"]
    assert line["y"] == [0.5, 0.6] and [c[1:] for c in line["customdata"]] == [[None, None]] * 2
    band = next(t for t in traces(figure, "band") if t["name"] == "Corporate 95% CI")
    assert band["x"] == [] and band["y"] == []


def test_figure_is_plain_json_with_rounded_numbers() -> None:
    text = json.dumps(ravine_figure(ROWS, metric="net"), allow_nan=False, ensure_ascii=False)
    assert "0.123456789" not in text and "0.1235" not in text and "0.123" in text
    assert "(n_pos − n_neg) / n" in text
    assert "z-score" in json.dumps(ravine_figure(ROWS, baseline=True))


def test_plotly_accepts_every_trace_and_layout_property() -> None:
    """Plotly.js ignores a misspelt property silently; the plotly package's schema does not."""
    statements = [Statement(id=1, published_at="2025-01-02T09:00:00+00:00", title="Results")]
    for baseline in (False, True):
        figure = ravine_figure(ROWS, metric="compound", statements=statements, baseline=baseline)
        go.Figure(figure)  # raises ValueError naming any property Plotly does not know
