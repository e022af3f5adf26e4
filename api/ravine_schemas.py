"""Response models of the ravine endpoints: the OpenAPI schema, and the shapes that
:mod:`api.ravine_bodies` writes column by column. Every number is named as in the metric
definitions below."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from ravine.analytics import Direction

DEFINITIONS = {
    "value": "mean of the metric's per-document variable over the period's documents",
    "sd": "sample standard deviation (n − 1) of that variable",
    "ci": "95% confidence interval of the mean, Student t on n − 1 degrees of freedom "
    "(engagement weighting: effective n = (Σw)² / Σw²)",
    "ravine": "how much rosier the company sounds than its public: corporate − public where "
    "a higher value is rosier (compound, net), public − corporate where it is gloomier "
    "(negative_share); its CI is Welch's 95% interval of the difference",
    "corporate_window": "corporate_window=d: each period's corporate value pools the "
    "statements of the d local days up to the period's end (statements are sparse, posts "
    "dense), so the ravine is defined wherever the public is",
    "null": "a period and voice with fewer than min_n documents is null with a reason, "
    "never zero and never interpolated",
    "baseline": "view=baseline: (value − trailing-baseline mean) / trailing-baseline sd per "
    "voice; the ravine is z_corporate − z_public (z_public − z_corporate for negative_share), "
    "without a CI",
}


class VoicePoint(BaseModel):
    n: int = Field(
        description="Documents behind the value: the period's, pooled over the smoothing "
        "window, or the corporate window's."
    )
    n_eff: float | None = Field(
        description="Effective documents, (Σw)² / Σw²: n unweighted; with engagement weights, "
        "fewer when a few documents weigh most. min_n applies to it too, and a CI needs 2."
    )
    value: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    null_reason: str | None


class RavinePoint(BaseModel):
    value: float | None = Field(
        description="How much rosier the company sounds: corporate − public, or public − "
        "corporate for negative_share."
    )
    ci_low: float | None
    ci_high: float | None
    null_reason: str | None


class Period(BaseModel):
    period: str = Field(description="Local day or week start (YYYY-MM-DD), or month (YYYY-MM).")
    start: datetime = Field(description="Start of the period in UTC.")
    corporate: VoicePoint
    public: VoicePoint
    ravine: RavinePoint


class RavineSeries(BaseModel):
    entity: str
    since: date
    until: date
    freq: str
    tz: str
    metric: str
    min_n: int
    smooth: int
    weighting: str
    view: str
    corporate_window: int = Field(
        description="0, or the trailing days each period's corporate value pools."
    )
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))
    periods: list[Period]


class Estimate(BaseModel):
    value: float | None
    ci_low: float | None
    ci_high: float | None
    null_reason: str | None = None


class WidePeriod(BaseModel):
    period: str
    ravine: float | None
    ci_low: float | None
    ci_high: float | None


class RavineSummary(BaseModel):
    entity: str
    since: date
    until: date
    freq: str
    metric: str
    periods: int = Field(description="Periods with a ravine (both voices have ≥ min_n).")
    mean_ravine: Estimate = Field(description="Mean of the periods' ravines, t CI over periods.")
    trend_per_30_days: Estimate = Field(description="OLS slope of the ravine × 30 days.")
    widest: list[WidePeriod]


class Reaction(BaseModel):
    id: int = Field(description="Document id of the corporate statement.")
    title: str = Field(description="Its title, else its first words (about 80 characters, …).")
    published_at: datetime
    before_n: int = Field(description="Public documents in [published_at − w, published_at).")
    before_n_eff: float | None = Field(description="Effective documents before (VoicePoint).")
    before_value: float | None = Field(description="Public mean in the w days before.")
    before_ci_low: float | None = Field(description="95% t CI of the mean before: low.")
    before_ci_high: float | None = Field(description="95% t CI of the mean before: high.")
    after_n: int = Field(description="Public documents in [published_at, published_at + w).")
    after_n_eff: float | None = Field(description="Effective documents after (VoicePoint).")
    after_value: float | None = Field(description="Public mean in the w days after.")
    after_ci_low: float | None = Field(description="95% t CI of the mean after: low.")
    after_ci_high: float | None = Field(description="95% t CI of the mean after: high.")
    change: float | None = Field(description="after − before, Welch 95% CI.")
    change_ci_low: float | None
    change_ci_high: float | None
    null_reason: str | None


class Reactions(BaseModel):
    entity: str
    window_days: float
    metric: str
    total: int = Field(description="Corporate statements in the range, on every page.")
    truncated: bool = Field(
        description="Whether statements after these are left out: ask for next_cursor."
    )
    next_cursor: str | None = Field(description="Pass as cursor for the next page; else null.")
    reactions: list[Reaction]


class CompareEntry(BaseModel):
    entity: str
    periods: list[RavinePoint]
    summary: RavineSummary


class LeaderboardRow(BaseModel):
    entity: str
    mean_ravine: Estimate
    periods: int


class Comparison(BaseModel):
    metric: str
    direction: Direction = Field(
        description="Which way the metric points; the ravine is always how much rosier the "
        "company sounds than its public, whichever it is."
    )
    labels: list[str] = Field(description="The periods, shared by every entity.")
    entities: list[CompareEntry]
    leaderboard: list[LeaderboardRow] = Field(
        description="Entities by mean ravine, highest first: by how much rosier the company "
        "sounds than its public, most first; entities whose public sounds rosier (a negative "
        "mean) come last, and entities without a ravine after them."
    )
