"""Gap analytics over the roll-up sums: periods, per-voice series, the ravine, baselines,
reaction windows, summaries and their multiplicity control.

Pure computation on pandas frames of exact integer sums (see :mod:`ravine.rollup`); the
repository does the SQL, the API and dashboard quote the definitions in these docstrings.
Nothing here imports a database or web framework.
"""

from ravine.analytics.baseline import baseline_series
from ravine.analytics.errors import AnalyticsError
from ravine.analytics.multiplicity import FDR, discoveries, q_values
from ravine.analytics.options import (
    METRIC_INFO,
    Direction,
    Metric,
    MetricInfo,
    SeriesOptions,
    metric_info,
)
from ravine.analytics.periods import MAX_PERIODS, Freq, Periods, make_periods
from ravine.analytics.reactions import edge_hours, reactions
from ravine.analytics.series import ravine_series, voice_series
from ravine.analytics.summary import summarise

__all__ = [
    "FDR",
    "MAX_PERIODS",
    "METRIC_INFO",
    "AnalyticsError",
    "Direction",
    "Freq",
    "Metric",
    "MetricInfo",
    "Periods",
    "SeriesOptions",
    "baseline_series",
    "discoveries",
    "edge_hours",
    "make_periods",
    "metric_info",
    "q_values",
    "ravine_series",
    "reactions",
    "summarise",
    "voice_series",
]
