"""What the summary, the leaderboard and the reactions claim, and the caveats they carry, over
the sample on both backends: Newey–West intervals that say so, widest periods labelled as
descriptive, effect sizes beside the ravines, and Benjamini–Hochberg flags over the family an
answer holds."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from scipy import stats

YEAR = {"since": "2025-01-01", "until": "2025-12-31"}
WEEKS = {"entity": "northwind-air", "freq": "week", **YEAR}
OCTOBER = {"entity": "brightleaf-foods", "since": "2025-10-01", "until": "2025-10-28"}


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def bh(p: list[float]) -> list[float]:
    """SciPy's Benjamini–Hochberg adjustment: the oracle."""
    return list(stats.false_discovery_control(np.array(p), method="bh"))


def test_the_summary_allows_for_autocorrelated_periods_and_says_how(client: TestClient) -> None:
    summary = get(client, "/api/v1/ravine/summary", **WEEKS)
    periods = get(client, "/api/v1/ravine", **WEEKS)["periods"]
    at = [i for i, p in enumerate(periods) if p["ravine"]["value"] is not None]
    y = np.array([periods[i]["ravine"]["value"] for i in at])
    mean = summary["mean_ravine"]
    assert summary["periods"] == len(at) == 53
    assert mean["value"] == pytest.approx(y.mean())
    span = at[-1] - at[0] + 1
    assert (mean["method"], mean["lag"]) == ("newey_west", math.ceil(1.3 * math.sqrt(span)) - 1)
    for estimate in (mean, summary["trend_per_30_days"], summary["mean_effect_size"]):
        # value ± t(df) · se, and the p-value of the same t
        se = (estimate["ci_high"] - estimate["value"]) / stats.t.ppf(0.975, estimate["df"])
        assert estimate["ci_low"] == pytest.approx(
            estimate["value"] - se * stats.t.ppf(0.975, estimate["df"])
        )
        p = 2 * stats.t.sf(abs(estimate["value"]) / se, estimate["df"])
        assert estimate["p_value"] == pytest.approx(p)
    # The weekly ravine swings with July's crisis for weeks on end: counting the weeks as
    # independent gave an interval less than half as wide, that left 0 out.
    naive = stats.t.ppf(0.975, len(y) - 1) * y.std(ddof=1) / math.sqrt(len(y))
    assert mean["value"] - naive > 0
    assert (mean["ci_high"] - mean["ci_low"]) / 2 > 2 * naive
    assert mean["ci_low"] < 0 < mean["ci_high"] and mean["p_value"] > 0.05


def test_widest_periods_are_labelled_as_descriptive_with_their_effect_sizes(
    client: TestClient,
) -> None:
    summary = get(client, "/api/v1/ravine/summary", **WEEKS)
    periods = {p["period"]: p["ravine"] for p in get(client, "/api/v1/ravine", **WEEKS)["periods"]}
    assert summary["widest_note"].startswith("Descriptive: the 5 largest |ravine| of 53 periods.")
    assert "not adjusted for the picking" in summary["widest_note"]
    assert len(summary["widest"]) == 5
    for wide in summary["widest"]:
        assert wide["effect_size"] == pytest.approx(periods[wide["period"]]["effect_size"])
    effects = [p["effect_size"] for p in periods.values() if p["effect_size"] is not None]
    assert summary["mean_effect_size"]["value"] == pytest.approx(np.mean(effects))


def test_the_schema_says_what_the_claims_are(client: TestClient) -> None:
    schemas = get(client, "/openapi.json")["components"]["schemas"]
    widest = schemas["RavineSummary"]["properties"]["widest"]["description"]
    assert widest.startswith("Descriptive:") and "not adjusted for being picked" in widest
    assert "unadjusted" in schemas["WidePeriod"]["properties"]["ci_low"]["description"]
    estimate = schemas["Estimate"]["properties"]
    assert "Newey–West" in estimate["ci_low"]["description"]
    assert "⌈1.3 √T⌉ − 1" in estimate["lag"]["description"]
    assert "Satterthwaite" in estimate["df"]["description"]
    board = schemas["LeaderboardRow"]["properties"]
    assert "Benjamini–Hochberg" in board["q_value"]["description"]
    assert "5% false discovery rate" in board["discovery"]["description"]
    reaction = schemas["Reaction"]["properties"]
    assert "this answer" in reaction["q_value"]["description"]
    assert {"p_value", "q_value", "discovery"} <= reaction.keys()
    assert "Cohen's d" in schemas["RavinePoint"]["properties"]["effect_size"]["description"]


def test_each_ravine_has_its_effect_size_in_json_and_csv(client: TestClient) -> None:
    body = get(client, "/api/v1/ravine", **WEEKS)
    assert "Cohen's d" in body["definitions"]["effect_size"]
    checked = 0
    for period in body["periods"]:
        gap, sds = period["ravine"], (period["corporate"]["sd"], period["public"]["sd"])
        if gap["value"] is None or None in sds:
            assert gap["effect_size"] is None and gap["effect_size_null_reason"]
            continue
        pooled = math.sqrt((sds[0] ** 2 + sds[1] ** 2) / 2)
        assert gap["effect_size"] == pytest.approx(gap["value"] / pooled)
        assert gap["effect_size_null_reason"] is None
        checked += 1
    assert checked == 53
    sheet = client.get("/api/v1/ravine", params={**WEEKS, "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert {"effect_size", "effect_size_null_reason"} <= rows[0].keys()
    sent = [float(r["effect_size"]) if r["effect_size"] else None for r in rows]
    assert sent == [p["ravine"]["effect_size"] for p in body["periods"]]


def test_the_leaderboard_flags_discoveries_over_the_entities_compared(client: TestClient) -> None:
    board = get(client, "/api/v1/compare", freq="week", **YEAR)["leaderboard"]
    p = [row["mean_ravine"]["p_value"] for row in board]
    assert [row["q_value"] for row in board] == pytest.approx(bh(p))
    assert [row["discovery"] for row in board] == [q <= 0.05 for q in bh(p)]
    # The widest mean is not the surest: Northwind's ravine is the largest but swings.
    assert board[0]["entity"] == "northwind-air" and board[0]["discovery"] is False
    assert {row["entity"] for row in board if row["discovery"]} == {
        "brightleaf-foods",
        "helio-bank",
    }


def test_reactions_are_flagged_over_the_statements_of_the_answer(client: TestClient) -> None:
    answer = get(client, "/api/v1/ravine/reactions", **OCTOBER)
    reactions = answer["reactions"]
    assert answer["total"] == len(reactions) == 51
    p = [r["p_value"] for r in reactions]
    assert None not in p
    for r in reactions:  # the p-value of the change's own CI
        assert (r["p_value"] <= 0.05) == (r["change_ci_low"] > 0 or r["change_ci_high"] < 0)
    assert [r["q_value"] for r in reactions] == pytest.approx(bh(p))
    assert [r["discovery"] for r in reactions] == [q <= 0.05 for q in bh(p)]
    assert 0 < sum(r["discovery"] for r in reactions) < sum(x <= 0.05 for x in p)
    # A page is its own family: the first ten are adjusted over ten, not over the 51.
    page = get(client, "/api/v1/ravine/reactions", limit=10, **OCTOBER)["reactions"]
    page_p = [r["p_value"] for r in page]
    assert [r["id"] for r in page] == [r["id"] for r in reactions[:10]]
    assert [r["q_value"] for r in page] == pytest.approx(bh(page_p))
    assert [r["q_value"] for r in page] != pytest.approx(bh(p)[:10])
