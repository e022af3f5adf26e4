"""The baseline-normalised view: each voice as a z-score against its own trailing baseline.

A habitually upbeat corporate voice would otherwise read as a permanent ravine; against its
own baseline it only stands out when it changes.
"""

from __future__ import annotations

from dataclasses import replace
from math import ceil

import numpy as np
import pandas as pd

from ravine.analytics.clusters import INDEPENDENT
from ravine.analytics.errors import AnalyticsError
from ravine.analytics.options import SeriesOptions, rosier
from ravine.analytics.periods import NOMINAL_DAYS, Periods
from ravine.analytics.series import Clusterings, period_columns, stat_columns, voice_moments
from ravine.analytics.stats import (
    Floats,
    Reasons,
    VoiceStats,
    describe,
    joined_reasons,
    reason_column,
)
from ravine.analytics.sums import VOICES, PeriodSums, rolling_bounds, trailing_bounds

RAVINE_CI_REASON = (
    "no CI for a difference of z-scores: each divides by an estimated baseline sd, "
    "so Welch's CI does not apply"
)
EFFECT_SIZE_REASON = (
    "no effect size for a difference of z-scores: each is already in units of its own baseline sd"
)


def baseline_series(
    sums: PeriodSums,
    periods: Periods,
    *,
    options: SeriesOptions,
    baseline_days: int = 90,
    clustering: Clusterings | None = None,
) -> pd.DataFrame:
    """The columns of ``ravine_series``, with each voice as a z-score against its baseline.

    A voice's baseline for a period is its pooled documents over the ceil(baseline_days / L)
    periods (L = 1 for days, 7 for weeks, 30 for months) just before the documents the period's
    value uses: before the period itself, or before its whole smoothing window when smooth > 1,
    so a value is never compared with itself. Only the periods in ``periods`` count, so request
    periods from ``baseline_days`` earlier and drop the leading rows for full baselines.

    - ``value`` z = (mean − baseline mean) / baseline sd, the baseline sd being the per-document
      sd of the pooled window (so z is in units of one document's typical spread);
    - ``sd`` = the period's sd / baseline sd; ``ci_low``/``ci_high`` = the period mean's 95% CI
      on the same scale, treating the baseline as known, and allowing for repeat authors as
      ``clustering`` estimates (as in :func:`ravine_series`);
    - null with a reason when the period is null, the baseline has fewer than ``min_n``
      documents, or the baseline sd is 0.

    ``ravine`` = z_corporate − z_public, or z_public − z_corporate where higher is gloomier (as
    in :func:`ravine_series`, positive when the company sounds rosier). Its CI columns are
    always null (see :data:`RAVINE_CI_REASON`); ``ravine_null_reason`` gives that reason, or the
    voices' reasons when the ravine itself is null. ``effect_size`` is always null too, with
    :data:`EFFECT_SIZE_REASON` or the voices' reasons.
    """
    if baseline_days < 1:
        raise AnalyticsError(f"baseline_days is {baseline_days}: use 1 or more days")
    count = len(periods.starts)
    length = ceil(baseline_days / NOMINAL_DAYS[periods.freq])
    lo, hi = rolling_bounds(count, options.smooth)
    base_lo, base_hi = trailing_bounds(count, k=options.smooth, length=length)
    columns: dict[str, object] = {}
    voices: dict[str, VoiceStats] = {}
    found = clustering or {}
    for voice in VOICES:
        m = voice_moments(sums, periods, voice=voice, options=options)
        now = describe(
            m.pool(lo, hi), min_n=options.min_n, clustering=found.get(voice, INDEPENDENT)
        )
        base = describe(m.pool(base_lo, base_hi), min_n=options.min_n)
        voices[voice] = standardise(now, base)
        columns.update(stat_columns(voices[voice], f"{voice}_"))
    first, second = rosier(options.metric, voices["corporate"], voices["public"])
    ravine = first.value - second.value
    voice_reasons = joined_reasons({v: s.reason for v, s in voices.items()})
    reasons = _unless_null(ravine, RAVINE_CI_REASON, voice_reasons)
    return pd.DataFrame(
        {
            **period_columns(periods),
            **columns,
            "ravine": ravine,
            "ravine_ci_low": np.full(count, np.nan),
            "ravine_ci_high": np.full(count, np.nan),
            "ravine_null_reason": reason_column(reasons),
            "effect_size": np.full(count, np.nan),
            "effect_size_null_reason": reason_column(
                _unless_null(ravine, EFFECT_SIZE_REASON, voice_reasons)
            ),
        }
    )


def _unless_null(ravine: Floats, reason: str, voice_reasons: Reasons) -> Reasons:
    """``reason`` where the ravine has a value, else the voices' reasons for its having none."""
    return [reason if np.isfinite(r) else why for r, why in zip(ravine, voice_reasons, strict=True)]


def standardise(now: VoiceStats, base: VoiceStats) -> VoiceStats:
    """``now`` on the z scale of ``base``, row by row; NaN with a reason where undefined."""
    usable = np.isfinite(base.sd) & (base.sd > 0)
    mean = np.where(usable, base.value, np.nan)
    sd = np.where(usable, base.sd, np.nan)
    reasons: Reasons = []
    for i, ok in enumerate(usable):
        if not np.isfinite(now.value[i]) or ok:
            reasons.append(now.reason[i])
        elif base.reason[i]:
            reasons.append(f"baseline: {base.reason[i]}")
        else:
            reasons.append(f"baseline: sd is 0 (all {base.n[i]:,} documents score the same)")
    nan = np.full(len(usable), np.nan)
    return replace(
        now,
        value=(now.value - mean) / sd,
        sd=now.sd / sd,
        se2=nan,
        df=nan,
        ci_low=(now.ci_low - mean) / sd,
        ci_high=(now.ci_high - mean) / sd,
        reason=reasons,
    )
