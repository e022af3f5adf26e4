"""Pack a figure for the wire: each column once, and small ops that rebuild every array.

A ravine chart repeats its columns many times over: every trace shares the period labels, a
CI band is a polygon that walks its upper bound out and its lower bound back, and hover data
zips columns into rows. :func:`pack` finds those shapes in a finished figure and sends the
columns once (:mod:`dashboard.columns`, some of them as ops on others) with the ops that
rebuild each array; ``unpack`` in app.js (mirrored here for tests) rebuilds the figure.
Every op is checked against what it replaces, so an array that fits none still travels, as
itself.

Array ops, in a trace's ``x``, ``y``, ``customdata`` or ``text`` (a list is sent as it is):
    ``{"$c": i}``                  column i (column 0 is the x axis: the period labels)
    ``{"$zip": [i, j]}``           rows ``[ci[k], cj[k]]`` (hover data)
    ``{"$band": [i, j], "runs": [[a, b], ...]}``
                                   per run ``ci[a..b]``, then ``cj[b..a]``, then null: closed
                                   polygons that break where a run of periods ends
"""

from __future__ import annotations

from typing import Any

from dashboard.columns import Column, Columns, resolve

ARRAY_KEYS = ("x", "y", "customdata", "text")
Runs = list[list[int]]


def pack(figure: dict[str, Any]) -> dict[str, Any]:
    """``{"columns": [...], "data": traces with ops for arrays, "layout": ...}``."""
    data = figure["data"]
    xs = [t["x"] for t in data if isinstance(t.get("x"), list)]
    # The period labels: the x array that most traces share (lines and bars do; polygons not).
    columns = Columns(max(xs, key=xs.count, default=[]))
    polygons = [_runs(trace, columns.values[0]) for trace in data]
    # Every plain column first: polygons are drawn from them.
    plain = [
        {key: _encode(v, columns) for key, v in _arrays(trace).items()} if runs is None else {}
        for trace, runs in zip(data, polygons, strict=True)
    ]
    traces = []
    for trace, runs, arrays in zip(data, polygons, plain, strict=True):
        if runs is not None:  # _runs found its x to be the axis along the runs
            arrays = {
                key: {"$band": [0, 0], "runs": runs} if key == "x" else _band(v, runs, columns)
                for key, v in _arrays(trace).items()
            }
        traces.append({**trace, **arrays})
    bands = [t["y"]["$band"] for t in traces if isinstance(t.get("y"), dict) and "$band" in t["y"]]
    columns.derive([(top, bottom) for top, bottom in bands])
    return {"columns": columns.encoded(), "data": traces, "layout": figure["layout"]}


def _arrays(trace: dict[str, Any]) -> dict[str, Column]:
    return {key: trace[key] for key in ARRAY_KEYS if isinstance(trace.get(key), list)}


def _encode(values: Column, columns: Columns) -> Any:
    """``$c`` for a column, ``$zip`` for rows of columns, else the array itself."""
    if len(values) != len(columns.values[0]):
        return values
    if not values or not all(isinstance(row, list) for row in values):
        return {"$c": columns.add(values)}
    if len({len(row) for row in values}) == 1:
        return {"$zip": [columns.add(list(column)) for column in zip(*values, strict=True)]}
    return values


def _runs(trace: dict[str, Any], axis: Column) -> Runs | None:
    """The runs [a, b] of a trace drawn as closed polygons over the x axis, else None."""
    x = trace.get("x")
    if trace.get("fill") != "toself" or not isinstance(x, list) or not x or x[-1] is not None:
        return None
    where = {label: i for i, label in enumerate(axis)}
    runs: Runs = []
    start = 0
    while start < len(x):
        end = x.index(None, start)
        a = where.get(x[start])
        if a is None:
            return None
        runs.append([a, a + (end - start) // 2 - 1])
        start = end + 1
    return runs if _polygon(axis, axis, runs) == x else None


def _band(values: Column, runs: Runs, columns: Columns) -> Any:
    """``$band`` for a polygon that two columns draw over ``runs``, else the array."""
    found = [_column_along(side, runs, columns) for side in _sides(values, runs)]
    top, bottom = found
    if top is None or bottom is None:
        return values
    if _polygon(columns.values[top], columns.values[bottom], runs) != values:
        return values
    return {"$band": found, "runs": runs}


def _column_along(side: Column, runs: Runs, columns: Columns) -> int | None:
    """The first column whose values over ``runs`` are ``side`` (tried on their first value
    before the rest)."""
    first = runs[0][0]
    return next(
        (i for i, c in enumerate(columns.values)
         if [c[first]] == side[:1] and [v for a, b in runs for v in c[a : b + 1]] == side),
        None,
    )  # fmt: skip


def _sides(values: Column, runs: Runs) -> tuple[Column, Column]:
    """A polygon's values along its runs, and on the way back (put in run order)."""
    out: Column = []
    back: Column = []
    start = 0
    for a, b in runs:
        size = b - a + 1
        out += values[start : start + size]
        back += values[start + size : start + 2 * size][::-1]
        start += 2 * size + 1
    return out, back


def _polygon(top: Column, bottom: Column, runs: Runs) -> Column:
    """Per run: ``top`` along it, ``bottom`` back, and a null that closes the polygon."""
    return [v for a, b in runs for v in [*top[a : b + 1], *bottom[a : b + 1][::-1], None]]


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """The figure :func:`pack` was given (what the page does before Plotly.react)."""
    columns = resolve(packed["columns"])

    def expand(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "$c" in value:
            return list(columns[value["$c"]])
        if "$zip" in value:
            return [list(row) for row in zip(*(columns[i] for i in value["$zip"]), strict=True)]
        top, bottom = (columns[i] for i in value["$band"])
        return _polygon(top, bottom, value["runs"])

    traces = [
        {**trace, **{key: expand(trace[key]) for key in ARRAY_KEYS if key in trace}}
        for trace in packed["data"]
    ]
    return {"data": traces, "layout": packed["layout"]}
