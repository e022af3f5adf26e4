"""The alert detectors: hand-built series with known answers, numpy oracles for the band and
baseline, false-alarm rates on flat noise, and invariance under a change of scale."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ravine.analytics.alerts import Finding, band_breaks, change_points, volume_spikes
from ravine.analytics.errors import AnalyticsError
from ravine.analytics.stats import Floats

START = date(2025, 1, 1)
SD = 0.05
HALF_CI = 1.96 * SD
"""A CI as wide as a day's sampling noise: what a ravine made only of sampling noise has."""


def span(n: int) -> list[date]:
    return [START + timedelta(days=i) for i in range(n)]


def noise(seed: int, n: int = 365) -> Floats:
    return np.random.default_rng(seed).normal(0.3, SD, n)


def cis(x: Floats) -> tuple[Floats, Floats]:
    return x - HALF_CI, x + HALF_CI


def alternating(n: int, low: float, high: float) -> Floats:
    """low, high, low, …: a baseline with an exact mean (low + high) / 2 and a known sd."""
    return np.where(np.arange(n) % 2 == 0, low, high).astype(np.float64)


def at(day: int) -> date:
    return START + timedelta(days=day)


# ---- flat noise -------------------------------------------------------------------------------


def test_flat_noise_rings_about_as_often_as_documented() -> None:
    """A year of flat noise rings each detector about once (so one seeded year with no
    finding would prove little): over 40 years the rates are those the module documents."""
    days = span(365)
    checked = bands = cusums = 0
    for seed in range(40):
        x = noise(seed)
        bands += len(band_breaks(days, x, *cis(x)))
        cusums += len(change_points(days, x))
        checked += 365 - 30
    assert 0.0015 < bands / checked < 0.008
    assert 150 < checked / cusums < 500


def test_a_flat_year_with_wide_cis_breaks_no_band() -> None:
    """Days outside the band by chance are days whose CI reaches back to the mean."""
    x = noise(0)
    days = span(365)
    assert band_breaks(days, x, x - 4 * SD, x + 4 * SD) == []
    assert band_breaks(days, x, *cis(x)) != []


# ---- steps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sign", "direction"), [(1, "up"), (-1, "down")])
def test_a_4_sd_step_is_a_change_point_and_a_band_break(sign: int, direction: str) -> None:
    x = noise(3)
    x[200:] += sign * 4 * SD
    days = span(365)

    alarm = next(f for f in change_points(days, x) if f.day >= at(200))
    assert alarm.kind == "change_point"
    assert alarm.day <= at(203)
    assert alarm.started is not None
    assert abs((alarm.started - at(200)).days) <= 3
    assert alarm.direction == direction
    assert alarm.score > 5
    began = (alarm.started - START).days
    assert alarm.expected == pytest.approx(x[began - 90 : began].mean())
    assert alarm.value == x[(alarm.day - START).days]

    breaks = [f for f in band_breaks(days, x, *cis(x)) if at(200) <= f.day <= at(210)]
    assert breaks
    for f in breaks:
        i = (f.day - START).days
        mean, sd = x[i - 90 : i].mean(), x[i - 90 : i].std(ddof=1)
        assert f.direction == direction
        assert (f.expected, f.low, f.high) == pytest.approx((mean, mean - 3 * sd, mean + 3 * sd))
        assert f.score == pytest.approx((x[i] - mean) / sd)
        assert (f.ci_low, f.ci_high) == pytest.approx(cis(x[i : i + 1]))
        if direction == "up":
            assert f.value > f.high and f.ci_low > mean  # type: ignore[operator]
        else:
            assert f.value < f.low and f.ci_high < mean  # type: ignore[operator]


# ---- the band, by hand ------------------------------------------------------------------------


def band_day(value: float, ci_low: float, ci_high: float) -> list[Finding]:
    """90 days alternating 0.00 and 0.20 (mean 0.10, sd 0.1005…), then the day tested."""
    x = np.append(alternating(90, 0.0, 0.2), value)
    lo = np.append(np.full(90, np.nan), ci_low)
    hi = np.append(np.full(90, np.nan), ci_high)
    return band_breaks(span(91), x, lo, hi)


