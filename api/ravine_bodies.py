"""Ravine series, summaries and reactions straight from the analytics' columns to JSON or CSV.

The shapes are those of :mod:`api.ravine_schemas` (the OpenAPI schema), built column by column
instead of one pydantic object per period: a 3-year daily series is 1,096 periods × 3 objects.
Numbers are floats in their shortest exact form; NaN and infinity are null.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np
import orjson
import pandas as pd

from api.ravine_schemas import DEFINITIONS
from ravine.analytics.clusters import Clustering

VOICES = ("corporate", "public")
VOICE_FIELDS = ("n", "n_eff", "deff", "value", "sd", "ci_low", "ci_high", "null_reason")
RAVINE_FIELDS = {"value": "ravine", "ci_low": "ravine_ci_low", "ci_high": "ravine_ci_high",
                 "null_reason": "ravine_null_reason", "effect_size": "effect_size",
                 "effect_size_null_reason": "effect_size_null_reason"}  # fmt: skip


def dumps(document: Any) -> bytes:
    """Compact UTF-8 JSON (orjson: a tenth of the time of :mod:`json` on a long series)."""
    return orjson.dumps(document)


def numbers(values: Any) -> list[float | None]:
    """A numeric column as JSON numbers, null where NaN or infinite."""
    array = np.asarray(values, dtype=np.float64)
    found: list[float | None] = array.tolist()
    for i in np.flatnonzero(~np.isfinite(array)):
        found[i] = None
    return found


def column(frame: pd.DataFrame, name: str) -> list[Any]:
    """A frame's column as JSON values: numbers (NaN as null), counts, or text/None as is."""
    series = frame[name]
    if pd.api.types.is_integer_dtype(series.dtype):
        return list(series.to_numpy().tolist())
    if pd.api.types.is_float_dtype(series.dtype):
        return numbers(series.to_numpy())
    return series.tolist()


def instants(values: Any) -> list[str]:
    """UTC instants as the API writes every time: ``2025-03-09T05:00:00Z``, with six digits of
    microseconds when there are any (``2025-03-09T05:00:00.250000Z``)."""
    stamps = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None).to_numpy()
    texts = np.datetime_as_string(stamps, unit="us")
    return [f"{text.removesuffix('.000000')}Z" for text in texts]


def _objects(frame: pd.DataFrame, fields: dict[str, str]) -> Iterator[dict[str, Any]]:
    """One object per row: output name → the frame column it comes from."""
    names = list(fields)
    columns = [column(frame, source) for source in fields.values()]
    return (dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True))


def ravine_points(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    return _objects(frame, RAVINE_FIELDS)


def periods(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``periods`` of a series (see :class:`api.ravine_schemas.Period`): one comprehension
    over all the columns at once, the cheapest way Python builds a thousand nested objects."""
    voices = [column(frame, f"{voice}_{name}") for voice in VOICES for name in VOICE_FIELDS]
    gap = [column(frame, name) for name in RAVINE_FIELDS.values()]
    rows = zip(frame["label"].tolist(), instants(frame["start"]), *voices, *gap, strict=True)
    return [
        {"period": p, "start": t,
         "corporate": {"n": cn, "n_eff": ce, "deff": cd, "value": cv, "sd": cs, "ci_low": cl,
                       "ci_high": ch, "null_reason": cr},
         "public": {"n": pn, "n_eff": pe, "deff": pd_, "value": pv, "sd": ps, "ci_low": pl,
                    "ci_high": ph, "null_reason": pr},
         "ravine": {"value": rv, "ci_low": rl, "ci_high": rh, "null_reason": rr,
                    "effect_size": d, "effect_size_null_reason": dr}}
        for p, t, cn, ce, cd, cv, cs, cl, ch, cr, pn, pe, pd_, pv, ps, pl, ph, pr, rv, rl, rh, rr,
        d, dr in rows
    ]  # fmt: skip


def clustering(found: Mapping[str, Clustering]) -> dict[str, dict[str, Any]]:
    """The ``clustering`` of a series (see :class:`api.ravine_schemas.Clustering`)."""
    return {voice: asdict(estimate) for voice, estimate in found.items()}


def series(head: dict[str, Any], frame: pd.DataFrame) -> bytes:
    """A :class:`api.ravine_schemas.RavineSeries`: ``head`` holds its fields before periods."""
    return dumps({**head, "definitions": DEFINITIONS, "periods": periods(frame)})


def summary(head: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """A :class:`api.ravine_schemas.RavineSummary` from :func:`ravine.analytics.summarise`."""
    return {
        **head,
        "periods": found["periods"],
        "mean_ravine": found["mean_ravine"],
        "trend_per_30_days": found["trend_per_30_days"],
        "mean_effect_size": found["mean_effect_size"],
        "widest": [
            {
                "period": w["label"],
                "ravine": w["ravine"],
                "ci_low": w["ci_low"],
                "ci_high": w["ci_high"],
                "effect_size": w["effect_size"],
            }
            for w in found["widest"]
        ],
        "widest_note": found["widest_note"],
    }


REACTION_FIELDS = ("before_n", "before_n_eff", "before_deff", "before_value", "before_ci_low",
                   "before_ci_high", "after_n", "after_n_eff", "after_deff", "after_value",
                   "after_ci_low", "after_ci_high", "change", "change_ci_low", "change_ci_high",
                   "p_value", "q_value", "discovery", "null_reason")  # fmt: skip


def reactions(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``reactions`` of :class:`api.ravine_schemas.Reactions`."""
    if frame.empty:
        return []
    parts = zip(
        frame["id"].tolist(), [str(title) for title in frame["title"]],
        instants(frame["published_at"]), _objects(frame, {n: n for n in REACTION_FIELDS}),
        strict=True,
    )  # fmt: skip
    return [
        {"id": i, "title": title, "published_at": at, **fields} for i, title, at, fields in parts
    ]


def series_csv(frame: pd.DataFrame) -> bytes:
    """A series as a sheet: one row per period, every column of the analytics' frame (the
    label as ``period``, times as ``2025-03-09T05:00:00Z``, nulls as empty cells)."""
    names = ["period" if name == "label" else str(name) for name in frame.columns]
    cells = [_cells(frame[name]) for name in frame.columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue().encode()


def _cells(series: pd.Series) -> list[Any]:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return [f"{text}Z" for text in np.datetime_as_string(
            series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(), unit="s")]  # fmt: skip
    values = column(series.to_frame(), str(series.name))
    return ["" if value is None else value for value in values]
