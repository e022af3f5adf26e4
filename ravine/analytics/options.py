"""What a series is computed from: the metric (with its range and direction), the null threshold,
smoothing and weighting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeVar, get_args

from ravine.analytics.errors import AnalyticsError

T = TypeVar("T")

Metric = Literal["compound", "net", "negative_share"]
"""Every metric is the mean of one per-document variable y:

- ``compound``: y = VADER compound score, in [−1, 1];
- ``net``: y = +1 for a positive document (compound ≥ 0.05), −1 for a negative one
  (compound ≤ −0.05), 0 for a neutral one, so the mean is (n_pos − n_neg) / n, in [−1, 1];
- ``negative_share``: y = 1 for a negative document, else 0, so the mean is n_neg / n, in [0, 1].

Being means, all three get the same statistics: sd, Student-t CI, Welch CI of a difference.
A higher compound or net is rosier, a higher negative share gloomier (:data:`METRIC_INFO`).
"""

METRICS: tuple[str, ...] = get_args(Metric)
MAX_WINDOW_DAYS = 365

Direction = Literal["higher_is_rosier", "higher_is_gloomier"]
"""Which way a metric points: a higher compound or net sentiment is rosier, a higher negative
share gloomier. The ravine, its shading and every word about them follow it (:func:`rosier`)."""


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """What a metric is called, its range and its direction: the one place that says so."""

    name: str
    label: str  # "net sentiment"
    definition: str  # "net sentiment = (n_pos − n_neg) / n"
    low: float  # the range of the metric's mean
    high: float
    direction: Direction

    @property
    def sign(self) -> int:
        """+1 when higher is rosier, −1 when higher is gloomier."""
        return 1 if self.direction == "higher_is_rosier" else -1

    @property
    def higher(self) -> str:
        """What a higher value means: "rosier" or "gloomier"."""
        return "rosier" if self.sign > 0 else "gloomier"


METRIC_INFO: dict[str, MetricInfo] = {
    "compound": MetricInfo(
        "compound", "mean VADER compound", "mean VADER compound (−1..1)", -1.0, 1.0,
        "higher_is_rosier",
    ),
    "net": MetricInfo(
        "net", "net sentiment", "net sentiment = (n_pos − n_neg) / n", -1.0, 1.0,
        "higher_is_rosier",
    ),
    "negative_share": MetricInfo(
        "negative_share", "negative share", "negative share = n_neg / n", 0.0, 1.0,
        "higher_is_gloomier",
    ),
}  # fmt: skip


def metric_info(metric: str) -> MetricInfo:
    """The name, label, range and direction of ``metric``."""
    check_metric(metric)
    return METRIC_INFO[metric]


def rosier(metric: str, corporate: T, public: T) -> tuple[T, T]:
    """``(corporate, public)`` when higher is rosier, else ``(public, corporate)``: the first
    less the second is the ravine, how much rosier the company sounds than its public."""
    return (corporate, public) if metric_info(metric).sign > 0 else (public, corporate)


def check_metric(metric: str) -> None:
    """Reject a metric name before any arithmetic, so the error names the choices."""
    if metric not in METRICS:
        raise AnalyticsError(f"unknown metric {metric!r}: use one of {', '.join(METRICS)}")


def check_min_n(min_n: int) -> None:
    """A threshold below 1 would show periods without documents as numbers."""
    if min_n < 1:
        raise AnalyticsError(f"min_n is {min_n}: use 1 or more documents")


@dataclass(frozen=True)
class SeriesOptions:
    """How each period's statistics are computed.

    - ``metric``: see :data:`Metric`.
    - ``min_n``: a period and voice with fewer documents than this gives null (never zero and
      never interpolated), with a reason such as "fewer than 5 documents (3)".
    - ``smooth``: k ≥ 1; each period's statistics come from the pooled sums of the k periods
      ending at it (documents pooled, not means averaged); the first k − 1 periods pool the
      periods that exist. ``n`` is then the pooled document count and ``min_n`` applies to it.
    - ``weighted``: weight each document by its engagement, w = 1 + ⌊log₂(1 + e)⌋ for
      e = likes + reposts + replies;
      the mean is Σwy / Σw, the effective sample size n_eff = (Σw)² / Σw², the variance
      (Σwy² / Σw − mean²) · n_eff / (n_eff − 1) and the CI uses Student t on n_eff − 1 degrees
      of freedom and standard error sd / √n_eff. ``min_n`` applies to the documents and to
      n_eff, and an n_eff under 2 has no sd or CI.
    - ``corporate_window``: 0, or d ≥ 1 days: the corporate voice at each period then pools
      the statements of the d local days up to the period's end (and is not smoothed), so a
      voice that speaks a few times a week has a value wherever its public has one. ``n`` is
      the window's statement count.
    """

    metric: Metric = "compound"
    min_n: int = 5
    smooth: int = 1
    weighted: bool = False
    corporate_window: int = 0

    def __post_init__(self) -> None:
        check_metric(self.metric)
        check_min_n(self.min_n)
        if self.smooth < 1:
            raise AnalyticsError(f"smooth is {self.smooth}: use 1 (no smoothing) or more periods")
        if not 0 <= self.corporate_window <= MAX_WINDOW_DAYS:
            raise AnalyticsError(
                f"corporate_window is {self.corporate_window}: use 0 (per period) "
                f"to {MAX_WINDOW_DAYS} days"
            )

    def for_voice(self, voice: str) -> SeriesOptions:
        """The options one voice's statistics use: a corporate trailing window replaces
        smoothing for the corporate voice (its sums are already pooled)."""
        if voice == "corporate" and self.corporate_window:
            return replace(self, smooth=1)
        return self
