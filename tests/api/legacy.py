"""The ravine endpoints as they were computed before the columnar read path: the oracle.

Sums were aggregated per local period label (here document by document, so that zones whose
midnights fall inside a UTC hour are exact too), handed over as rows, and each period was
turned into pydantic objects one by one. Slow, and simple enough to trust:
``test_same_numbers`` checks that the fast path sends the same numbers, to the last decimal,
on both backends.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any, cast

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.ravine_schemas import Clustering as ClusteringInfo
from api.ravine_schemas import (
    CompareEntry,
    Estimate,
    Period,
    RavinePoint,
    RavineSeries,
    RavineSummary,
    Reaction,
    Reactions,
    VoicePoint,
    WidePeriod,
)
from ravine.analytics import (
    SeriesOptions,
    baseline_series,
    make_periods,
    ravine_series,
    reactions,
    summarise,
)
from ravine.analytics.clusters import Clustering
from ravine.gap import GapQuery, statement_page
from ravine.models import Document, HourlyStat
from ravine.repeat_authors import SampleReader, reaction_clustering, series_clustering
from ravine.repository.authors import author_sample
from ravine.repository.duplicates import collapsing
from ravine.rollup import COLUMNS, contribution, engagement_weight
from ravine.timebuckets import local_period


def number(value: Any) -> float | None:
    """NaN (no value) becomes null in JSON."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _sums_frame(session: Session, query: GapQuery, periods: Any) -> pd.DataFrame:
    """Each period's sums, document by document: each document's contribution under the
    local period label of its own instant, so half-hour zones are exact by construction."""
    bounds = periods.utc_bounds()
    rows = session.execute(
        select(Document.voice, Document.published_at, Document.compound, Document.likes,
               Document.reposts, Document.replies)
        .where(
            Document.entity_id == query.entity_id, Document.compound.is_not(None),
            Document.deleted_at.is_(None), Document.published_at >= bounds[0][0],
            Document.published_at < bounds[-1][1], Document.is_duplicate.is_(False),
        )
    )  # fmt: skip
    index = {label: i for i, label in enumerate(periods.labels)}
    records = [
        (index[local_period(at, tz=query.tz, freq=query.freq)], voice,
         *contribution(compound=x, weight=engagement_weight(likes, reposts, replies)))
        for voice, at, x, likes, reposts, replies in rows
    ]  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=["period", "voice", *COLUMNS])
    return frame.groupby(["period", "voice"], as_index=False).sum()


