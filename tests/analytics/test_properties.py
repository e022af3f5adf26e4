"""Property tests: analytics over roll-up sums equals a direct pandas computation on raw rows.

Documents are drawn raw, rolled up per UTC hour with ``rollup.contribution``, summed into
periods as the repository's SQL does (hour rows whose start falls in a period's UTC bounds),
and the results are compared with statistics computed straight from the documents, grouped
by local period. Zones are whole-hour ones, where both ways must agree exactly.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from ravine.analytics import (
    Freq,
    Periods,
    SeriesOptions,
    baseline_series,
    edge_hours,
    make_periods,
    ravine_series,
    reactions,
)
from ravine.rollup import COLUMNS, contribution, engagement_weight

# Each start is two days before a 2025 DST change in New York or London.
STARTS = [datetime(2025, m, d, tzinfo=UTC) for m, d in [(3, 7), (3, 28), (10, 24), (10, 31)]]
SPAN_DAYS = {"day": 6, "week": 30, "month": 45}

scores = st.one_of(
    st.integers(-10_000, 10_000), st.sampled_from([-10_000, -500, -499, 0, 499, 500, 10_000])
)


def documents(days: int) -> st.SearchStrategy[list[tuple[int, int, int, int, int, str]]]:
    """Raw documents: (seconds after the start, compound × 10⁴, likes, reposts, replies, voice)."""
    hours = st.sampled_from(range(days * 24))  # uniform over the span, not crowded at its start
    seconds = st.one_of(st.sampled_from([0, 1, 3599]), st.integers(0, 3599))
    return st.lists(
        st.tuples(
            st.builds(lambda h, s: h * 3600 + s, hours, seconds),
            scores,
            st.integers(0, 40),
            st.integers(0, 5),
            st.integers(0, 3),
            st.sampled_from(["corporate", "public"]),
        ),
        min_size=20,
        max_size=150,
    )


options = st.builds(
    SeriesOptions,
    metric=st.sampled_from(["compound", "net", "negative_share"]),
    min_n=st.integers(1, 4),
    smooth=st.integers(1, 3),
    weighted=st.booleans(),
)
common = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_close(actual: object, expected: object) -> None:
    """Equal to 1e-9 (absolute or relative), with NaN in the same places."""
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=1e-9, atol=1e-9
    )


def raw_frame(drawn: list[tuple[int, int, int, int, int, str]], start: datetime) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "at": pd.to_datetime([start + timedelta(seconds=s) for s, *_ in drawn], utc=True),
            "compound": [d[1] / 10_000 for d in drawn],
            "w": [engagement_weight(*d[2:5]) for d in drawn],
            "voice": [d[5] for d in drawn],
        }
    )


def hourly_sums(raw: pd.DataFrame) -> pd.DataFrame:
    """What the hourly_stats table holds for these documents."""
    totals: dict[tuple[pd.Timestamp, str], list[int]] = {}
    for at, compound, w, voice in raw[["at", "compound", "w", "voice"]].itertuples(index=False):
        part = contribution(compound=compound, weight=int(w))
        key = (at.floor("h"), voice)
        totals[key] = [a + b for a, b in zip(totals.get(key, [0] * len(part)), part, strict=True)]
    rows = [
        {"hour": h, "voice": v, **dict(zip(COLUMNS, s, strict=True))}
        for (h, v), s in totals.items()
    ]
    return pd.DataFrame(rows, columns=["hour", "voice", *COLUMNS])


def period_sums(hourly: pd.DataFrame, periods: Periods) -> pd.DataFrame:
    """The repository's join: hour rows summed per period whose UTC bounds hold the hour start."""
    rows = []
    for i, (lo, hi) in enumerate(periods.utc_bounds()):
        inside = hourly[(hourly["hour"] >= lo) & (hourly["hour"] < hi)]
        for voice, group in inside.groupby("voice"):
            rows.append({"period": i, "voice": voice, **group[list(COLUMNS)].sum().to_dict()})
    return pd.DataFrame(rows, columns=["period", "voice", *COLUMNS])


def local_labels(raw: pd.DataFrame, periods: Periods, tz: str) -> pd.Series:
    local = raw["at"].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    if periods.freq == "week":
        local = local - pd.to_timedelta(local.dt.day_of_week, unit="D")
    labels: pd.Series = local.dt.strftime("%Y-%m" if periods.freq == "month" else "%Y-%m-%d")
    return labels


