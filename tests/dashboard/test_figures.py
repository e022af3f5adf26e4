"""The figure builders: traces, shading, breaks at null periods, markers, rounding."""

from __future__ import annotations

import json
import math
from typing import Any

import plotly.graph_objects as go
import pytest

from dashboard import palette
from dashboard.figures import Statement, caption, ravine_figure
from ravine.analytics import metric_info

NAN = math.nan


def row(
    label: str, corporate: float | None, public: float | None, n: tuple[int, int]
) -> dict[str, Any]:
    c = NAN if corporate is None else corporate
    p = NAN if public is None else public
    why = {
        voice: None if value is not None else f"fewer than 5 documents ({count})"
        for voice, value, count in (("corporate", corporate, n[0]), ("public", public, n[1]))
    }
    reasons = "; ".join(f"{voice}: {reason}" for voice, reason in why.items() if reason)
    return {
        "label": label,
        "corporate_n": n[0], "corporate_documents": n[0], "public_documents": n[1],
        "corporate_value": c, "corporate_ci_low": c - 0.1,
        "corporate_ci_high": c + 0.1, "corporate_null_reason": why["corporate"],
        "public_n": n[1], "public_value": p, "public_ci_low": p - 0.2, "public_ci_high": p + 0.2,
        "public_null_reason": why["public"],
        "ravine": c - p, "ravine_ci_low": c - p - 0.3, "ravine_ci_high": c - p + 0.3,
        "ravine_null_reason": reasons or None, "effect_size": (c - p) / 0.25,
        "effect_size_null_reason": reasons or None,
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


def band_of(figure: dict[str, Any], of: str) -> dict[str, Any]:
    (band,) = [t for t in traces(figure, "band") if t["meta"]["of"] == of]
    return band


def test_shading_covers_each_side_where_it_is_rosier_and_breaks_at_nulls() -> None:
    company_rosier, public_rosier = traces(ravine_figure(ROWS), "shading")
    # one polygon over periods 1-2 (there, then back), closed by a None separator
    assert company_rosier["x"] == ["2025-01-01", "2025-01-02", "2025-01-02", "2025-01-01", None]
    assert company_rosier["y"] == [0.5, 0.6, 0.2, 0.1, None]
    assert company_rosier["fill"] == "toself"
    assert public_rosier["x"] == ["2025-01-04", "2025-01-05", "2025-01-05", "2025-01-04", None]
    assert company_rosier["fillcolor"] != public_rosier["fillcolor"]


def test_ci_bands_break_where_a_period_is_null() -> None:
    bands = [band_of(ravine_figure(ROWS), "corporate")]
    assert bands[0]["x"].count(None) == 2  # two runs: periods 1-2 and 4-5
    assert "2025-01-03" not in bands[0]["x"]


def test_volume_bars_and_the_ravine_panel() -> None:
    figure = ravine_figure(ROWS)
    bars = {t["meta"]["voice"]: t["y"] for t in traces(figure, "volume")}
    assert bars == {"corporate": [6, 7, 2, 5, 5], "public": [9, 8, 10, 12, 11]}
    (ravine,) = traces(figure, "ravine")
    assert ravine["yaxis"] == "y3" and ravine["y"][2] is None
    assert ravine["y"][0] == 0.4


def test_statements_are_one_diamond_per_period_at_its_label_with_their_count() -> None:
    marks = [
        Statement(period="2025-01-02", local="2025-01-02 13:00", title="Record growth"),
        *(Statement(period="2025-01-04", local=f"2025-01-04 0{h}:30", title=f"Update {h}")
          for h in (8, 9)),
        Statement(period="2025-01-04", local="2025-01-04 23:10", title="Late update"),
    ]  # fmt: skip
    figure = ravine_figure(ROWS, statements=marks)
    (diamonds,) = traces(figure, "statements")
    (line, _) = traces(figure, "voice")
    assert diamonds["x"] == ["2025-01-02", "2025-01-04"] and set(diamonds["x"]) <= set(line["x"])
    assert diamonds["customdata"] == [1, 3] and diamonds["text"] == ["", "3"]
    small, large = diamonds["marker"]["size"]
    assert small < large and diamonds["marker"]["symbol"] == "diamond"
    assert diamonds["hovertext"] == [
        "2025-01-02 13:00 Record growth",
        "2025-01-04 08:30 Update 8<br>2025-01-04 09:30 Update 9<br>2025-01-04 23:10 Late update",
    ]
    assert "Statements: %{customdata}</b><br>%{hovertext}<br>" in diamonds["hovertemplate"]
    assert not traces(ravine_figure(ROWS), "statements")


def test_a_diamond_hovers_the_first_titles_and_counts_the_rest() -> None:
    marks = [Statement(period="2025-01-03", local=f"2025-01-03 {h:02d}:00", title=f"Post {h}")
             for h in range(8)]  # fmt: skip
    (diamonds,) = traces(ravine_figure(ROWS, statements=marks), "statements")
    (hover,) = diamonds["hovertext"]
    assert [f"Post {h}" in hover for h in range(8)] == [True] * 3 + [False] * 5
    assert hover.endswith("<br>and 5 more") and diamonds["marker"]["size"] == [18]


def test_statement_titles_are_hovered_as_text_not_html() -> None:
    title = '<a href="https://example.com">Click</a> <b style="color:red">bold</b> & more'
    marks = [Statement(period="2025-01-02", local="2025-01-02 13:00", title=title)]
    (diamonds,) = traces(ravine_figure(ROWS, statements=marks), "statements")
    assert diamonds["hovertext"] == [
        '2025-01-02 13:00 &lt;a href="https://example.com"&gt;Click&lt;/a&gt; &lt;b '
        'style="color:red"&gt;bold&lt;/b&gt; &amp; more'
    ]
    template = diamonds["hovertemplate"]
    assert "%{hovertext}" in template and "%{text}" not in template


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
    band = band_of(figure, "corporate")
    assert band["x"] == [] and band["y"] == []


def test_figure_is_plain_json_with_rounded_numbers() -> None:
    text = json.dumps(ravine_figure(ROWS, metric="net"), allow_nan=False, ensure_ascii=False)
    assert "0.123456789" not in text and "0.1235" not in text and "0.123" in text
    assert "(n_pos − n_neg) / n" in text
    assert "z-score" in json.dumps(ravine_figure(ROWS, baseline=True))


def test_plotly_accepts_every_trace_and_layout_property() -> None:
    """Plotly.js ignores a misspelt property silently; the plotly package's schema does not."""
    statements = [Statement(period="2025-01-02", local="2025-01-02 09:00", title="Results")]
    for baseline in (False, True):
        figure = ravine_figure(ROWS, metric="compound", statements=statements, baseline=baseline)
        go.Figure(figure)  # raises ValueError naming any property Plotly does not know


# The analyst's view: words that follow each metric's direction, quiet clamped CI bands, a
# readable volume panel, and the reason of every empty period on hover.

METRICS = ("compound", "net", "negative_share")
HIGHER = {"compound": "rosier", "net": "rosier", "negative_share": "gloomier"}
SHARES = [  # negative shares: the company's falls to 0 while the public's stays high
    row("2025-01-06", 0.3, 0.1, (9, 9)),
    row("2025-01-13", 0.2, 0.4, (9, 9)),
    row("2025-01-20", 0.05, 0.5, (9, 9)),
    row("2025-01-27", 0.0, 0.95, (9, 9)),
]


def axis_title(figure: dict[str, Any], axis: str) -> str:
    title: str = figure["layout"][axis]["title"]["text"]
    return title


def figure_caption(metric: str, baseline: bool) -> str:
    return caption(entity="Acme", since="2025-01-01", until="2025-01-31", freq="week",
                   metric=metric, min_n=5, baseline=baseline)  # fmt: skip


@pytest.mark.parametrize("baseline", [False, True], ids=["raw", "baseline"])
@pytest.mark.parametrize("metric", METRICS)
def test_the_words_follow_the_metric_direction(metric: str, baseline: bool) -> None:
    higher = HIGHER[metric]
    lower = "gloomier" if higher == "rosier" else "rosier"
    figure = ravine_figure(ROWS, metric=metric, baseline=baseline)
    company, public = traces(figure, "shading")
    scope = " vs. baseline" if baseline else ""
    assert (company["name"], public["name"]) == (f"Company rosier{scope}", f"Public rosier{scope}")
    assert company["meta"]["rosier"] == "corporate" and public["meta"]["rosier"] == "public"
    assert f"higher = {higher}" in axis_title(figure, "yaxis")
    assert ("z-score" in axis_title(figure, "yaxis")) == baseline
    assert axis_title(figure, "yaxis3") == "ravine<br>+ company rosier"
    for line in traces(figure, "voice"):
        assert f"higher = {higher}" in line["hovertemplate"]
        assert lower not in line["hovertemplate"]
    (ravine,) = traces(figure, "ravine")
    z = "z " if baseline else ""
    first, second = ("corporate", "public") if higher == "rosier" else ("public", "corporate")
    assert f"{z}{first} − {z}{second} = %{{y:.3f}}" in ravine["hovertemplate"]
    assert "above 0: the company sounds rosier" in ravine["hovertemplate"]
    text = figure_caption(metric, baseline)
    assert text.startswith("Acme, 2025-01-01 to 2025-01-31, per week: ")
    assert text.count(";") == 2 and text.endswith("in a period is a gap.")  # one sentence
    label = metric_info(metric).label
    if baseline:
        assert f"{label} as a z-score" in text and f"a higher z being {higher} than usual" in text
        assert (
            "orange shading marks periods where the company sounds rosier against its own" in text
        )
    else:
        assert f"the {label} of corporate" in text and f"a higher value being {higher}" in text
        assert (
            "orange shading marks periods where the company sounds rosier than its public" in text
        )
        side = "higher" if higher == "rosier" else "lower"
        assert f"(its line is {side})" in text
    assert "blue where the public sounds rosier" in text or "blue the reverse" in text
    assert f"being {lower}" not in text and ("gloomier" in text) == (higher == "gloomier")
    assert "fewer than 5 documents in a period is a gap" in text


def test_a_caption_names_smoothing_weighting_and_a_min_n_of_one() -> None:
    text = caption(entity="Acme", since="2025-01-01", until="2025-03-31", freq="month",
                   metric="net", min_n=1, smooth=3, weighted=True)  # fmt: skip
    assert "per month, each pooled with the 2 before it" in text
    assert "engagement-weighted net sentiment" in text
    assert "a voice without documents in a period is a gap" in text


def test_a_trailing_corporate_window_is_named_on_the_chart_and_in_the_caption() -> None:
    rows = [{**r, "corporate_n": r["corporate_n"] + 9} for r in ROWS]
    figure = ravine_figure(rows, corporate_window=30)
    corporate = next(t for t in traces(figure, "voice") if t["meta"]["voice"] == "corporate")
    assert corporate["name"] == "Corporate (trailing 30 d)"
    assert "statements in the 30 days to the period's end" in corporate["hovertemplate"]
    # The bars count each period's own statements, not the window's.
    bars = next(t for t in traces(figure, "volume") if t["meta"]["voice"] == "corporate")
    assert bars["y"] == [r["corporate_documents"] for r in ROWS]
    text = caption(entity="Acme", since="2025-01-01", until="2025-03-31", freq="day",
                   metric="compound", min_n=5, corporate_window=30)  # fmt: skip
    assert "at each day, its statements of the trailing 30 days" in text
    plain = ravine_figure(ROWS)
    assert next(t for t in traces(plain, "voice"))["name"] == "Corporate"


def test_a_few_documents_are_counted_in_whole_ticks() -> None:
    few = [{**r, "corporate_documents": k % 3} for k, r in enumerate(ROWS)]
    layout = ravine_figure(few)["layout"]
    assert layout["yaxis5"]["dtick"] == 1 and layout["yaxis5"]["tickmode"] == "linear"
    assert layout["yaxis2"]["tickmode"] == "auto"  # the public's 8 to 12 posts: Plotly's ticks


def test_gloomier_metrics_shade_the_lower_line_as_the_company_rosier() -> None:
    # ROWS as negative shares: the company is the gloomier voice on days 1-2, the rosier on 4-5
    figure = ravine_figure(ROWS, metric="negative_share")
    company, public = traces(figure, "shading")
    assert company["x"] == ["2025-01-04", "2025-01-05", "2025-01-05", "2025-01-04", None]
    assert company["y"] == [0.2, 0.123, 0.5, 0.4, None]  # corporate out, public back
    assert public["x"] == ["2025-01-01", "2025-01-02", "2025-01-02", "2025-01-01", None]
    assert company["fillcolor"] == palette.COMPANY_ROSIER
    assert public["fillcolor"] == palette.PUBLIC_ROSIER
    # the ravine is how much rosier the company sounds: public − corporate
    (ravine,) = traces(figure, "ravine")
    assert ravine["y"] == [-0.4, -0.4, None, 0.2, 0.377]
    (ravine,) = traces(ravine_figure(ROWS, metric="compound"), "ravine")
    assert ravine["y"] == [0.4, 0.4, None, -0.2, -0.377]


def test_ci_bands_are_quiet_grey_beneath_the_shading_with_one_legend_entry() -> None:
    figure = ravine_figure(ROWS)
    bands = traces(figure, "band")
    assert [b["meta"]["of"] for b in bands] == ["corporate", "public", "ravine"]
    assert {b["name"] for b in bands} == {"95% CI"} and {b["legendgroup"] for b in bands} == {"ci"}
    assert [b.get("showlegend") for b in bands] == [True, False, False]
    assert {b["fillcolor"] for b in bands} == {palette.CI_BAND}
    assert all(b["line"]["width"] == 0 for b in bands)
    shading = {t["fillcolor"] for t in traces(figure, "shading")}
    assert palette.CI_BAND not in shading
    # drawn in this order: bands, then the shading over them, then the lines
    roles = [t["meta"]["role"] for t in figure["data"]]
    first = {role: roles.index(role) for role in ("band", "shading", "voice")}
    assert first["band"] < first["shading"] < first["voice"]


@pytest.mark.parametrize("metric", METRICS)
def test_bands_stay_within_the_metric_range(metric: str) -> None:
    info = metric_info(metric)
    rows = [row("2025-01-06", info.low + 0.05, info.high - 0.05, (9, 9)),
            row("2025-01-07", info.high, info.low, (9, 9))]  # fmt: skip
    for ravine_ci in (0.3, 5.0):
        for r in rows:
            r["ravine_ci_low"], r["ravine_ci_high"] = (
                r["ravine"] - ravine_ci,
                r["ravine"] + ravine_ci,
            )
        figure = ravine_figure(rows, metric=metric)
        bands = {b["meta"]["of"]: b for b in traces(figure, "band")}
        for voice in ("corporate", "public"):
            drawn = [y for y in bands[voice]["y"] if y is not None]
            assert min(drawn) == info.low and max(drawn) == info.high
            (line,) = [t for t in traces(figure, "voice") if t["meta"]["voice"] == voice]
            assert all(info.low <= v <= info.high for _, *ci in line["customdata"] for v in ci)
        width = info.high - info.low  # a difference of two means lies within ± the width
        drawn = [y for y in bands["ravine"]["y"] if y is not None]
        assert -width <= min(drawn) and max(drawn) <= width
        if ravine_ci == 5.0:
            assert (min(drawn), max(drawn)) == (-width, width)


def test_baseline_bands_are_not_clamped() -> None:
    rows = [row("2025-01-06", 2.5, -1.5, (9, 9))]
    bands = {b["meta"]["of"]: b for b in traces(ravine_figure(rows, baseline=True), "band")}
    assert max(y for y in bands["corporate"]["y"] if y is not None) == 2.6
    assert min(y for y in bands["public"]["y"] if y is not None) == -1.7


@pytest.mark.parametrize(
    ("labels", "freq", "days"),
    [
        (["2025-01-06", "2025-01-07", "2025-01-08"], "day", [1, 1, 1]),
        (["2025-01-06", "2025-01-13", "2025-01-20"], "week", [7, 7, 7]),
        (["2025-01", "2025-02", "2025-03"], "month", [31, 28, 31]),
    ],
)
def test_each_voice_has_its_own_count_axis_and_bars_fill_their_period(
    labels: list[str], freq: str, days: list[int]
) -> None:
    rows = [row(label, 0.1, 0.2, (54, 3822)) for label in labels]
    for given in (freq, None):  # the frequency is read from the labels when not given
        figure = ravine_figure(rows, freq=given)
        bars = {t["meta"]["voice"]: t for t in traces(figure, "volume")}
        assert bars["public"]["yaxis"] == "y2" and bars["corporate"]["yaxis"] == "y5"
        layout = figure["layout"]
        assert layout["yaxis5"]["overlaying"] == "y2" and layout["yaxis5"]["side"] == "right"
        assert "corporate" in layout["yaxis5"]["title"]["text"]
        assert "public" in layout["yaxis2"]["title"]["text"]
        assert layout["yaxis5"]["tickmode"] == "auto"  # its own ticks, not the public's
        (line,) = [t for t in traces(figure, "voice") if t["meta"]["voice"] == "public"]
        for bar in bars.values():
            assert bar["x"] == line["x"] == labels  # lines and bars start at the period start
        spans = []
        for i, length in enumerate(d * 86_400_000 for d in days):
            corporate, public = (
                [b[key] if isinstance(b[key], int) else b[key][i] for key in ("offset", "width")]
                for b in (bars["corporate"], bars["public"])
            )
            spans.append((corporate, public))
            # each bar inside its period, the corporate one first, not overlapping
            assert corporate[0] >= 0 and corporate[0] + corporate[1] <= public[0]
            assert public[0] + public[1] <= length
        assert isinstance(bars["public"]["width"], list) == (freq == "month")


def test_empty_periods_hover_their_reason() -> None:
    figure = ravine_figure(ROWS)
    gaps = {t["meta"].get("voice", t["meta"].get("of")): t for t in traces(figure, "gap")}
    assert set(gaps) == {"corporate", "ravine"}  # the public line has no break
    corporate = gaps["corporate"]
    assert corporate["x"] == [r["label"] for r in ROWS]
    assert corporate["y"] == [None, None, 0.4, None, None]  # in the break, between 0.6 and 0.2
    assert corporate["text"][2] == "fewer than 5 documents (2)<br>Public: 0.300, n = 10"
    assert [t is None for t in corporate["text"]] == [True, True, False, True, True]
    assert "no value: %{text}" in corporate["hovertemplate"]
    assert corporate["marker"]["opacity"] == 0 and corporate["showlegend"] is False
    ravine = gaps["ravine"]
    assert ravine["yaxis"] == "y3" and ravine["y"][2] == 0.1
    assert ravine["text"][2] == "corporate: fewer than 5 documents (2)"


def test_a_voice_without_any_value_hovers_beside_the_other() -> None:
    rows = [row("2025-01-01", None, 0.3, (2, 9)), row("2025-01-02", None, None, (0, 1))]
    rows[1]["public_null_reason"] = "fewer than 5 documents (1)"
    (corporate, public, _) = traces(ravine_figure(rows, metric="negative_share"), "gap")
    assert corporate["y"] == [0.3, 0.5]  # at the public value, else mid-range
    assert public["y"] == [None, 0.3]
    assert corporate["text"][1] == (
        "fewer than 5 documents (0)<br>Public: no value, fewer than 5 documents (1)"
    )


def test_gap_reasons_are_hovered_as_text() -> None:
    rows = [row("2025-01-01", None, 0.3, (2, 9))]
    rows[0]["corporate_null_reason"] = "<b>odd</b> & more"
    (gap, *_) = traces(ravine_figure(rows), "gap")
    assert gap["text"][0].startswith("&lt;b&gt;odd&lt;/b&gt; &amp; more<br>")


@pytest.mark.parametrize("metric", METRICS)
def test_plotly_accepts_every_metric_view_and_frequency(metric: str) -> None:
    months = [row(f"2025-{m:02d}", 0.1 * m, 0.05 * m, (m, 9)) for m in range(1, 5)]
    for rows, baseline in ((SHARES, False), (months, True), (months, False)):
        go.Figure(ravine_figure(rows, metric=metric, baseline=baseline))
