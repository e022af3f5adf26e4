"""Alert rules against an entity's daily ravine: the days a rule catches, past its cooldown.

A rule reads the same daily series the dashboard draws (roll-up hours, repeat-author-aware
CIs) over the days it checks and the history its baseline needs, runs its detector
(:mod:`ravine.analytics.alerts`) and keeps the findings no stored event of the rule silences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from ravine.analytics import SeriesOptions
from ravine.analytics.alerts import (
    AlertKind,
    Finding,
    band_breaks,
    change_points,
    volume_spikes,
)
from ravine.analytics.clusters import AuthorSample
from ravine.gap import GapQuery, exact_hours, gap_series
from ravine.repository.alerts import days_caught
from ravine.repository.authors import author_sample
from ravine.repository.series import hour_columns


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertRule:
    """One ``[[alerts]]`` table of the sources file, resolved (see docs/alerts.md)."""

    name: str
    kind: AlertKind
    entity: str  # a slug, or "*" for every entity
    k: float = 3.0  # band: sds; volume_spike: times the trailing median
    baseline_days: int = 90  # band and change_point: the trailing baseline
    min_baseline: int = 30  # days with a value the baseline needs
    drift: float = 0.5  # change_point: CUSUM allowance, in baseline sds
    threshold: float = 5.0  # change_point: CUSUM decision interval, in baseline sds
    window: int = 28  # volume_spike: days of the trailing median
    min_documents: int = 20  # volume_spike: fewest public documents a spike needs
    corporate_window: int = 7  # days of statements pooled into each day's corporate voice
    cooldown_days: int = 7  # after an event, the rule stays quiet this many days either side
    lookback_days: int = 7  # days a check looks at, ending today (late data still counts)
    tz: str = "UTC"  # whose days
    channels: tuple[str, ...] = ()
    enabled: bool = True
    line: int | None = None  # in the sources file


@dataclass(frozen=True, slots=True)
class DailySeries:
    days: list[date]  # consecutive
    ravine: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    public_documents: np.ndarray

    def since(self, day: date) -> DailySeries:
        """The days from ``day`` on (all of them when the series starts later)."""
        cut = max((day - self.days[0]).days, 0) if self.days else 0
        return DailySeries(
            self.days[cut:], self.ravine[cut:], self.ci_low[cut:], self.ci_high[cut:],
            self.public_documents[cut:],
        )  # fmt: skip


def daily_series(
    session: Session, rule: AlertRule, entity_id: int, *, since: date, until: date
) -> DailySeries:
    """The entity's daily ravine in the rule's zone, computed as the dashboard computes it."""

    def samples(voice: str, start: datetime, end: datetime) -> AuthorSample:
        return author_sample(session, entity_id=entity_id, voice=voice, since=start, until=end)

    options = SeriesOptions(corporate_window=rule.corporate_window)
    query = GapQuery(
        entity_id=entity_id, since=since, until=until, freq="day", tz=rule.tz, options=options
    )
    hours = exact_hours(session, query, hour_columns(session, entity_id=entity_id))
    frame = gap_series(query, hours, samples).frame
    return DailySeries(
        days=[start.date() for start in frame["start"]],
        ravine=frame["ravine"].to_numpy(dtype=float, na_value=np.nan),
        ci_low=frame["ravine_ci_low"].to_numpy(dtype=float, na_value=np.nan),
        ci_high=frame["ravine_ci_high"].to_numpy(dtype=float, na_value=np.nan),
        public_documents=frame["public_documents"].to_numpy(dtype=np.int64),
    )


def detect(rule: AlertRule, series: DailySeries) -> list[Finding]:
    """Every finding of the rule's detector in the series, in day order."""
    if rule.kind == "band":
        return band_breaks(
            series.days, series.ravine, series.ci_low, series.ci_high,
            baseline_days=rule.baseline_days, k=rule.k, min_baseline=rule.min_baseline,
        )  # fmt: skip
    if rule.kind == "change_point":
        return change_points(
            series.days, series.ravine, baseline_days=rule.baseline_days, drift=rule.drift,
            threshold=rule.threshold, min_baseline=rule.min_baseline,
        )  # fmt: skip
    return volume_spikes(
        series.days, series.public_documents, window=rule.window, k=rule.k,
        min_documents=rule.min_documents,
    )  # fmt: skip


def history_days(rule: AlertRule) -> int:
    """Days before the first checked day that the detector needs to judge it."""
    return rule.window if rule.kind == "volume_spike" else rule.baseline_days


@dataclass(slots=True)
class SeriesCache:
    """Each entity's daily series read once per check for every rule that reads the same one
    (its zone and corporate window), over the longest history any rule of the check needs;
    each rule then judges the days its own history starts at, as if it had read them alone."""

    lead_days: int
    found: dict[tuple[int, str, int, date, date], DailySeries] = field(default_factory=dict)

    def series(
        self, session: Session, rule: AlertRule, entity_id: int, *, first: date, last: date
    ) -> DailySeries:
        key = (entity_id, rule.tz, rule.corporate_window, first, last)
        if key not in self.found:
            since = first - timedelta(days=self.lead_days)
            self.found[key] = daily_series(session, rule, entity_id, since=since, until=last)
        return self.found[key].since(first - timedelta(days=history_days(rule)))


def new_findings(
    session: Session,
    rule: AlertRule,
    entity_id: int,
    series: DailySeries,
    *,
    first: date,
    last: date,
) -> list[Finding]:
    """The rule's findings on days [first, last] of ``series`` (which starts where the rule's
    history does) that its cooldown lets through: none within ``cooldown_days`` of a stored
    event of the rule, or of an earlier finding kept here."""
    found = [finding for finding in detect(rule, series) if first <= finding.day <= last]
    if not found:
        return []
    quiet = timedelta(days=rule.cooldown_days)
    taken = days_caught(
        session, rule=rule.name, entity_id=entity_id, since=first - quiet, until=last + quiet
    )
    return _past_cooldown(found, taken, quiet)


def _past_cooldown(
    found: Sequence[Finding], taken: Sequence[date], quiet: timedelta
) -> list[Finding]:
    kept: list[Finding] = []
    held = list(taken)
    for finding in found:
        if all(abs(finding.day - day) >= quiet for day in held):
            kept.append(finding)
            held.append(finding.day)
    return kept
