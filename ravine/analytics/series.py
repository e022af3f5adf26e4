"""Per-voice series and the ravine series (how much rosier the company sounds than its public)
over a list of periods."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ravine.analytics.clusters import INDEPENDENT, Clustering
from ravine.analytics.effect_size import effect_sizes
from ravine.analytics.errors import AnalyticsError
from ravine.analytics.options import SeriesOptions, rosier
from ravine.analytics.periods import Periods
from ravine.analytics.stats import VoiceStats, describe, joined_reasons, reason_column, welch
from ravine.analytics.sums import VOICES, Moments, PeriodSums, moments, period_block, rolling_bounds

STAT_COLUMNS = ("n", "n_eff", "deff", "value", "sd", "ci_low", "ci_high", "null_reason")
Clusterings = Mapping[str, Clustering]
"""Each voice's clustering estimate (:func:`ravine.analytics.clusters.estimate`); a voice
missing from it is taken as independent documents."""


def voice_moments(
    sums: PeriodSums, periods: Periods, *, voice: str, options: SeriesOptions
) -> Moments:
    """One voice's unsmoothed per-period moments of the chosen metric and weighting."""
    if voice not in VOICES:
        raise AnalyticsError(f"unknown voice {voice!r}: use corporate or public")
    block = period_block(sums, voice=voice, count=len(periods.starts))
    return moments(block, metric=options.metric, weighted=options.weighted)


def voice_stats(
    sums: PeriodSums,
    periods: Periods,
    *,
    voice: str,
    options: SeriesOptions,
    clustering: Clustering = INDEPENDENT,
) -> VoiceStats:
    """Statistics of each period's smoothing window (the period itself when smooth = 1)."""
    m = voice_moments(sums, periods, voice=voice, options=options)
    lo, hi = rolling_bounds(len(periods.starts), options.smooth)
    return describe(m.pool(lo, hi), min_n=options.min_n, clustering=clustering)


def period_columns(periods: Periods) -> dict[str, object]:
    """The label and UTC start of every period, the two leading columns of each series."""
    starts = [start for start, _ in periods.utc_bounds()]
    return {"label": list(periods.labels), "start": pd.DatetimeIndex(starts)}


def stat_columns(s: VoiceStats, prefix: str = "") -> dict[str, object]:
    """``n, n_eff, deff, value, sd, ci_low, ci_high, null_reason``, optionally prefixed
    ("public_")."""
    values = (s.n, s.n_eff, s.deff, s.value, s.sd, s.ci_low, s.ci_high, reason_column(s.reason))
    return {prefix + name: v for name, v in zip(STAT_COLUMNS, values, strict=True)}


def voice_series(
    sums: PeriodSums,
    periods: Periods,
    *,
    voice: str,
    options: SeriesOptions,
    clustering: Clustering = INDEPENDENT,
) -> pd.DataFrame:
    """One row per period, in order: label, start (UTC), n, n_eff, deff, value, sd, ci_low,
    ci_high, null_reason.

    ``value`` is the mean of the metric's per-document y (see ``Metric``), ``sd`` the sample
    standard deviation (n − 1) of y and [ci_low, ci_high] the 95% CI of the mean with Student t
    on n − 1 degrees of freedom, widened by the design effect ``deff`` of ``clustering`` (1
    for independent documents). With fewer than ``min_n`` documents value, sd and CI are NaN
    and ``null_reason`` says why ("fewer than 5 documents (3)", "no documents"); a single
    document has a value but no sd or CI. ``null_reason`` is None when nothing is null.
    """
    stats = voice_stats(sums, periods, voice=voice, options=options, clustering=clustering)
    return pd.DataFrame({**period_columns(periods), **stat_columns(stats)})


def ravine_series(
    sums: PeriodSums,
    periods: Periods,
    *,
    options: SeriesOptions,
    clustering: Clusterings | None = None,
) -> pd.DataFrame:
    """One row per period: label, start, corporate_* and public_* (as in :func:`voice_series`),
    ravine, ravine_ci_low, ravine_ci_high, ravine_null_reason, effect_size,
    effect_size_null_reason.

    The ravine is how much rosier the company sounds than its public, for every metric:
    corporate − public where higher is rosier (compound, net), public − corporate where higher
    is gloomier (negative_share); positive when the company sounds rosier. Its 95% CI is
    Welch's, with Welch–Satterthwaite degrees of freedom, so the two voices may differ in spread
    and size, each voice's standard error allowing for its repeat authors as ``clustering``
    estimates (the voices' authors differ, so they are independent). It is null when either
    voice is, and its CI is null when either voice has no CI;
    ``ravine_null_reason`` then quotes the voices' reasons ("corporate: fewer than 5 documents
    (3)"). ``effect_size`` is the ravine in units of the voices' pooled per-document sd
    (:func:`ravine.analytics.effect_size.effect_sizes`), with its own null reason.
    """
    found = clustering or {}
    corporate, public = (
        voice_stats(
            sums, periods, voice=voice, options=options.for_voice(voice),
            clustering=found.get(voice, INDEPENDENT),
        )
        for voice in VOICES
    )  # fmt: skip
    ravine, low, high = welch(*rosier(options.metric, corporate, public))
    reasons = joined_reasons({"corporate": corporate.reason, "public": public.reason})
    effect, effect_reasons = effect_sizes(ravine, corporate.sd, public.sd, reasons)
    return pd.DataFrame(
        {
            **period_columns(periods),
            **stat_columns(corporate, "corporate_"),
            **stat_columns(public, "public_"),
            "ravine": ravine,
            "ravine_ci_low": low,
            "ravine_ci_high": high,
            "ravine_null_reason": reason_column(reasons),
            "effect_size": effect,
            "effect_size_null_reason": reason_column(effect_reasons),
        }
    )