def test_a_band_break_by_hand() -> None:
    (found,) = band_day(0.5, 0.45, 0.55)
    sd = 0.1 * math.sqrt(90 / 89)
    assert found.kind == "band"
    assert (found.day, found.started, found.direction) == (at(90), None, "up")
    assert (found.value, found.ci_low, found.ci_high) == (0.5, 0.45, 0.55)
    assert (found.expected, found.low, found.high) == pytest.approx(
        (0.1, 0.1 - 3 * sd, 0.1 + 3 * sd)
    )
    assert found.score == pytest.approx(0.4 / sd)
    assert found.detail == (
        "the ravine was +0.50 (95% CI +0.45 to +0.55), outside its 90-day band +0.10 ± 3 sd "
        "(−0.20 to +0.40)"
    )


def test_a_band_break_down_by_hand() -> None:
    (found,) = band_day(-0.3, -0.35, -0.25)
    assert found.direction == "down"
    assert found.detail.startswith("the ravine was −0.30 (95% CI −0.35 to −0.25), outside")


@pytest.mark.parametrize(
    ("value", "ci_low", "ci_high"),
    [
        (0.5, 0.05, 0.95),  # outside the band, but the CI holds the mean 0.10
        (0.5, np.nan, np.nan),  # no CI: noise cannot be told from change
        (0.5, 0.45, np.nan),  # half a CI is none
        (0.35, 0.34, 0.36),  # a narrow CI, but inside the band
        (np.nan, 0.45, 0.55),  # no value
    ],
)
def test_no_band_break(value: float, ci_low: float, ci_high: float) -> None:
    assert band_day(value, ci_low, ci_high) == []


def test_the_band_skips_nan_days_and_needs_min_baseline_values() -> None:
    base = alternating(90, 0.0, 0.2)
    base[::3] = np.nan  # 60 values left, still alternating about 0.10
    x = np.append(base, 0.5)
    lo, hi = np.full(91, np.nan), np.full(91, np.nan)
    lo[90], hi[90] = 0.45, 0.55
    (found,) = band_breaks(span(91), x, lo, hi)
    finite = base[np.isfinite(base)]
    assert (found.expected, found.score) == pytest.approx(
        (finite.mean(), (0.5 - finite.mean()) / finite.std(ddof=1))
    )
    assert band_breaks(span(91), x, lo, hi, min_baseline=61) == []
    assert band_breaks(span(91), x, lo, hi, min_baseline=60) == [found]


def test_a_constant_baseline_has_no_band() -> None:
    x = np.append(np.full(90, 0.1), 0.5)
    lo, hi = x - 0.01, x + 0.01
    assert band_breaks(span(91), x, lo, hi) == []
    assert change_points(span(91), x) == []


# ---- CUSUM, by hand ---------------------------------------------------------------------------

Z = 2 / math.sqrt(90 / 89)
"""A ravine of 2 against 90 days alternating ±1 (mean 0, sd √(90/89))."""


def cusum_series(tail: list[float]) -> Floats:
    """120 days alternating +1, −1 (ending on −1, so S⁺ is 0 before the tail), then ``tail``."""
    return np.append(alternating(120, 1.0, -1.0), tail)


def test_a_cusum_alarm_by_hand() -> None:
    x = cusum_series([2.0] * 6)
    found = change_points(span(len(x)), x)
    # S⁺ adds Z − 0.5 ≈ 1.49 a day: 1.49, 2.98, 4.47, 5.96 > 5 on the fourth day.
    assert found[0].kind == "change_point"
    assert (found[0].day, found[0].started, found[0].direction) == (at(123), at(120), "up")
    assert (found[0].value, found[0].expected) == (2.0, 0.0)
    assert found[0].score == pytest.approx(4 * (Z - 0.5))
    assert (found[0].low, found[0].high, found[0].ci_low, found[0].ci_high) == (None,) * 4
    assert found[0].detail == (
        "the ravine shifted up from its 90-day mean +0.00 around 2025-05-01: +2.00 on "
        "2025-05-04, a CUSUM of 6.0 baseline sds (alarm above 5)"
    )
    assert change_points(span(len(x)), -x)[0].direction == "down"
    assert change_points(span(len(x)), x, threshold=6)[0].day == at(124)
    assert change_points(span(len(x)), x, drift=0)[0].day == at(122)


