"""Packing sends each array once and unpacks to exactly the figure it was given."""

from __future__ import annotations

import json

from dashboard.figures import Statement, ravine_figure
from dashboard.packing import pack, unpack
from tests.dashboard.test_figures import ROWS


def test_pack_round_trips_and_sends_each_array_once() -> None:
    figure = ravine_figure(
        ROWS, statements=[Statement(id=1, published_at="2025-01-02T10:00:00", title="News")]
    )
    packed = pack(figure)
    assert unpack(packed) == figure
    texts = [json.dumps(a) for a in packed["arrays"]]
    assert len(texts) == len(set(texts))  # no array twice
    labels = [r["label"] for r in ROWS]
    assert packed["arrays"].count(labels) == 1
    band = next(t for t in packed["data"] if t["name"] == "Corporate 95% CI")
    assert "$in" in band["x"]  # polygon dates travel as positions in the label array
    assert len(json.dumps(packed)) < len(json.dumps(figure))
