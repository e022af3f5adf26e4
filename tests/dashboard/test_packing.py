"""Packing sends each column once, rebuilds every array from ops, and unpacks to exactly the
figure it was given."""

from __future__ import annotations

import gzip
import json
import math
import random
from datetime import date, timedelta
from typing import Any

from dashboard.columns import resolve
from dashboard.figures import Statement, ravine_figure
from dashboard.packing import pack, unpack
from tests.dashboard.test_figures import ROWS, row


def wire(value: Any) -> bytes:
    """The JSON the server sends (as Starlette's JSONResponse renders it)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def ops(packed: dict[str, Any], name: str) -> dict[str, Any]:
    """The arrays of the packed trace called ``name``."""
    trace = next(t for t in packed["data"] if t["name"] == name)
    return {key: trace[key] for key in ("x", "y", "customdata") if key in trace}


def three_years_of_days(seed: int = 7) -> dict[str, Any]:
    """A figure like the benchmark's: 3 years of days, ~45 corporate and ~870 public documents
    a day, a few days under min_n, and a titled release every three days."""
    rng = random.Random(seed)
    rows = []
    for i in range(3 * 365):
        label = (date(2023, 1, 1) + timedelta(days=i)).isoformat()
        n = (rng.randint(40, 50), rng.randint(840, 900))
        corporate = None if i % 97 == 0 else rng.gauss(0.6, 0.4 / math.sqrt(n[0]))
        public = rng.gauss(0.1, 0.4 / math.sqrt(n[1]))
        built = row(label, corporate, public, n)
        for voice, value, count in (("corporate", corporate, n[0]), ("public", public, n[1])):
            half = 1.97 * 0.4 / math.sqrt(count)
            built[f"{voice}_ci_low"] = (value or math.nan) - half
            built[f"{voice}_ci_high"] = (value or math.nan) + half
        half = 2.0 * 0.4 / math.sqrt(n[0])
        built["ravine_ci_low"], built["ravine_ci_high"] = (
            built["ravine"] - half,
            built["ravine"] + half,
        )
        rows.append(built)
    releases = [
        Statement(period=rows[3 * i]["label"], local=f"{rows[3 * i]['label']} {i % 24:02d}:17",
                  title=f"Release {i}")
        for i in range(len(rows) // 3)
    ]  # fmt: skip
    return ravine_figure(rows, statements=releases)


def test_unpack_gives_back_the_whole_figure() -> None:
    marks = [Statement(period="2025-01-02", local="2025-01-02 10:00", title="News")]
    for figure in (
        ravine_figure(ROWS, statements=marks),
        ravine_figure(ROWS, baseline=True),
        ravine_figure([]),
        three_years_of_days(),
    ):
        packed = json.loads(wire(pack(figure)))  # as the page gets it
        assert unpack(packed) == figure


def test_each_column_travels_once_and_traces_are_ops_on_columns() -> None:
    packed = pack(ravine_figure(ROWS))
    columns = packed["columns"]
    plain = [json.dumps(c) for c in columns if isinstance(c, list)]
    assert len(plain) == len(set(plain))
    assert columns[0] == {"$dates": ["2025-01-01", 5, "day"]}  # the period labels
    corporate, public, ravine = (ops(packed, name) for name in ("Corporate", "Public", "Ravine"))
    assert corporate["x"] == public["x"] == ravine["x"] == {"$c": 0}
    n, low, high = corporate["customdata"]["$zip"]  # hover rows: n, CI low, CI high
    assert columns[n] == [6, 7, 2, 5, 5]
    # the CI as its centre (the line itself) ± a half-width column
    centre, half = columns[high]["$add"]
    assert centre == corporate["y"]["$c"] and columns[low] == {"$sub": [centre, half]}
    # the ravine as corporate less public
    assert columns[ravine["y"]["$c"]] == {"$sub": [centre, public["y"]["$c"]]}
    band = ops(packed, "95% CI")  # the corporate one comes first
    assert band["x"] == {"$band": [0, 0], "runs": [[0, 1], [3, 4]]}  # broken at the null day
    assert band["y"] == {"$band": [high, low], "runs": [[0, 1], [3, 4]]}
    assert ops(packed, "Company rosier")["y"]["$band"] == [centre, public["y"]["$c"]]


def test_a_band_clamped_to_the_metric_range_travels_as_its_centre_and_two_reaches() -> None:
    # a negative share falling to 0, with a CI of ± 0.1: the band stops at 0, no longer symmetric
    rows = [row(f"2025-01-0{i + 1}", 0.3 - 0.1 * i, 0.5, (9, 9)) for i in range(4)]
    figure = ravine_figure(rows, metric="negative_share")
    packed = pack(figure)
    assert unpack(json.loads(wire(packed))) == figure
    columns = packed["columns"]
    corporate = ops(packed, "Corporate")
    _, low, high = corporate["customdata"]["$zip"]
    centre, up = columns[high]["$add"]
    same, down = columns[low]["$sub"]
    assert centre == same == corporate["y"]["$c"]
    values = resolve(columns)
    assert values[up] == [0.1] * 4 and values[down] == [0.1, 0.1, 0.1, 0.0]
    assert values[low] == [0.2, 0.1, 0.0, 0.0]


def test_arrays_that_fit_no_op_travel_as_they_are() -> None:
    figure = {
        "data": [
            {"x": ["a", "b", "c"], "y": [1, 2, 3]},
            {"x": ["a", "b", "c"], "y": [[1], [2, 3], [4]]},  # ragged rows: no $zip
            {"x": ["a", "b", "a", None], "y": [1, 2, 3, None], "fill": "toself"},  # no run
            {"x": ["a", "b", "b", "a", None], "y": [1, 2, 9, 8, None], "fill": "toself"},
            {"x": ["z"], "text": "one label for all"},
        ],
        "layout": {"title": {"text": "odd"}},
    }
    packed = pack(figure)
    assert unpack(json.loads(wire(packed))) == figure
    assert packed["data"][1]["y"] == [[1], [2, 3], [4]]
    assert packed["data"][2]["x"] == ["a", "b", "a", None]
    assert packed["data"][3]["y"] == [1, 2, 9, 8, None]  # no column holds 9, 8


def test_three_years_of_days_take_about_15_kilobytes_gzipped() -> None:
    figure = three_years_of_days()
    full, packed = wire(figure), wire(pack(figure))
    assert len(gzip.compress(packed)) < 16_000  # 2 kB of it the ravine's effect sizes
    assert len(gzip.compress(packed)) < len(gzip.compress(full)) / 4
    assert len(packed) < len(full) / 4
