"""Every metric declares its direction, and the ravine follows it: always how much rosier the
company sounds than its public, so for negative_share (higher is gloomier) public − corporate."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ravine.analytics import (
    METRIC_INFO,
    AnalyticsError,
    SeriesOptions,
    baseline_series,
    make_periods,
    metric_info,
    ravine_series,
)
from ravine.analytics.options import METRICS
from tests.analytics.builders import sums_frame

# The company is upbeat (no negative statement), the public often negative.
CORPORATE = [0.6, 0.4, 0.5, -0.1, 0.7]
PUBLIC = [-0.6, -0.4, 0.2, -0.3, 0.0, -0.8]


def test_every_metric_declares_its_label_range_and_direction() -> None:
    assert set(METRIC_INFO) == set(METRICS)
    expected = {
        "compound": ("higher_is_rosier", -1.0, 1.0),
        "net": ("higher_is_rosier", -1.0, 1.0),
        "negative_share": ("higher_is_gloomier", 0.0, 1.0),
    }
    for name, (direction, low, high) in expected.items():
        info = metric_info(name)
        assert (info.name, info.direction, info.low, info.high) == (name, direction, low, high)
        assert info.sign == (1 if direction == "higher_is_rosier" else -1)
        assert info.higher == ("rosier" if info.sign > 0 else "gloomier")
        assert info.label and info.definition
    with pytest.raises(AnalyticsError, match="unknown metric 'median'"):
        metric_info("median")


@pytest.mark.parametrize("metric", METRICS)
def test_the_ravine_is_positive_when_the_company_sounds_rosier(metric: str) -> None:
    sums = sums_frame({(0, "corporate"): CORPORATE, (0, "public"): PUBLIC})
    periods = make_periods(since=date(2025, 3, 1), until=date(2025, 3, 1), freq="day", tz="UTC")
    row = ravine_series(sums, periods, options=SeriesOptions(metric=metric)).iloc[0]
    corporate, public = row["corporate_value"], row["public_value"]
    sign = metric_info(metric).sign
    assert row["ravine"] == sign * (corporate - public) > 0
    assert row["ravine_ci_low"] < row["ravine"] < row["ravine_ci_high"]


def test_negative_share_reverses_the_ravine_and_its_ci_exactly() -> None:
    sums = sums_frame({(0, "corporate"): CORPORATE, (0, "public"): PUBLIC})
    periods = make_periods(since=date(2025, 3, 1), until=date(2025, 3, 1), freq="day", tz="UTC")
    share = ravine_series(sums, periods, options=SeriesOptions(metric="negative_share"))
    # The same numbers as corporate − public, negated: the CI's bounds swap.
    assert share["corporate_value"][0] == 0.2 and share["public_value"][0] == 4 / 6
    half = (share["ravine_ci_high"][0] - share["ravine_ci_low"][0]) / 2
    assert share["ravine"][0] == pytest.approx(4 / 6 - 0.2)
    assert share["ravine_ci_low"][0] == pytest.approx(share["ravine"][0] - half)


@pytest.mark.parametrize("metric", METRICS)
def test_the_baseline_ravine_follows_the_direction_too(metric: str) -> None:
    cells = {
        (0, "corporate"): [0.1, -0.2, 0.3], (1, "corporate"): [0.5, 0.6, 0.4],
        (0, "public"): [0.2, -0.3, 0.1], (1, "public"): [-0.6, -0.5, 0.0],
    }  # fmt: skip
    periods = make_periods(since=date(2025, 3, 1), until=date(2025, 3, 2), freq="day", tz="UTC")
    frame = baseline_series(
        sums_frame(cells), periods, options=SeriesOptions(metric=metric, min_n=3), baseline_days=1
    )
    ravine, corporate, public = frame.loc[1, ["ravine", "corporate_value", "public_value"]]
    assert np.isfinite(ravine)
    assert ravine == metric_info(metric).sign * (corporate - public) > 0