def y_of(raw: pd.DataFrame, metric: str) -> pd.Series:
    if metric == "compound":
        compound: pd.Series = raw["compound"]
        return compound
    positive, negative = raw["compound"] >= 0.05, raw["compound"] <= -0.05
    if metric == "net":
        return positive.astype(float) - negative.astype(float)
    return negative.astype(float)


def direct(group: pd.DataFrame, *, weighted: bool, min_n: int) -> dict[str, float]:
    """n, mean, sd, 95% t CI, and what Welch needs, straight from the documents."""
    n, y, w = len(group), group["y"].to_numpy(), group["w"].to_numpy(dtype=float)
    out = dict.fromkeys(("value", "sd", "ci_low", "ci_high", "se2", "df"), math.nan)
    out["n"] = n
    if n < min_n or n == 0:
        return out
    if weighted:
        mean = float(np.average(y, weights=w))
        n_eff = w.sum() ** 2 / (w**2).sum()
    else:
        mean, n_eff = float(y.mean()), float(n)
    if n_eff < min_n * (1 - 1e-12):  # a few heavy documents among many count as few
        return out
    out["value"] = mean
    if n_eff < 2:  # under one degree of freedom: no sd, no CI
        return out
    if weighted:
        var = float(np.average((y - mean) ** 2, weights=w)) * n_eff / (n_eff - 1)
    else:
        var = float(group["y"].var(ddof=1))
    out |= {"sd": math.sqrt(var), "se2": var / n_eff, "df": n_eff - 1}
    if var == 0:
        return out | {"ci_low": mean, "ci_high": mean}
    low, high = stats.t.interval(0.95, n_eff - 1, loc=mean, scale=math.sqrt(var / n_eff))
    return out | {"ci_low": low, "ci_high": high}


CI_KEYS = ("value", "ci_low", "ci_high")


def direct_welch(a: dict[str, float], b: dict[str, float]) -> tuple[float, float]:
    se2 = a["se2"] + b["se2"]
    if math.isnan(se2):
        return math.nan, math.nan
    if se2 == 0:
        return a["value"] - b["value"], a["value"] - b["value"]
    df = se2**2 / (a["se2"] ** 2 / a["df"] + b["se2"] ** 2 / b["df"])
    return stats.t.interval(0.95, df, loc=a["value"] - b["value"], scale=math.sqrt(se2))


def scenario(
    drawn: list[tuple[int, int, int, int, int, str]], start: datetime, freq: Freq, tz: str
) -> tuple[pd.DataFrame, Periods, pd.DataFrame]:
    """Raw rows with their local period labels, the periods, and the period sums."""
    raw = raw_frame(drawn, start)
    since = start.date() - timedelta(days=1)
    until = start.date() + timedelta(days=SPAN_DAYS[freq] - 2)
    periods = make_periods(since=since, until=until, freq=freq, tz=tz)
    raw["label"] = local_labels(raw, periods, tz)
    return raw, periods, period_sums(hourly_sums(raw), periods)


@common
@given(
    data=st.data(),
    start=st.sampled_from(STARTS),
    freq=st.sampled_from(["day", "week", "month"]),
    tz=st.sampled_from(["UTC", "America/New_York", "Europe/London"]),
    opts=options,
)
def test_ravine_series_matches_pandas_on_raw_documents(
    data: st.DataObject, start: datetime, freq: Freq, tz: str, opts: SeriesOptions
) -> None:
    drawn = data.draw(documents(SPAN_DAYS[freq]))
    raw, periods, sums = scenario(drawn, start, freq, tz)
    raw["y"] = y_of(raw, opts.metric)
    frame = ravine_series(sums, periods, options=opts)
    expected: dict[str, list[float]] = {}
    for i in range(len(periods.labels)):
        window = periods.labels[max(0, i - opts.smooth + 1) : i + 1]
        pooled = raw[raw["label"].isin(window)]
        side = {
            v: direct(pooled[pooled["voice"] == v], weighted=opts.weighted, min_n=opts.min_n)
            for v in ("corporate", "public")
        }
        for voice, direct_values in side.items():
            for key in ("n", "value", "sd", "ci_low", "ci_high"):
                expected.setdefault(f"{voice}_{key}", []).append(direct_values[key])
        # how much rosier the company sounds: public − corporate where higher is gloomier
        first, second = (
            (side["public"], side["corporate"])
            if opts.metric == "negative_share"
            else (side["corporate"], side["public"])
        )
        low, high = direct_welch(first, second)
        expected.setdefault("ravine", []).append(first["value"] - second["value"])
        expected.setdefault("ravine_ci_low", []).append(low)
        expected.setdefault("ravine_ci_high", []).append(high)
    assert frame["label"].tolist() == periods.labels
    for column, values in expected.items():
        assert_close(frame[column], values)
    for prefix in ("corporate_", "public_"):  # a reason exactly where something is null
        assert (frame[f"{prefix}null_reason"].isna() == frame[f"{prefix}sd"].notna()).all()
    assert (frame["ravine_null_reason"].isna() == frame["ravine_ci_low"].notna()).all()