def _with_documents(frame: pd.DataFrame, sums: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Each period's own documents per voice, counted from the per-label sums."""
    for voice in ("corporate", "public"):
        counts = sums[sums["voice"] == voice].groupby("period")["n"].sum()
        frame[f"{voice}_documents"] = [int(counts.get(i, 0)) for i in range(len(labels))]
    return frame


def _reader(session: Session, entity_id: int) -> SampleReader:
    """Samples of who wrote what, read afresh each time (the served path caches them)."""
    return lambda voice, since, until: author_sample(
        session, entity_id=entity_id, voice=voice, since=since, until=until
    )


def _computed_periods(query: GapQuery) -> Any:
    """The periods the series is computed over: those shown, or from the baseline's lead."""
    lead = timedelta(days=query.baseline_days if query.view == "baseline" else 0)
    return make_periods(since=query.since - lead, until=query.until, freq=query.freq, tz=query.tz)


def clustering(session: Session, query: GapQuery) -> dict[str, Clustering]:
    """The repeat-author estimates, with the served path's own code: what this oracle checks
    is that the same estimates reach the same numbers."""
    reader = _reader(session, query.entity_id)
    return series_clustering(reader, _computed_periods(query), query.options)


def gap_series(session: Session, query: GapQuery) -> tuple[Any, pd.DataFrame]:
    periods = make_periods(since=query.since, until=query.until, freq=query.freq, tz=query.tz)
    estimates = clustering(session, query)
    if query.view == "raw":
        sums = _sums_frame(session, query, periods)
        frame = ravine_series(sums, periods, options=query.options, clustering=estimates)
        return periods, _with_documents(frame, sums, periods.labels)
    lead = _computed_periods(query)
    sums = _sums_frame(session, query, lead)
    frame = baseline_series(
        sums, lead, options=query.options, baseline_days=query.baseline_days,
        clustering=estimates,
    )  # fmt: skip
    frame = _with_documents(frame, sums, lead.labels)
    return periods, frame[frame["label"].isin(periods.labels)].reset_index(drop=True)


def _voice(row: Any, voice: str) -> VoicePoint:
    return VoicePoint(
        n=int(row[f"{voice}_n"]), n_eff=number(row[f"{voice}_n_eff"]),
        deff=number(row[f"{voice}_deff"]), value=number(row[f"{voice}_value"]),
        sd=number(row[f"{voice}_sd"]), ci_low=number(row[f"{voice}_ci_low"]),
        ci_high=number(row[f"{voice}_ci_high"]), null_reason=row[f"{voice}_null_reason"],
    )  # fmt: skip


def _gap(row: Any) -> RavinePoint:
    return RavinePoint(
        value=number(row["ravine"]), ci_low=number(row["ravine_ci_low"]),
        ci_high=number(row["ravine_ci_high"]), null_reason=row["ravine_null_reason"],
        effect_size=number(row["effect_size"]),
        effect_size_null_reason=row["effect_size_null_reason"],
    )  # fmt: skip


def series_json(session: Session, query: GapQuery, *, slug: str, weighting: str) -> Any:
    _, frame = gap_series(session, query)
    periods = [
        Period(period=row["label"], start=row["start"], corporate=_voice(row, "corporate"),
               public=_voice(row, "public"), ravine=_gap(row))
        for _, row in frame.iterrows()
    ]  # fmt: skip
    return RavineSeries(
        entity=slug, since=query.since, until=query.until, freq=query.freq, tz=query.tz,
        metric=query.options.metric, min_n=query.options.min_n, smooth=query.options.smooth,
        weighting=weighting, view=query.view,
        corporate_window=query.options.corporate_window,
        duplicates="collapsed" if collapsing(session) else "counted",
        clustering={voice: ClusteringInfo(**asdict(found))
                    for voice, found in clustering(session, query).items()},
        periods=periods,
        annotations=[],  # the random databases hold none; tests/api/test_annotations.py has them
        alerts=[],  # nor alert events: tests/api/test_alerts.py has them
    ).model_dump(mode="json")  # fmt: skip


def series_csv(session: Session, query: GapQuery) -> str:
    _, frame = gap_series(session, query)
    return str(
        frame.rename(columns={"label": "period"}).to_csv(
            index=False, date_format="%Y-%m-%dT%H:%M:%SZ"
        )
    )


def _summary(slug: str, query: GapQuery, frame: pd.DataFrame) -> RavineSummary:
    found: dict[str, Any] = summarise(frame)
    return RavineSummary(
        entity=slug, since=query.since, until=query.until, freq=query.freq,
        metric=query.options.metric, periods=found["periods"],
        mean_ravine=Estimate(**found["mean_ravine"]),
        trend_per_30_days=Estimate(**found["trend_per_30_days"]),
        mean_effect_size=Estimate(**found["mean_effect_size"]),
        widest=[WidePeriod(period=w["label"], ravine=w["ravine"], ci_low=w["ci_low"],
                           ci_high=w["ci_high"], effect_size=w["effect_size"])
                for w in found["widest"]],
        widest_note=found["widest_note"],
    )  # fmt: skip


def summary_json(session: Session, query: GapQuery, *, slug: str) -> Any:
    _, frame = gap_series(session, query)
    return _summary(slug, query, frame).model_dump(mode="json")


def compare_entries(session: Session, queries: list[tuple[str, GapQuery]]) -> list[Any]:
    entries = []
    for slug, query in queries:
        _, frame = gap_series(session, query)
        points = [_gap(row) for _, row in frame.iterrows()]
        summary = _summary(slug, query, frame)
        entries.append(CompareEntry(entity=slug, periods=points, summary=summary))
    return [entry.model_dump(mode="json") for entry in entries]


def reactions_json(session: Session, query: GapQuery, *, slug: str, window_days: float) -> Any:
    page = statement_page(session, query)  # unchanged by the columnar path
    start, end, frame = page.start, page.end, page.frame
    window = timedelta(days=window_days)
    hours = session.execute(
        select(HourlyStat.hour, *(getattr(HourlyStat, name) for name in COLUMNS))
        .where(
            HourlyStat.entity_id == query.entity_id, HourlyStat.voice == "public",
            HourlyStat.hour >= start - window, HourlyStat.hour < end + window,
        )
        .order_by(HourlyStat.hour)
    )  # fmt: skip
    hourly = pd.DataFrame.from_records(
        [(hour, "public", *map(int, sums)) for hour, *sums in hours],
        columns=["hour", "voice", *COLUMNS],
    )
    if not hourly.empty:
        hourly["hour"] = pd.to_datetime(hourly["hour"], utc=True)
    # Every public document near the range, not just those of the hours a side partly covers.
    posts = session.scalars(
        select(Document).where(
            Document.entity_id == query.entity_id, Document.voice == "public",
            Document.compound.is_not(None), Document.deleted_at.is_(None),
            Document.is_duplicate.is_(False),
            Document.published_at >= start - window, Document.published_at < end + window,
        )
    ).all()  # fmt: skip
    documents = pd.DataFrame.from_records(
        [
            (d.published_at, *contribution(compound=cast(float, d.compound),
                                           weight=engagement_weight(d.likes, d.reposts, d.replies)))
            for d in posts
        ],
        columns=["published_at", *COLUMNS],
    )  # fmt: skip
    documents["published_at"] = pd.to_datetime(documents["published_at"], utc=True)
    options = query.options
    reader = _reader(session, query.entity_id)
    estimate = reaction_clustering(
        reader, frame["published_at"], window_days=window_days, options=options
    )
    result = reactions(
        hourly, documents, frame, window_days=window_days, min_n=options.min_n,
        metric=options.metric, weighted=options.weighted, clustering=estimate,
    )  # fmt: skip
    items = [
        Reaction(
            id=int(r["id"]), title=str(r["title"]), published_at=r["published_at"],
            before_n=int(r["before_n"]), before_n_eff=number(r["before_n_eff"]),
            before_deff=number(r["before_deff"]), before_value=number(r["before_value"]),
            before_ci_low=number(r["before_ci_low"]), before_ci_high=number(r["before_ci_high"]),
            after_n=int(r["after_n"]), after_n_eff=number(r["after_n_eff"]),
            after_deff=number(r["after_deff"]), after_value=number(r["after_value"]),
            after_ci_low=number(r["after_ci_low"]), after_ci_high=number(r["after_ci_high"]),
            change=number(r["change"]), change_ci_low=number(r["change_ci_low"]),
            change_ci_high=number(r["change_ci_high"]), p_value=number(r["p_value"]),
            q_value=number(r["q_value"]), discovery=r["discovery"], null_reason=r["null_reason"],
        )
        for _, r in result.iterrows()
    ]  # fmt: skip
    return Reactions(
        entity=slug, window_days=window_days, metric=options.metric, total=page.total,
        truncated=page.next_cursor is not None, next_cursor=page.next_cursor, reactions=items,
    ).model_dump(mode="json")  # fmt: skip


def query_for(
    entity_id: int, *, since: date, until: date, freq: Any, tz: str, metric: Any, min_n: int,
    smooth: int, weighted: bool, view: Any,
) -> GapQuery:  # fmt: skip
    options = SeriesOptions(metric=metric, min_n=min_n, smooth=smooth, weighted=weighted)
    return GapQuery(
        entity_id=entity_id, since=since, until=until, freq=freq, tz=tz, options=options,
        view=view,
    )  # fmt: skip
