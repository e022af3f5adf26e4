"""Reaction windows by hand: sides exact to the instant, Welch CI of the change, nulls, options."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest
from scipy import stats

from ravine.analytics import AnalyticsError, edge_hours, reactions
from tests.analytics.builders import Doc, documents_frame, hourly_frame, near

BEFORE = [0.1, 0.3, 0.2]  # mean .2, sd .1
AFTER = [-0.2, 0.0, -0.4, -0.2]  # mean −.2
# A statement at 2025-03-01 10:30 UTC with a one-day window: before = [02-28 10:30, 03-01 10:30),
# after = [03-01 10:30, 03-02 10:30), whatever hours the documents share.
DOCS: list[tuple[str, str, float]] = [
    ("2025-02-28 10:10", "public", 0.9),  # in the hour of t − w, but before it: left out
    ("2025-02-28 10:45", "public", BEFORE[0]),
    ("2025-02-28 20:00", "public", BEFORE[1]),
    ("2025-03-01 10:10", "public", BEFORE[2]),  # the statement's own hour, before it
    ("2025-03-01 10:30", "public", AFTER[0]),  # at the statement: after
    ("2025-03-01 10:50", "public", AFTER[1]),  # the statement's own hour, after it
    ("2025-03-02 09:00", "public", AFTER[2]),
    ("2025-03-02 10:20", "public", AFTER[3]),  # in the hour of t + w, before it
    ("2025-03-02 10:30", "public", -0.9),  # at t + w: after the window
    ("2025-03-01 12:00", "corporate", 0.9),  # the corporate voice never counts
]


def statements(*published: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": list(range(1, len(published) + 1)),
            "published_at": pd.to_datetime(list(published), utc=True),
            "title": [f"statement {i}" for i in range(1, len(published) + 1)],
        }
    )


def react(docs: Sequence[tuple[str, str, Doc]], *published: str, **options: Any) -> pd.DataFrame:
    """Reactions as the API computes them: whole hours from the roll-up, and only the edge
    hours' documents one by one."""
    given = statements(*published)
    edges = edge_hours(given["published_at"], window_days=options.get("window_days", 3))
    in_edges = [d for d in docs if pd.Timestamp(d[0], tz="UTC").floor("h") in edges]
    return reactions(hourly_frame(docs), documents_frame(in_edges), given, **options)


def test_sides_end_at_the_statement_and_at_the_window_to_the_instant() -> None:
    hourly = hourly_frame(DOCS).sample(frac=1, random_state=3)  # row order must not matter
    documents = documents_frame(DOCS).sample(frac=1, random_state=4)
    frame = reactions(hourly, documents, statements("2025-03-01 10:30"), window_days=1, min_n=3)
    row = frame.iloc[0]
    assert (row["before_n"], row["after_n"]) == (3, 4)
    assert row["before_value"] == near(0.2)
    assert row["after_value"] == near(-0.2)
    assert row["change"] == near(-0.4)
    se_a, se_b = (0.08 / 3) / 4, 0.01 / 3
    df = (se_a + se_b) ** 2 / (se_a**2 / 3 + se_b**2 / 2)
    half = stats.t.ppf(0.975, df) * math.sqrt(se_a + se_b)
    assert (row["change_ci_low"], row["change_ci_high"]) == (near(-0.4 - half), near(-0.4 + half))
    welch = stats.ttest_ind(AFTER, BEFORE, equal_var=False).confidence_interval(0.95)
    assert (row["change_ci_low"], row["change_ci_high"]) == (near(welch.low), near(welch.high))
    assert row["null_reason"] is None


AT = ("2025-03-01 10:30", "2025-03-01 11:00", "2025-03-01 10:10", "2025-03-01 10:50",
      "2025-03-02 00:00", "2025-03-01 10:30:00.5")  # fmt: skip


@pytest.mark.parametrize("at", AT)
@pytest.mark.parametrize("window_days", [1, 0.5, 0.01, 1 / 24])
def test_each_side_holds_exactly_the_documents_of_its_span(at: str, window_days: float) -> None:
    t, w = pd.Timestamp(at, tz="UTC"), pd.Timedelta(days=window_days)
    row = react(DOCS, at, window_days=window_days, min_n=1).iloc[0]
    for side, lo, hi in (("before", t - w, t), ("after", t, t + w)):
        inside = [
            d for when, v, d in DOCS if v == "public" and lo <= pd.Timestamp(when, tz="UTC") < hi
        ]
        assert row[f"{side}_n"] == len(inside), (side, lo, hi)
        if inside:
            assert row[f"{side}_value"] == near(math.fsum(inside) / len(inside))


def test_each_side_has_the_student_t_ci_of_its_mean() -> None:
    row = react(DOCS, "2025-03-01 10:30", window_days=1, min_n=3).iloc[0]
    for side, values in (("before", BEFORE), ("after", AFTER)):
        ci = stats.ttest_1samp(values, 0.0).confidence_interval(0.95)
        assert (row[f"{side}_ci_low"], row[f"{side}_ci_high"]) == (near(ci.low), near(ci.high))


