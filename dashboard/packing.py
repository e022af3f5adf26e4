"""Pack a figure for the wire: each distinct array sent once, polygon dates as positions.

A ravine chart repeats its period labels in every trace and again, twice over, in every band
polygon; gzip's 32 kB window cannot see repeats that far apart. Packed, each array travels
once and the page (``unpack`` in app.js, mirrored here for tests) rebuilds the figure.
"""

from __future__ import annotations

import json
from typing import Any

ARRAY_KEYS = ("x", "y", "customdata", "text")


def pack(figure: dict[str, Any]) -> dict[str, Any]:
    """``{"arrays": [...], "data": traces with {"$a": i} (or {"$a": i, "$in": j}) for arrays,
    "layout": ...}``; ``$in`` means the array holds positions in array ``j``."""
    arrays: list[list[Any]] = []
    seen: dict[str, int] = {}

    def ref(values: list[Any]) -> int:
        key = json.dumps(values, separators=(",", ":"))
        if key not in seen:
            seen[key] = len(arrays)
            arrays.append(values)
        return seen[key]

    xs: list[list[Any]] = [t["x"] for t in figure["data"] if isinstance(t.get("x"), list)]
    # The period labels: the x array that most traces share (lines and bars do; polygons not).
    axis: list[Any] = max(xs, key=lambda x: sum(other is x for other in xs), default=[])
    where = {label: position for position, label in enumerate(axis)}
    axis_ref = ref(axis) if axis else None
    traces = []
    for trace in figure["data"]:
        packed = dict(trace)
        for key in ARRAY_KEYS:
            values = trace.get(key)
            if not isinstance(values, list):
                continue
            if (
                key == "x"
                and values is not axis
                and axis_ref is not None
                and _within(values, where)
            ):
                positions = [None if v is None else where[v] for v in values]
                packed[key] = {"$a": ref(positions), "$in": axis_ref}
            else:
                packed[key] = {"$a": ref(values)}
        traces.append(packed)
    return {"arrays": arrays, "data": traces, "layout": figure["layout"]}


def _within(values: list[Any], where: dict[Any, int]) -> bool:
    return all(v is None or (isinstance(v, str) and v in where) for v in values)


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """The figure :func:`pack` was given (what the page does before Plotly.react)."""
    arrays = packed["arrays"]
    traces = []
    for trace in packed["data"]:
        full = dict(trace)
        for key in ARRAY_KEYS:
            value = trace.get(key)
            if isinstance(value, dict) and "$a" in value:
                items = arrays[value["$a"]]
                if "$in" in value:
                    labels = arrays[value["$in"]]
                    items = [None if i is None else labels[i] for i in items]
                full[key] = list(items)
        traces.append(full)
    return {"data": traces, "layout": packed["layout"]}
