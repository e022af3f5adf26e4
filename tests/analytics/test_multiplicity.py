"""Benjamini–Hochberg q-values by hand and against SciPy, p-values that agree with the CIs
they belong to, and reactions flagged as discoveries over the statements of an answer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from ravine.analytics import FDR, discoveries, q_values
from ravine.analytics.significance import t_p_value
from tests.analytics.builders import near
from tests.analytics.test_reactions import AFTER, BEFORE, DOCS, react

NAN = math.nan


def test_q_values_by_hand() -> None:
    # m = 4 tests, sorted p .01, .02, .03, .5: p · m / rank = .04, .04, .04, .5; a later
    # smaller value caps the earlier ones (step-up).
    q = q_values(np.array([0.03, 0.5, 0.01, 0.02]))
    assert q.tolist() == [near(0.04), near(0.5), near(0.04), near(0.04)]
    q = q_values(np.array([0.01, 0.04, 0.045]))  # .03, .06, .045: the .06 is capped to .045
    assert q.tolist() == [near(0.03), near(0.045), near(0.045)]


def test_untested_rows_stay_null_and_are_not_in_the_family() -> None:
    q = q_values(np.array([NAN, 0.01, NAN, 0.04]))
    assert np.isnan(q[[0, 2]]).all()
    assert q[[1, 3]].tolist() == [near(0.02), near(0.04)]  # m = 2, not 4
    assert discoveries(q) == [None, True, None, True]
    assert q_values(np.array([NAN, NAN])).tolist() == [pytest.approx(NAN, nan_ok=True)] * 2
    assert q_values(np.array([])).tolist() == []


@pytest.mark.parametrize("seed", range(5))
def test_q_values_equal_scipys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(size=40), rng.uniform(0, 0.002, size=10)])
    assert q_values(p) == pytest.approx(stats.false_discovery_control(p, method="bh"))
    assert FDR == 0.05
    assert sum(bool(flag) for flag in discoveries(q_values(p))) >= 10


def test_a_p_value_is_at_most_0_05_exactly_when_its_ci_leaves_0_out() -> None:
    rng = np.random.default_rng(1)
    estimate, se = rng.normal(size=400), rng.uniform(0.1, 1, 400)
    df = rng.uniform(1, 50, 400)
    p = t_p_value(estimate, se, df)
    half = stats.t.ppf(0.975, df) * se
    assert ((p <= 0.05) == (np.abs(estimate) >= half)).all()
    # No spread: the CI is the estimate itself.
    zero = t_p_value(np.array([0.3, 0.0, NAN]), np.array([0.0, 0.0, 0.2]), np.array([NAN] * 3))
    assert zero[:2].tolist() == [0.0, 1.0] and math.isnan(zero[2])


def test_reactions_carry_welchs_p_and_bh_over_the_statements_given() -> None:
    # Three statements: the first at 03-01 10:30 (before .2, after −.2, as in test_reactions),
    # two with no documents around them.
    frame = react(DOCS, "2025-03-01 10:30", "2025-06-01 10:00", "2025-07-01 10:00",
                  window_days=1, min_n=3)  # fmt: skip
    welch = stats.ttest_ind(AFTER, BEFORE, equal_var=False)
    assert frame["p_value"][0] == near(welch.pvalue)
    assert frame["q_value"][0] == near(welch.pvalue)  # the only test in the family
    assert frame["discovery"].tolist() == [welch.pvalue <= 0.05, None, None]
    assert np.isnan(frame["p_value"][1:]).all() and np.isnan(frame["q_value"][1:]).all()
    low, high = frame["change_ci_low"][0], frame["change_ci_high"][0]
    assert (frame["p_value"][0] <= 0.05) == (high < 0 or low > 0)
