"""Hand-computed per-voice and ravine series: means, sds, t and Welch CIs, nulls, options."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ravine.analytics import (
    AnalyticsError,
    Periods,
    SeriesOptions,
    make_periods,
    ravine_series,
    voice_series,
)
from tests.analytics.builders import near, sums_frame

CORPORATE = [0.5, 0.1, -0.2, 0.3, 0.8]  # mean 0.3; Σ(y − ȳ)² = .04 + .04 + .25 + 0 + .25 = 0.58
PUBLIC = [0.1, -0.3, 0.2, 0.0, -0.5, 0.05]  # mean −0.075; Σ(y − ȳ)² = 0.35875


def days(count: int) -> Periods:
    return make_periods(since=date(2025, 3, 1), until=date(2025, 3, count), freq="day", tz="UTC")


def test_compound_mean_sd_and_student_t_ci() -> None:
    frame = voice_series(
        sums_frame({(0, "corporate"): CORPORATE}),
        days(1),
        voice="corporate",
        options=SeriesOptions(),
    )
    assert list(frame.columns) == [
        "label", "start", "n", "n_eff", "deff", "value", "sd", "ci_low", "ci_high",
        "null_reason",
    ]  # fmt: skip
    row = frame.iloc[0]
    sd = math.sqrt(0.58 / 4)
    half = stats.t.ppf(0.975, 4) * sd / math.sqrt(5)
    assert (row["label"], row["start"], row["n"]) == (
        "2025-03-01",
        pd.Timestamp("2025-03-01", tz="UTC"),
        5,
    )
    assert row["value"] == near(0.3)
    assert row["sd"] == near(sd)
    assert (row["ci_low"], row["ci_high"]) == (near(0.3 - half), near(0.3 + half))
    assert row["null_reason"] is None


def test_net_and_negative_share_use_vader_thresholds() -> None:
    # y for net: +1 (≥ 0.05), 0, −1 (≤ −0.05), 0, 0 → mean 0, Σy² = 2, sd √(2/4).
    boundary = [0.05, 0.0499, -0.05, -0.0499, 0.0]
    sums = sums_frame({(0, "public"): boundary, (1, "public"): CORPORATE})
    net = voice_series(sums, days(2), voice="public", options=SeriesOptions(metric="net"))
    share = voice_series(
        sums, days(2), voice="public", options=SeriesOptions(metric="negative_share")
    )
    assert net["value"].tolist() == [near(0.0), near(0.6)]  # CORPORATE: y = 1, 1, −1, 1, 1
    assert net["sd"].tolist() == [near(math.sqrt(0.5)), near(math.sqrt(0.8))]
    assert share["value"].tolist() == [near(0.2), near(0.2)]
    assert share["sd"].tolist() == [near(math.sqrt(0.2)), near(math.sqrt(0.2))]
    half = stats.t.ppf(0.975, 4) * math.sqrt(0.8 / 5)
    assert (net["ci_low"][1], net["ci_high"][1]) == (near(0.6 - half), near(0.6 + half))


def test_fewer_than_min_n_is_null_with_a_reason_never_zero() -> None:
    sums = sums_frame({(0, "public"): [0.1, 0.2, 0.3], (2, "public"): PUBLIC})
    frame = voice_series(sums, days(3), voice="public", options=SeriesOptions())
    assert frame["n"].tolist() == [3, 0, 6]
    assert frame["null_reason"].tolist() == ["fewer than 5 documents (3)", "no documents", None]
    for column in ("value", "sd", "ci_low", "ci_high"):
        assert frame[column][:2].isna().all()
        assert np.isfinite(frame[column][2])


def test_a_single_document_has_a_value_but_no_sd_or_ci() -> None:
    sums = sums_frame({(0, "public"): [0.4]})
    row = voice_series(sums, days(1), voice="public", options=SeriesOptions(min_n=1)).iloc[0]
    assert row["n"] == 1
    assert row["value"] == near(0.4)
    assert math.isnan(row["sd"]) and math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])
    assert row["null_reason"] == "only 1 document: no standard deviation or CI"


def test_identical_scores_give_an_sd_of_exactly_zero() -> None:
    row = voice_series(
        sums_frame({(0, "public"): [0.3] * 7}), days(1), voice="public", options=SeriesOptions()
    ).iloc[0]
    assert row["sd"] == 0.0
    assert row["ci_low"] == row["ci_high"] == near(0.3)


def test_smoothing_pools_documents_rather_than_averaging_means() -> None:
    a, b, c = [0.9, 0.7], [0.1, -0.1, 0.0, 0.2], [-0.4, -0.6]
    sums = sums_frame({(0, "public"): a, (1, "public"): b, (2, "public"): c})
    frame = voice_series(sums, days(3), voice="public", options=SeriesOptions(min_n=2, smooth=2))
    for i, pooled in enumerate([a, a + b, b + c]):
        assert frame["n"][i] == len(pooled)
        assert frame["value"][i] == near(float(np.mean(pooled)))
        assert frame["sd"][i] == near(float(np.std(pooled, ddof=1)))
    # Period 1 pools 6 documents: (0.9 + 0.7 + 0.1 − 0.1 + 0 + 0.2) / 6 = 0.3, not (0.8 + 0.05) / 2.
    assert frame["value"][1] == near(0.3)


def test_smoothing_window_applies_min_n_to_the_pooled_count() -> None:
    sums = sums_frame({(0, "public"): [0.1, 0.2, 0.3], (1, "public"): [0.4, 0.5]})
    frame = voice_series(sums, days(3), voice="public", options=SeriesOptions(smooth=2))
    assert frame["n"].tolist() == [3, 5, 2]
    assert frame["null_reason"].tolist() == [
        "fewer than 5 documents (3)",
        None,
        "fewer than 5 documents (2)",
    ]
    assert frame["value"][1] == near(0.3)


def test_engagement_weighting() -> None:
    # Σw = 10, Σwy = 0.5 − 1.5 + 1.2 = 0.2, Σwy² = 0.25 + 0.75 + 0.24 = 1.24, Σw² = 46.
    docs = [(0.5, 1), (-0.5, 3), (0.2, 6)]
    mean = 0.2 / 10
    n_eff = 100 / 46
    var = (1.24 / 10 - mean**2) * n_eff / (n_eff - 1)  # = 0.1236 · 100 / 54
    half = stats.t.ppf(0.975, n_eff - 1) * math.sqrt(var / n_eff)
    sums = sums_frame({(0, "public"): docs})
    row = voice_series(
        sums, days(1), voice="public", options=SeriesOptions(min_n=2, weighted=True)
    ).iloc[0]
    assert var == near(0.1236 * 100 / 54)
    assert row["n"] == 3 and row["n_eff"] == near(n_eff)
    assert row["value"] == near(0.02)
    assert row["sd"] == near(math.sqrt(var))
    assert (row["ci_low"], row["ci_high"]) == (near(mean - half), near(mean + half))
    unweighted = voice_series(sums, days(1), voice="public", options=SeriesOptions(min_n=3))
    assert unweighted["value"][0] == near(0.2 / 3)


def test_one_viral_post_among_many_leaves_about_one_effective_document() -> None:
    # 12 posts of weight 1 and one of weight 5,001: n_eff = 5,013² / (12 + 5,001²) ≈ 1.005.
    docs = [(0.1, 1)] * 12 + [(0.9, 5_001)]
    sums = sums_frame({(0, "public"): docs})
    n_eff = 5_013**2 / (12 + 5_001**2)

    def row(min_n: int) -> pd.Series:
        options = SeriesOptions(min_n=min_n, weighted=True)
        return voice_series(sums, days(1), voice="public", options=options).iloc[0]

    strict, loose = row(5), row(1)
    assert strict["n"] == 13 and strict["n_eff"] == near(n_eff)
    assert math.isnan(strict["value"])  # 13 documents, but min_n applies to the effective n
    assert strict["null_reason"] == "effective n 1.00 below 5 (13 documents, a few weigh most)"
    # With min_n = 1 the mean stands, but an interval on 0.005 degrees of freedom would run
    # to ±10¹⁰: there is none, and the reason says why.
    assert loose["value"] == near((12 * 0.1 + 5_001 * 0.9) / 5_013)
    assert math.isnan(loose["sd"]) and math.isnan(loose["ci_low"]) and math.isnan(loose["ci_high"])
    assert loose["null_reason"] == (
        "effective n 1.00: too few for a CI (13 documents, a few weigh most)"
    )


def test_weighted_min_n_counts_documents_not_weight() -> None:
    sums = sums_frame({(0, "public"): [(0.5, 100), (0.1, 100)]})
    row = voice_series(sums, days(1), voice="public", options=SeriesOptions(weighted=True)).iloc[0]
    assert row["null_reason"] == "fewer than 5 documents (2)"


def test_weighted_net_and_negative_share() -> None:
    # Weights 2, 3, 5 on a positive, a negative and a neutral document.
    sums = sums_frame({(0, "public"): [(0.6, 2), (-0.6, 3), (0.01, 5)]})
    net = voice_series(
        sums, days(1), voice="public", options=SeriesOptions(metric="net", min_n=2, weighted=True)
    )
    share = voice_series(
        sums,
        days(1),
        voice="public",
        options=SeriesOptions(metric="negative_share", min_n=2, weighted=True),
    )  # n_eff = 100 / 38 ≈ 2.6
    assert net["value"][0] == near((2 - 3) / 10)
    assert share["value"][0] == near(3 / 10)
    n_eff = 100 / 38
    var_net = (5 / 10 - 0.01) * n_eff / (n_eff - 1)
    assert net["sd"][0] == near(math.sqrt(var_net))


def test_ravine_is_corporate_minus_public_with_a_welch_ci() -> None:
    sums = sums_frame({(0, "corporate"): CORPORATE, (0, "public"): PUBLIC})
    row = ravine_series(sums, days(1), options=SeriesOptions()).iloc[0]
    se_c, se_p = 0.58 / 4 / 5, 0.35875 / 5 / 6  # squared standard errors
    df = (se_c + se_p) ** 2 / (se_c**2 / 4 + se_p**2 / 5)
    half = stats.t.ppf(0.975, df) * math.sqrt(se_c + se_p)
    assert row["ravine"] == near(0.375)
    assert (row["ravine_ci_low"], row["ravine_ci_high"]) == (near(0.375 - half), near(0.375 + half))
    welch = stats.ttest_ind(CORPORATE, PUBLIC, equal_var=False).confidence_interval(0.95)
    assert (row["ravine_ci_low"], row["ravine_ci_high"]) == (near(welch.low), near(welch.high))
    assert row["corporate_value"] == near(0.3) and row["public_value"] == near(-0.075)
    assert row["ravine_null_reason"] is None


def test_ravine_columns() -> None:
    frame = ravine_series(sums_frame({}), days(2), options=SeriesOptions())
    stat = ["n", "n_eff", "deff", "value", "sd", "ci_low", "ci_high", "null_reason"]
    assert list(frame.columns) == [
        "label",
        "start",
        *(f"corporate_{c}" for c in stat),
        *(f"public_{c}" for c in stat),
        "ravine",
        "ravine_ci_low",
        "ravine_ci_high",
        "ravine_null_reason",
        "effect_size",
        "effect_size_null_reason",
    ]
    assert len(frame) == 2


def test_ravine_is_null_when_either_voice_is_null() -> None:
    sums = sums_frame(
        {
            (0, "corporate"): CORPORATE,
            (0, "public"): [0.1, 0.2, 0.3],
            (1, "public"): PUBLIC,
            (2, "corporate"): [0.2],
            (2, "public"): PUBLIC,
        }
    )
    frame = ravine_series(sums, days(4), options=SeriesOptions(min_n=1))
    assert frame["ravine"][0] == near(0.3 - 0.2)
    frame = ravine_series(sums, days(4), options=SeriesOptions())
    assert frame["ravine"].isna().all()
    assert frame["ravine_null_reason"].tolist() == [
        "public: fewer than 5 documents (3)",
        "corporate: no documents",
        "corporate: fewer than 5 documents (1)",
        "corporate: no documents; public: no documents",
    ]


def test_ravine_of_a_single_document_has_no_ci() -> None:
    sums = sums_frame({(0, "corporate"): [0.2], (0, "public"): PUBLIC})
    row = ravine_series(sums, days(1), options=SeriesOptions(min_n=1)).iloc[0]
    assert row["ravine"] == near(0.275)
    assert math.isnan(row["ravine_ci_low"]) and math.isnan(row["ravine_ci_high"])
    assert row["ravine_null_reason"] == "corporate: only 1 document: no standard deviation or CI"


def test_ravine_of_two_constant_voices_has_a_zero_width_ci() -> None:
    sums = sums_frame({(0, "corporate"): [0.2] * 5, (0, "public"): [-0.1] * 5})
    row = ravine_series(sums, days(1), options=SeriesOptions()).iloc[0]
    assert row["ravine"] == row["ravine_ci_low"] == row["ravine_ci_high"] == near(0.3)


def test_duplicate_rows_for_a_period_are_summed() -> None:
    sums = pd.concat(
        [sums_frame({(0, "public"): PUBLIC[:3]}), sums_frame({(0, "public"): PUBLIC[3:]})]
    )
    row = voice_series(sums, days(1), voice="public", options=SeriesOptions()).iloc[0]
    assert row["n"] == 6
    assert row["value"] == near(-0.075)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"smooth": 0}, "smooth is 0"),
        ({"min_n": 0}, "min_n is 0"),
        ({"metric": "median"}, "unknown metric 'median': use one of compound, net, negative_share"),
    ],
)
def test_invalid_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(AnalyticsError, match=message):
        SeriesOptions(**kwargs)


def test_unknown_voice_is_an_error() -> None:
    with pytest.raises(AnalyticsError, match="unknown voice 'press'"):
        voice_series(sums_frame({}), days(1), voice="press", options=SeriesOptions())


def test_malformed_sums_frames_are_rejected() -> None:
    with pytest.raises(ValueError, match="lacks columns"):
        voice_series(
            pd.DataFrame({"period": [0], "voice": ["public"]}),
            days(1),
            voice="public",
            options=SeriesOptions(),
        )
    with pytest.raises(ValueError, match=r"outside 0\.\.1"):
        voice_series(
            sums_frame({(2, "public"): PUBLIC}), days(2), voice="public", options=SeriesOptions()
        )