def test_edge_hours_are_those_a_side_only_partly_covers() -> None:
    found = edge_hours(pd.to_datetime(["2025-03-01 10:30", "2025-03-05 12:00"], utc=True),
                       window_days=1)  # fmt: skip
    # 12:00 ± 1 day is on the hour: its sides are whole hours.
    assert found.tolist() == list(
        pd.to_datetime(["2025-02-28 10:00", "2025-03-01 10:00", "2025-03-02 10:00"], utc=True)
    )


def test_columns_order_and_statement_fields_are_kept() -> None:
    at = ("2025-03-05 12:00", "2025-03-01 10:30")
    given = statements(*at)
    frame = react(DOCS, *at, window_days=1, min_n=3)
    assert list(frame.columns) == [
        "id", "title", "published_at", "before_n", "before_n_eff", "before_deff",
        "before_value", "before_ci_low", "before_ci_high", "after_n", "after_n_eff",
        "after_deff", "after_value",
        "after_ci_low", "after_ci_high", "change", "change_ci_low", "change_ci_high",
        "p_value", "q_value", "discovery", "null_reason",
    ]  # fmt: skip
    assert frame["id"].tolist() == [1, 2]
    assert frame["title"].tolist() == ["statement 1", "statement 2"]
    assert frame["published_at"].tolist() == given["published_at"].tolist()
    assert frame["change"][1] == near(-0.4)


def test_sides_with_too_few_documents_are_null_with_reasons() -> None:
    frame = react(
        DOCS, "2025-03-05 12:00", "2025-03-01 10:30", "2025-03-02 10:30", window_days=1, min_n=4
    )
    assert frame["null_reason"].tolist() == [
        "before: no documents; after: no documents",
        "before: fewer than 4 documents (3)",
        "after: fewer than 4 documents (1)",
    ]
    assert frame["change"].isna().all()
    assert math.isnan(frame["before_value"][1]) and frame["after_value"][1] == near(-0.2)
    assert frame["before_n"].tolist() == [0, 3, 4]


def test_a_window_inside_one_hour() -> None:
    # 0.01 day is 14.4 minutes: before = [10:25:36, 10:40) holds the post at 10:30 and
    # after = [10:40, 10:54:24) the one at 10:50, both read from the same hour's documents.
    frame = react(DOCS, "2025-03-01 10:40", window_days=0.01, min_n=1)
    assert (frame["before_n"][0], frame["after_n"][0]) == (1, 1)
    assert frame["before_value"][0] == near(AFTER[0])
    assert frame["after_value"][0] == near(AFTER[1])
    assert frame["change"][0] == near(AFTER[1] - AFTER[0])
    assert math.isnan(frame["change_ci_low"][0])
    sides = ["before_ci_low", "before_ci_high", "after_ci_low", "after_ci_high"]
    assert frame[sides].isna().all(axis=None)
    one = "only 1 document: no standard deviation or CI"
    assert frame["null_reason"][0] == f"before: {one}; after: {one}"


def test_weighted_net_reaction() -> None:
    docs = [
        ("2025-03-01 09:00", "public", (0.5, 3)),
        ("2025-03-01 09:10", "public", (-0.5, 1)),
        ("2025-03-01 12:00", "public", (-0.5, 4)),
        ("2025-03-01 12:30", "public", (0.0, 1)),
    ]
    frame = react(docs, "2025-03-01 10:00", min_n=1, metric="net", weighted=True)
    assert frame["before_value"][0] == near((3 - 1) / 4)
    assert frame["after_value"][0] == near(-4 / 5)
    assert frame["change"][0] == near(-0.8 - 0.5)
    # Weights 3 and 1 make 1.6 effective documents, 4 and 1 make 1.47: too few for a CI ...
    assert math.isnan(frame["change_ci_low"][0])
    assert frame["null_reason"][0] == (
        "before: effective n 1.60: too few for a CI (2 documents, a few weigh most); "
        "after: effective n 1.47: too few for a CI (2 documents, a few weigh most)"
    )
    # ... and, with min_n = 2, for a value.
    strict = react(docs, "2025-03-01 10:00", min_n=2, metric="net", weighted=True)
    assert math.isnan(strict["before_value"][0]) and math.isnan(strict["after_value"][0])
    assert strict["null_reason"][0].startswith("before: effective n 1.60 below 2 (2 documents")


def test_no_hourly_rows_at_all() -> None:
    frame = react([], "2025-03-01 10:00")
    assert frame["null_reason"].tolist() == ["before: no documents; after: no documents"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"window_days": 0}, "window_days is 0"),
        ({"window_days": float("nan")}, "window_days is nan"),
        ({"min_n": -1}, "min_n is -1"),
        ({"metric": "mean"}, "unknown metric 'mean'"),
    ],
)
def test_invalid_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(AnalyticsError, match=message):
        react(DOCS, "2025-03-01 10:00", **kwargs)
