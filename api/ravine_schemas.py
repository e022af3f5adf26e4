"""Response models of the ravine endpoints: the OpenAPI schema, and the shapes that
:mod:`api.ravine_bodies` writes column by column. Every number is named as in the metric
definitions below."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.alert_bodies import AlertOut
from api.annotation_bodies import AnnotationOut
from ravine.analytics import Direction

DEFINITIONS = {
    "value": "mean of the metric's per-document variable over the period's documents",
    "sd": "sample standard deviation (n − 1) of that variable",
    "ci": "95% confidence interval of the mean, Student t on n − 1 degrees of freedom "
    "(engagement weighting: effective n = (Σw)² / Σw²), allowing for authors who post many "
    "times: the squared standard error is multiplied by the design effect deff and the degrees "
    "of freedom are n / deff − 1",
    "deff": "design effect of repeat authors, 1 + ρ·κ·(n − 1): ρ the correlation of two "
    "documents by one author, κ the share of the window's document pairs by one author (both "
    "estimated from a sample of the voice's latest documents in the range, see clustering); 1 "
    "when every document has its own author",
    "ravine": "how much rosier the company sounds than its public: corporate − public where "
    "a higher value is rosier (compound, net), public − corporate where it is gloomier "
    "(negative_share); its CI is Welch's 95% interval of the difference",
    "effect_size": "the ravine in units of the voices' spread: ravine / √((sd_corporate² + "
    "sd_public²) / 2), each voice's per-document sd weighted equally (a Cohen's d); null where "
    "the ravine or either sd is, or both sds are 0, with a reason; null in the baseline view",
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
    deff: float | None = Field(
        description="Design effect of repeat authors the CI allows for, 1 + ρ·κ·(n_eff − 1) "
        "(see the series' clustering); n_eff / deff is the CI's effective number of "
        "independent documents, and a CI needs 2. Null without a CI."
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
    effect_size: float | None = Field(
        description="The ravine / √((sd_corporate² + sd_public²) / 2): a Cohen's d."
    )
    effect_size_null_reason: str | None = Field(
        description="Why effect_size is null: the ravine's reason, or both voices' sd being 0."
    )


class Period(BaseModel):
    period: str = Field(description="Local day or week start (YYYY-MM-DD), or month (YYYY-MM).")
    start: datetime = Field(description="Start of the period in UTC.")
    corporate: VoicePoint
    public: VoicePoint
    ravine: RavinePoint


class Clustering(BaseModel):
    rho: float = Field(
        description="Intra-author correlation: of two documents by one author in one window "
        "(ANOVA estimator within windows, at least 0)."
    )
    pair_share: float = Field(
        description="κ: the share of a window's document pairs written by one author "
        "(weighted by engagement when the series is)."
    )
    documents: int = Field(
        description="Documents of the sample the estimates come from: the voice's latest "
        "(up to 5,000) in the range's windows."
    )
    clusters: int = Field(description="Their distinct (window, author) pairs.")


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
    duplicates: Literal["counted", "collapsed"] = Field(
        description="collapsed: near-duplicates (copies, retweets) count once in every number "
        "(RAVINE_COLLAPSE_DUPLICATES); counted: every document counts."
    )
    clustering: dict[str, Clustering] = Field(
        description="Per voice, the estimates behind its design effects."
    )
    annotations: list[AnnotationOut] = Field(
        description="The entity's annotations that overlap the range, oldest first."
    )
    alerts: list[AlertOut] = Field(
        description="The entity's alert events with days in the range, newest first."
    )
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))
    periods: list[Period]


class Estimate(BaseModel):
    value: float | None
    ci_low: float | None = Field(
        description="95% CI from a Newey–West standard error: neighbouring periods move "
        "together, so they are not counted as independent."
    )
    ci_high: float | None
    null_reason: str | None = None
    method: Literal["newey_west"] = Field(
        description="newey_west: Bartlett-weighted autocovariances of the scores up to `lag` "
        "periods apart, scaled to be unbiased for independent periods, t on `df`."
    )
    lag: int | None = Field(
        description="The largest lag weighed, ⌈1.3 √T⌉ − 1 for T periods from the first to the "
        "last with a value; null without a CI."
    )
    df: float | None = Field(
        description="Satterthwaite degrees of freedom of the standard error (under independent "
        "periods): fewer as the lag grows. Null without a CI."
    )
    p_value: float | None = Field(
        description="Two-sided p of value = 0 on the CI's t: at most 0.05 exactly when the CI "
        "leaves 0 out."
    )


class WidePeriod(BaseModel):
    period: str
    ravine: float | None
    ci_low: float | None = Field(description="The period's own 95% Welch CI, unadjusted.")
    ci_high: float | None
    effect_size: float | None


class RavineSummary(BaseModel):
    entity: str
    since: date
    until: date
    freq: str
    metric: str
    periods: int = Field(description="Periods with a ravine (both voices have ≥ min_n).")
    mean_ravine: Estimate = Field(description="Mean of the periods' ravines.")
    trend_per_30_days: Estimate = Field(description="OLS slope of the ravine × 30 days.")
    mean_effect_size: Estimate = Field(description="Mean of the periods' effect sizes.")
    widest: list[WidePeriod] = Field(
        description="Descriptive: the 5 periods with the largest |ravine| of the k with one. "
        "Selected for being largest, so their CIs are not adjusted for being picked (and their "
        "ravines overstate what such periods usually show)."
    )
    widest_note: str = Field(description="What the widest periods are, in a sentence to show.")


class Reaction(BaseModel):
    id: int = Field(description="Document id of the corporate statement.")
    title: str = Field(description="Its title, else its first words (about 80 characters, …).")
    published_at: datetime
    before_n: int = Field(description="Public documents in [published_at − w, published_at).")
    before_n_eff: float | None = Field(description="Effective documents before (VoicePoint).")
    before_deff: float | None = Field(description="Design effect before (VoicePoint).")
    before_value: float | None = Field(description="Public mean in the w days before.")
    before_ci_low: float | None = Field(description="95% t CI of the mean before: low.")
    before_ci_high: float | None = Field(description="95% t CI of the mean before: high.")
    after_n: int = Field(description="Public documents in [published_at, published_at + w).")
    after_n_eff: float | None = Field(description="Effective documents after (VoicePoint).")
    after_deff: float | None = Field(description="Design effect after (VoicePoint).")
    after_value: float | None = Field(description="Public mean in the w days after.")
    after_ci_low: float | None = Field(description="95% t CI of the mean after: low.")
    after_ci_high: float | None = Field(description="95% t CI of the mean after: high.")
    change: float | None = Field(description="after − before, Welch 95% CI.")
    change_ci_low: float | None
    change_ci_high: float | None
    p_value: float | None = Field(
        description="Two-sided Welch p of no change: at most 0.05 exactly when the change's CI "
        "leaves 0 out. Null without a CI."
    )
    q_value: float | None = Field(
        description="Benjamini–Hochberg adjusted p over the reactions of this answer that have "
        "a p-value (a page holds up to `limit`; another page or range is another family)."
    )
    discovery: bool | None = Field(
        description="q_value ≤ 0.05: a change at a 5% false discovery rate over this answer's "
        "reactions. Null without a p-value."
    )
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
    q_value: float | None = Field(
        description="Benjamini–Hochberg adjusted mean_ravine.p_value over the leaderboard's "
        "entities with one: the test that the mean ravine is 0. Null without a p-value."
    )
    discovery: bool | None = Field(
        description="q_value ≤ 0.05: the mean ravine differs from 0 at a 5% false discovery "
        "rate over the entities compared. Null without a p-value."
    )


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


class DriversSide(BaseModel):
    voice: str
    since: date
    until: date
    documents_read: int = Field(
        description="Documents read: every one of the range, or 2,000 spread evenly over it."
    )
    documents_total: int = Field(description="Counted documents of the range in all.")


class TermDriverOut(BaseModel):
    term: str = Field(description='A word; "!" is VADER\'s "!" and "?" emphasis.')
    contribution: float = Field(
        description="Summed part of the documents' compounds: each document's compound is "
        "split among its terms in proportion to their share of its sentences' valence sums."
    )
    mean_shift: float = Field(description="contribution / documents read: its part of the mean.")
    documents: int = Field(description="Documents in which the term has a part.")
    share: float = Field(description="Its part of the summed contributions of its sign.")


class DistinctiveOut(BaseModel):
    term: str = Field(description="A word or two-word phrase.")
    z: float = Field(
        description="z-score of the log-odds ratio with an informative Dirichlet prior (pooled "
        "counts of both sides), Monroe, Colaresi & Quinn 2008; positive: typical of the range."
    )
    log_odds: float
    count: int = Field(description="Occurrences in the range's documents read.")
    comparison_count: int = Field(description="Occurrences in the comparison's.")


class DriverDocumentOut(BaseModel):
    id: int
    published_at: datetime
    title: str = Field(description="The title, or the first words of an untitled document.")
    compound: float = Field(description="As stored.")
    url: str | None


class TermDrivers(BaseModel):
    positive: list[TermDriverOut]
    negative: list[TermDriverOut]


class DriverDocuments(BaseModel):
    positive: list[DriverDocumentOut]
    negative: list[DriverDocumentOut]


class DistinctivePair(BaseModel):
    range: list[DistinctiveOut] = Field(description="Most typical of the range, highest z first.")
    comparison: list[DistinctiveOut] = Field(
        description="Most typical of the comparison, lowest z first."
    )


class DriversOut(BaseModel):
    entity: str
    against: Literal["previous", "other-voice"]
    range: DriversSide
    comparison: DriversSide = Field(
        description="The previous range of equal length, or the other voice in the same range."
    )
    rescored: int = Field(
        description="Documents read whose stored compound differs from the current scorer's: "
        "terms use the current scorer's reading, documents are ranked by the stored compound."
    )
    terms: TermDrivers = Field(
        description="The terms that raise (positive) and lower (negative) the voice's mean "
        "compound most, each list largest effect first."
    )
    distinctive: DistinctivePair
    documents: DriverDocuments = Field(
        description="The most positive and most negative documents read, by stored compound."
    )
