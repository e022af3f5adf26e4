"""The dashboard's figure and the compare leaderboard say which way the metric points, and the
ravine is how much rosier the company sounds whatever the metric."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from dashboard.packing import unpack

YEAR = {"since": "2025-01-01", "until": "2025-12-31"}
DIRECTIONS = {
    "compound": ("mean VADER compound", "higher_is_rosier"),
    "net": ("net sentiment", "higher_is_rosier"),
    "negative_share": ("negative share", "higher_is_gloomier"),
}


def get(client: TestClient, path: str, **params: object) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("view", ["raw", "baseline"])
@pytest.mark.parametrize("metric", list(DIRECTIONS))
def test_the_figure_says_what_it_shows(client: TestClient, metric: str, view: str) -> None:
    body = get(client, "/dashboard/figure", entity="northwind-air", freq="month", metric=metric,
               view=view, min_n=4, **YEAR)  # fmt: skip
    label, direction = DIRECTIONS[metric]
    assert (body["metric"], body["metric_label"], body["direction"]) == (metric, label, direction)
    assert (body["view"], body["min_n"]) == (view, 4)
    higher = "rosier" if direction == "higher_is_rosier" else "gloomier"
    caption = body["caption"]
    assert caption.startswith("Northwind Air, 2025-01-01 to 2025-12-31, per month: ")
    assert f"being {higher}" in caption and "fewer than 4 documents" in caption
    figure = unpack(body["figure"])
    names = {t["name"] for t in figure["data"] if t["meta"]["role"] == "shading"}
    assert {name.split(" vs.")[0] for name in names} == {"Company rosier", "Public rosier"}
    assert f"higher = {higher}" in figure["layout"]["yaxis"]["title"]["text"]


@pytest.mark.parametrize("metric", list(DIRECTIONS))
def test_the_ravine_is_how_much_rosier_the_company_sounds(client: TestClient, metric: str) -> None:
    body = get(client, "/api/v1/ravine", entity="northwind-air", freq="month", metric=metric,
               **YEAR)  # fmt: skip
    sign = 1 if DIRECTIONS[metric][1] == "higher_is_rosier" else -1
    checked = 0
    for period in body["periods"]:
        corporate, public = period["corporate"]["value"], period["public"]["value"]
        ravine = period["ravine"]
        if ravine["value"] is None:
            continue
        assert ravine["value"] == pytest.approx(sign * (corporate - public), abs=1e-12)
        assert ravine["ci_low"] < ravine["value"] < ravine["ci_high"]
        checked += 1
    assert checked >= 10
    # In July the company is upbeat and its public furious: rosier whatever the metric.
    assert body["periods"][6]["ravine"]["value"] > 0.2
    assert "public − corporate" in body["definitions"]["ravine"]


@pytest.mark.parametrize("metric", list(DIRECTIONS))
def test_the_leaderboard_ranks_by_how_much_rosier_the_company_sounds(
    client: TestClient, metric: str
) -> None:
    body = get(client, "/api/v1/compare", freq="month", metric=metric, **YEAR)
    assert (body["metric"], body["direction"]) == (metric, DIRECTIONS[metric][1])
    means = [row["mean_ravine"]["value"] for row in body["leaderboard"]]
    assert len(means) == 3 and means == sorted(means, reverse=True)
    assert body["leaderboard"][0]["entity"] == "northwind-air"


def test_an_empty_period_hovers_its_reason(client: TestClient) -> None:
    body = get(client, "/dashboard/figure", entity="helio-bank", freq="day",
               since="2025-06-01", until="2025-06-30")  # fmt: skip
    series = get(client, "/api/v1/ravine", entity="helio-bank", freq="day",
                 since="2025-06-01", until="2025-06-30")  # fmt: skip
    figure = unpack(body["figure"])
    gap = next(t for t in figure["data"] if t["meta"] == {"role": "gap", "voice": "corporate"})
    reasons = [p["corporate"]["null_reason"] for p in series["periods"]]
    assert any(reasons)
    for text, reason in zip(gap["text"], reasons, strict=True):
        assert (text is None) == (reason is None)
        assert text is None or text.startswith(f"{reason}<br>Public: ")
