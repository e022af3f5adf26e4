"""The dashboard shows each claim with its caveat: the ravine hovers its effect size, the
leaderboard marks the entities whose mean ravine differs from 0 at a 5% false discovery rate
and says what the mark means, and so does the Statement list for the public's reactions."""

from __future__ import annotations

from typing import Any

import httpx

from tests.dashboard.browser import (
    chart_traces,
    hover_label,
    one_trace,
    open_chart,
    open_compare,
)
from tests.dashboard.test_statements_view import listed, local, says

YEAR = {"freq": "week", "since": "2025-01-01", "until": "2025-12-31"}
# Brightleaf's October: 51 statements, a few after which the public changed beyond chance.
OCTOBER = {"entity": "brightleaf-foods", "freq": "day", "since": "2025-10-01",
           "until": "2025-10-28"}  # fmt: skip


def api(site: str, path: str, **params: str) -> Any:
    response = httpx.get(f"{site}/api/v1/{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_ravine_hovers_its_effect_size(page: Any, site: str) -> None:
    params = {"entity": "northwind-air", **YEAR}
    open_chart(page, site, **params)
    ravine = one_trace(chart_traces(page), "ravine")
    periods = api(site, "ravine", **params)["periods"]
    label = "2025-07-14"
    effect = next(p["ravine"]["effect_size"] for p in periods if p["period"] == label)
    shown = hover_label(page, ("x", "y3"), label, ravine["y"][ravine["x"].index(label)])
    assert f"effect size d = {effect:.2f} (ravine / pooled sd)" in shown
    assert effect > 2  # July's crisis: the voices several spreads apart


def test_the_leaderboard_marks_discoveries_and_says_what_the_mark_means(
    page: Any, site: str
) -> None:
    open_compare(page, site, **YEAR)
    board = api(site, "compare", **YEAR)["leaderboard"]
    header = page.locator("#leaderboard tr th").last
    assert header.inner_text() == "≠ 0 (FDR 5%)"
    assert "5% false discovery rate" in (header.get_attribute("title") or "")
    cells = page.locator("#leaderboard tr td:nth-child(5)")
    assert cells.all_inner_texts() == ["✱ yes" if row["discovery"] else "no" for row in board]
    assert {row["entity"] for row in board if row["discovery"]} == {
        "brightleaf-foods",
        "helio-bank",
    }
    for i, row in enumerate(board):
        tip = cells.nth(i).get_attribute("title") or ""
        assert tip.startswith(f"q = {row['q_value']:.3f} (Benjamini–Hochberg over 3 entities)")
    note = page.inner_text("#leaderboard-note")
    assert "Newey–West" in note and "5% false discovery rate" in note


def test_the_statement_list_marks_discoveries_over_the_statements_listed(
    page: Any, site: str
) -> None:
    open_chart(page, site, **OCTOBER)
    found = api(site, "ravine/reactions", **{k: v for k, v in OCTOBER.items() if k != "freq"})
    reactions = found["reactions"]
    expected = [
        f"{local(r['published_at'], 'UTC')} · {r['title']}{' ✱' if r['discovery'] else ''}"
        for r in reactions
    ]
    assert listed(page) == expected
    marked = [r for r in reactions if r["discovery"]]
    assert 0 < len(marked) < len(reactions) == 51
    assert page.inner_text("#statement-help") == "✱ the public changed (5% false discovery rate)"
    page.select_option("#statement", str(marked[0]["id"]))
    says(page, f"Among the 51 statements listed with a comparison, this change is ✱ a discovery "
               f"at a 5% false discovery rate (Benjamini–Hochberg q = "
               f"{marked[0]['q_value']:.3f}).")  # fmt: skip
    calm = next(r for r in reactions if not r["discovery"])
    page.select_option("#statement", str(calm["id"]))
    says(page, "this change is not a discovery at a 5% false discovery rate")