def test_a_nan_day_neither_fires_nor_resets() -> None:
    x = cusum_series([2.0, np.nan, 2.0, 2.0, 2.0, np.nan])
    (found, *_) = change_points(span(len(x)), x)
    assert (found.day, found.started) == (at(124), at(120))
    assert found.score == pytest.approx(4 * (Z - 0.5))


def test_sums_reset_after_an_alarm() -> None:
    """After the alarm on day 123 both sums restart; day 124's baseline then holds 4 of the
    shifted days, so it is not an alarm on its own."""
    x = cusum_series([2.0] * 5)
    assert [f.day for f in change_points(span(len(x)), x)] == [at(123)]


def test_a_run_keeps_the_baseline_of_its_first_day() -> None:
    """A slow shift of 0.8 sd: the trailing window would absorb it, the run's baseline not."""
    x = np.append(alternating(120, 1.0, -1.0), np.full(60, 0.8))
    (found, *_) = change_points(span(len(x)), x)
    # S⁺ adds 0.8/√(90/89) − 0.5 ≈ 0.2955 a day from day 120: above 5 on the 17th day.
    assert (found.started, found.day, found.expected) == (at(120), at(136), 0.0)
    assert found.score == pytest.approx(17 * (0.8 / math.sqrt(90 / 89) - 0.5))


def test_too_short_a_baseline_finds_nothing() -> None:
    x = np.append(noise(5, 29), 0.3 + 10 * SD)
    lo, hi = cis(x)
    days = span(30)
    assert band_breaks(days, x, lo, hi) == []
    assert change_points(days, x) == []
    assert [f.day for f in band_breaks(days, x, lo, hi, min_baseline=29)] == [at(29)]
    assert [f.day for f in change_points(days, x, min_baseline=29)] == [at(29)]


# ---- volume -----------------------------------------------------------------------------------


def spike(history: list[int], today: int, **options: int) -> list[Finding]:
    counts = np.array([*history, today])
    return volume_spikes(span(len(counts)), counts, **options)


def test_a_volume_spike() -> None:
    (found,) = spike([10] * 28, 50)
    assert found.kind == "volume_spike"
    assert (found.day, found.started, found.direction) == (at(28), None, "up")
    assert (found.value, found.expected, found.score) == (50, 10, 5.0)
    assert (
        found.detail == "50 public documents, 5.0× the median of 10 a day over the 28 days before"
    )
    (big,) = spike([200] * 28, 1234)
    assert big.detail == (
        "1,234 public documents, 6.2× the median of 200 a day over the 28 days before"
    )


def test_no_volume_spike() -> None:
    assert spike([10] * 28, 20) == []  # 2×
    assert spike([2] * 28, 10) == []  # 5×, but below min_documents
    assert spike([0] * 27, 100) == []  # 27 days of history
    assert spike([10] * 28, 29) == []  # just under k × the median


def test_zeros_count_in_the_median() -> None:
    (found,) = spike([0] * 15 + [100] * 13, 30)
    assert (found.expected, found.score) == (0, 30.0)
    assert found.detail == (
        "30 public documents, against a median of 0 a day over the 28 days before"
    )
    assert spike([0] * 14 + [100] * 14, 30) == []  # the median is now 50
    assert spike([0] * 14 + [100] * 14, 150)[0].detail.startswith("150 public documents, 3.0×")


def test_every_spike_in_day_order() -> None:
    counts = np.array([5] * 7 + [40] + [5] * 3 + [60, 0])
    found = volume_spikes(span(len(counts)), counts, window=7)
    assert [(f.day, f.value, f.expected) for f in found] == [(at(7), 40, 5), (at(11), 60, 5)]


def test_an_empty_series_finds_nothing() -> None:
    empty = np.array([], dtype=np.float64)
    assert band_breaks([], empty, empty, empty) == []
    assert change_points([], empty) == []
    assert volume_spikes([], np.array([], dtype=np.int64)) == []


# ---- arguments --------------------------------------------------------------------------------

