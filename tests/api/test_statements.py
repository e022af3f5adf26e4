"""Corporate statements as the chart and the reactions API show them: every one named (its
title, else its first words), one diamond per local period with their count, and each side of
a reaction with its own CI."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from cli.demo_commands import SAMPLE
from dashboard.figures import HOVER_TITLES
from dashboard.packing import unpack
from ravine.titles import display_title

WEEK = {"entity": "northwind-air", "since": "2025-06-16", "until": "2025-06-22"}


def get(client: TestClient, path: str, **params: object) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sample_statements(entity: str) -> list[dict[str, Any]]:
    with (SAMPLE / "statements.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [row for row in rows if row["entity"] == entity]


def local_days(rows: list[dict[str, Any]], tz: str, since: str, until: str) -> Counter[str]:
    days = (datetime.fromisoformat(r["published_at"]).astimezone(ZoneInfo(tz)) for r in rows)
    return Counter(d for day in days if since <= (d := day.date().isoformat()) <= until)


def test_reactions_name_untitled_statements_by_their_first_words(client: TestClient) -> None:
    body = get(client, "/api/v1/ravine/reactions", **WEEK)
    titles = {r["published_at"]: r["title"] for r in body["reactions"]}
    assert titles["2025-06-16T08:16:15Z"] == (
        "Record summer at Northwind Air! Thank you for flying with us, we love having you…"
    )
    assert titles["2025-06-17T11:07:37Z"] == (  # 81 characters: the last word goes
        "Our wonderful crews keep smiling all summer. Thank you for choosing Northwind…"
    )
    sample = {
        datetime.fromisoformat(r["published_at"]): display_title(r.get("title"), r["text"])
        for r in sample_statements("northwind-air")
    }
    assert len(titles) == sum(local_days(sample_statements("northwind-air"), "UTC", "2025-06-16",
                                         "2025-06-22").values())  # fmt: skip
    for at, title in titles.items():
        assert sample[datetime.fromisoformat(at)] == title


def test_titled_statements_keep_their_titles(client: TestClient) -> None:
    body = get(client, "/api/v1/ravine/reactions", entity="northwind-air", since="2025-01-03",
               until="2025-01-03")  # fmt: skip
    assert "Northwind Air news: A new partner airline" in [r["title"] for r in body["reactions"]]


def test_each_side_of_a_reaction_has_the_ci_of_its_mean(client: TestClient) -> None:
    body = get(client, "/api/v1/ravine/reactions", **WEEK, window_days=7)
    checked = 0
    for r in body["reactions"]:
        for side in ("before", "after"):
            low, value, high = (r[f"{side}_{key}"] for key in ("ci_low", "value", "ci_high"))
            assert low < value < high and r[f"{side}_n"] > 30
            checked += 1
    assert checked == 2 * len(body["reactions"]) > 60


def test_one_diamond_per_local_day_counts_its_statements(client: TestClient) -> None:
    tz = "Asia/Tokyo"  # a statement in a UTC evening is the next local day's
    body = get(client, "/dashboard/figure", **WEEK, freq="day", tz=tz)
    (diamonds,) = [t for t in unpack(body["figure"])["data"] if t["meta"]["role"] == "statements"]
    expected = local_days(sample_statements("northwind-air"), tz, WEEK["since"], WEEK["until"])
    assert dict(zip(diamonds["x"], diamonds["customdata"], strict=True)) == expected
    for day, count, hover in zip(diamonds["x"], diamonds["customdata"], diamonds["hovertext"],
                                 strict=True):  # fmt: skip
        named = [line for line in hover.split("<br>") if not line.startswith("and ")]
        # A day's diamond names the time of day only: the day is its period's.
        assert len(named) == min(count, HOVER_TITLES), hover
        assert all(re.match(r"\d\d:\d\d ", line) for line in named), hover
        assert day not in hover
    utc = get(client, "/dashboard/figure", **WEEK, freq="day")
    (by_utc,) = [t for t in unpack(utc["figure"])["data"] if t["meta"]["role"] == "statements"]
    assert by_utc["customdata"] != diamonds["customdata"]  # the zone moves some across days


def test_weekly_diamonds_count_the_whole_weeks_they_stand_for(client: TestClient) -> None:
    body = get(client, "/dashboard/figure", entity="northwind-air", freq="week",
               since="2025-06-02", until="2025-08-31")  # fmt: skip
    figure = unpack(body["figure"])
    (diamonds,) = [t for t in figure["data"] if t["meta"]["role"] == "statements"]
    bars = next(t for t in figure["data"] if t["meta"] == {"role": "volume", "voice": "corporate"})
    assert diamonds["x"] == bars["x"] and diamonds["customdata"] == bars["y"]
    assert sum(diamonds["customdata"]) > 500  # more than a reactions answer holds