@common
@given(drawn=documents(6), start=st.sampled_from(STARTS), opts=options, days=st.integers(1, 3))
def test_baseline_series_matches_pandas_on_raw_documents(
    drawn: list[tuple[int, int, int, int, int, str]],
    start: datetime,
    opts: SeriesOptions,
    days: int,
) -> None:
    raw, periods, sums = scenario(drawn, start, "day", "America/New_York")
    raw["y"] = y_of(raw, opts.metric)
    frame = baseline_series(sums, periods, options=opts, baseline_days=days)
    for voice in ("corporate", "public"):
        mine = raw[raw["voice"] == voice]
        expected = []
        for i in range(len(periods.labels)):
            first = max(0, i - opts.smooth + 1)
            now = direct(
                mine[mine["label"].isin(periods.labels[first : i + 1])],
                weighted=opts.weighted,
                min_n=opts.min_n,
            )
            base = direct(
                mine[mine["label"].isin(periods.labels[max(0, first - days) : first])],
                weighted=opts.weighted,
                min_n=opts.min_n,
            )
            # Equal scores have sd 0 exactly (Ravine's sums are exact); pandas's float
            # arithmetic can leave ~1e-17 there, which is 0 too.
            z = (now["value"] - base["value"]) / base["sd"] if base["sd"] > 1e-12 else math.nan
            expected.append(z)
        assert_close(frame[f"{voice}_value"], expected)


@common
@given(
    drawn=documents(6),
    moments=st.lists(
        st.one_of(st.integers(0, 6 * 86_400), st.integers(0, 6 * 48).map(lambda h: h * 1800)),
        min_size=1,
        max_size=5,
    ),
    window=st.sampled_from([0.5, 1.0, 3.0, 2.25]),
    weighted=st.booleans(),
    min_n=st.integers(1, 4),
)
def test_reactions_match_pandas_on_raw_documents(
    drawn: list[tuple[int, int, int, int, int, str]],
    moments: list[int],
    window: float,
    weighted: bool,
    min_n: int,
) -> None:
    start = STARTS[0]
    raw = raw_frame(drawn, start)
    raw["y"] = raw["compound"]
    raw["hour"] = raw["at"].dt.floor("h")
    published = pd.to_datetime([start + timedelta(seconds=s) for s in moments], utc=True)
    said = pd.DataFrame({"id": range(len(moments)), "published_at": published, "title": "t"})
    public = raw[raw["voice"] == "public"]
    # Only the documents of the hours a side partly covers are read one by one.
    edges = public[public["hour"].isin(edge_hours(published, window_days=window))]
    parts = [
        contribution(compound=c, weight=int(weight))
        for c, weight in zip(edges["compound"], edges["w"], strict=True)
    ]
    documents = pd.DataFrame(parts, columns=list(COLUMNS), dtype="int64")
    documents.insert(0, "published_at", edges["at"].to_numpy())
    frame = reactions(
        hourly_sums(raw), documents, said, window_days=window, min_n=min_n, weighted=weighted
    )
    w = pd.Timedelta(days=window)
    for i, t in enumerate(published):
        before = direct(
            public[(public["at"] >= t - w) & (public["at"] < t)], weighted=weighted, min_n=min_n
        )
        after = direct(
            public[(public["at"] >= t) & (public["at"] < t + w)], weighted=weighted, min_n=min_n
        )
        low, high = direct_welch(after, before)
        row = frame.iloc[i]
        assert (row["before_n"], row["after_n"]) == (before["n"], after["n"])
        sides = [row[f"{side}_{key}"] for side in ("before", "after") for key in CI_KEYS]
        assert_close(
            [*sides, row["change_ci_low"], row["change_ci_high"]],
            [*(found[key] for found in (before, after) for key in CI_KEYS), low, high],
        )


def test_start_dates_cover_both_dst_changes() -> None:
    """The daily scenarios include the 2025 spring and autumn changes in New York and London."""
    changes = [date(2025, 3, 9), date(2025, 3, 30), date(2025, 10, 26), date(2025, 11, 2)]
    for change in changes:
        assert any(
            s.date() < change < (s + timedelta(days=SPAN_DAYS["day"] - 2)).date() for s in STARTS
        )