X = np.full(40, 0.3)
D = span(40)
C = np.full(40, 3)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: band_breaks(D, X, X, X, k=0), "k is 0"),
        (lambda: band_breaks(D, X, X, X, k=-1.0), "k is -1"),
        (lambda: band_breaks(D, X, X, X, k=math.nan), "k is nan"),
        (lambda: band_breaks(D, X, X, X, baseline_days=0), "baseline_days is 0"),
        (lambda: band_breaks(D, X, X, X, min_baseline=1), "min_baseline is 1"),
        (lambda: band_breaks(D, X, X, X, min_baseline=91), "min_baseline is 91"),
        (lambda: band_breaks(D, X[:-1], X, X), "ravine has shape"),
        (lambda: band_breaks(D, X, X.reshape(4, 10), X), "ci_low has shape"),
        (lambda: band_breaks(D, X, X, X[:3]), "ci_high has shape"),
        (lambda: band_breaks([*D[:-1], D[-1] + timedelta(1)], X, X, X), "days jump"),
        (lambda: band_breaks([*D[:20], *D[19:-1]], X, X, X), "days jump"),
        (lambda: change_points(D, X, threshold=0), "threshold is 0"),
        (lambda: change_points(D, X, drift=-0.5), "drift is -0.5"),
        (lambda: change_points(D, X, drift=math.inf), "drift is inf"),
        (lambda: change_points(D, X, min_baseline=100), "min_baseline is 100"),
        (lambda: volume_spikes(D, C, window=0), "window is 0"),
        (lambda: volume_spikes(D, C, k=0), "k is 0"),
        (lambda: volume_spikes(D, C, min_documents=0), "min_documents is 0"),
        (lambda: volume_spikes(D, -C), "whole counts"),
        (lambda: volume_spikes(D, C + 0.5), "whole counts"),
        (lambda: volume_spikes(D, np.append(C[:-1], np.nan)), "whole counts"),
        (lambda: volume_spikes(D, C[:-1]), "public_documents has shape"),
    ],
)
def test_bad_arguments(call: Callable[[], object], match: str) -> None:
    with pytest.raises(AnalyticsError, match=match):
        call()


# ---- invariance -------------------------------------------------------------------------------


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    step=st.floats(-6, 6),
    scale=st.floats(0.1, 10),
    shift=st.floats(-10, 10),
    flip=st.booleans(),
)
def test_a_change_of_scale_moves_no_alarm(
    seed: int, step: float, scale: float, shift: float, flip: bool
) -> None:
    """The ravine's units and zero are conventions (a metric, the baseline view, which voice
    comes first): a·x + c rings on the same days, with the directions swapped when a < 0."""
    x = noise(seed, 250)
    x[150:] += step * SD
    lo, hi = cis(x)
    a = -scale if flip else scale
    y, y_lo, y_hi = a * x + shift, a * lo + shift, a * hi + shift
    if flip:
        y_lo, y_hi = y_hi, y_lo
    days = span(250)

    def seen(found: list[Finding], flipped: bool) -> list[tuple[date, date | None, str]]:
        swap = {"up": "down", "down": "up"} if flipped else {"up": "up", "down": "down"}
        return [(f.day, f.started, swap[f.direction]) for f in found]

    assert seen(band_breaks(days, y, y_lo, y_hi), flip) == seen(band_breaks(days, x, lo, hi), False)
    assert seen(change_points(days, y), flip) == seen(change_points(days, x), False)


def test_days_that_pool_a_week_ring_little_more_than_independent_ones() -> None:
    """A daily ravine pools a week of statements, so neighbouring days move together; scaled
    by the baseline's plain sd the CUSUM rang about 9 times a year on such noise, scaled by
    its long-run sd about 3 (independent days: about 1.5)."""
    n, seeds = 730, 20
    alarms = 0
    for seed in range(seeds):
        white = np.random.default_rng(seed).normal(0.0, 1.0, n + 6)
        pooled = np.convolve(white, np.ones(7) / 7, mode="valid")
        alarms += len(change_points(span(n), pooled))
    assert alarms / seeds / 2 < 4.5


def test_one_shift_rings_once() -> None:
    """After an alarm the shift is the new normal: the level it moved to does not ring again
    and again while the trailing baseline catches up with it."""
    later = 0
    for seed in range(20):
        x = noise(seed, 730)
        x[400:] += 3.0
        found = [(f.day - START).days for f in change_points(span(730), x)]
        assert any(400 <= day < 410 for day in found), found
        later += sum(410 <= day < 490 for day in found)
    assert later <= 3  # by chance, over 20 series of 80 days each
