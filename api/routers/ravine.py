"""The ravine: both voices and their gap per period, its summary, reaction windows, comparison."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.deps import ReadSession
from api.ravine_schemas import (
    CompareEntry,
    Comparison,
    Estimate,
    LeaderboardRow,
    Period,
    RavinePoint,
    RavineSeries,
    RavineSummary,
    Reaction,
    Reactions,
    VoicePoint,
    WidePeriod,
    number,
)
from api.routers.entities import entity_or_404
from api.routers.ravine_params import Series, SeriesParams
from ravine.analytics import summarise
from ravine.gap import GapQuery, gap_series, statement_reactions
from ravine.repository.entities import list_entities

router = APIRouter(tags=["ravine"])
EntityQ = Annotated[str, Query(max_length=200, description="Entity slug, name or alias.")]
MAX_COMPARED = 20


def _voice(row: Any, voice: str) -> VoicePoint:
    return VoicePoint(
        n=int(row[f"{voice}_n"]),
        value=number(row[f"{voice}_value"]),
        sd=number(row[f"{voice}_sd"]),
        ci_low=number(row[f"{voice}_ci_low"]),
        ci_high=number(row[f"{voice}_ci_high"]),
        null_reason=row[f"{voice}_null_reason"],
    )


def _gap(row: Any) -> RavinePoint:
    return RavinePoint(
        value=number(row["ravine"]),
        ci_low=number(row["ravine_ci_low"]),
        ci_high=number(row["ravine_ci_high"]),
        null_reason=row["ravine_null_reason"],
    )


def _summary(slug: str, query: GapQuery, frame: pd.DataFrame) -> RavineSummary:
    found: dict[str, Any] = summarise(frame)
    return RavineSummary(
        entity=slug, since=query.since, until=query.until, freq=query.freq,
        metric=query.options.metric, periods=found["periods"],
        mean_ravine=Estimate(**found["mean_ravine"]),
        trend_per_30_days=Estimate(**found["trend_per_30_days"]),
        widest=[WidePeriod(period=w["label"], ravine=w["ravine"], ci_low=w["ci_low"],
                           ci_high=w["ci_high"]) for w in found["widest"]],
    )  # fmt: skip


def _load(
    session: Session, entity: str, params: SeriesParams
) -> tuple[str, GapQuery, pd.DataFrame]:
    found = entity_or_404(session, entity)
    query = params.query(session, found)
    _, frame = gap_series(session, query)
    return found.slug, query, frame


@router.get(
    "/ravine", response_model=RavineSeries, responses={404: {}, 200: {"content": {"text/csv": {}}}}
)
def series(
    session: ReadSession,
    entity: EntityQ,
    params: Series,
    format: Literal["json", "csv"] = "json",
) -> RavineSeries | Response:
    """Per period: each voice's n, mean, sd and 95% CI, and the ravine (corporate − public)
    with its Welch CI. Periods under min_n are null with a reason. `format=csv` for a sheet."""
    slug, query, frame = _load(session, entity, params)
    if format == "csv":
        csv = frame.rename(columns={"label": "period"}).to_csv(
            index=False, date_format="%Y-%m-%dT%H:%M:%SZ"
        )
        filename = f"ravine-{slug}-{query.since}-{query.until}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(csv, media_type="text/csv; charset=utf-8", headers=headers)
    periods = [
        Period(period=row["label"], start=row["start"], corporate=_voice(row, "corporate"),
               public=_voice(row, "public"), ravine=_gap(row))
        for _, row in frame.iterrows()
    ]  # fmt: skip
    return RavineSeries(
        entity=slug, since=query.since, until=query.until, freq=query.freq, tz=query.tz,
        metric=query.options.metric, min_n=query.options.min_n, smooth=query.options.smooth,
        weighting=params.weighting, view=query.view, periods=periods,
    )  # fmt: skip


@router.get("/ravine/summary", response_model=RavineSummary, responses={404: {}})
def summary(session: ReadSession, entity: EntityQ, params: Series) -> RavineSummary:
    """The mean ravine over the range with its CI, its trend per 30 days, the widest periods."""
    slug, query, frame = _load(session, entity, params)
    return _summary(slug, query, frame)


@router.get("/ravine/reactions", response_model=Reactions, responses={404: {}})
def reactions(
    session: ReadSession,
    entity: EntityQ,
    params: Series,
    window_days: Annotated[float, Query(gt=0, le=60, description="w: days before and after.")] = 3,
) -> Reactions:
    """For each corporate statement in the range: the public mean w days before and after it,
    and the change with its Welch CI: did the public answer the statement?"""
    found = entity_or_404(session, entity)
    query = params.query(session, found)
    frame = statement_reactions(session, query, window_days=window_days)
    items = [
        Reaction(
            id=int(r["id"]), title=str(r["title"]), published_at=r["published_at"],
            before_n=int(r["before_n"]), before_value=number(r["before_value"]),
            after_n=int(r["after_n"]), after_value=number(r["after_value"]),
            change=number(r["change"]), change_ci_low=number(r["change_ci_low"]),
            change_ci_high=number(r["change_ci_high"]), null_reason=r["null_reason"],
        )
        for _, r in frame.iterrows()
    ]  # fmt: skip
    return Reactions(
        entity=found.slug, window_days=window_days, metric=query.options.metric, reactions=items
    )


@router.get("/compare", response_model=Comparison, responses={404: {}})
def compare(
    session: ReadSession,
    params: Series,
    entities: Annotated[
        str | None, Query(max_length=2000, description="Comma-separated; default: all (≤ 20).")
    ] = None,
) -> Comparison:
    """The ravines of several entities side by side on the same periods, and a leaderboard of
    the widest mean ravines in the range."""
    refs = [e.strip() for e in entities.split(",") if e.strip()] if entities else None
    chosen = [entity_or_404(session, ref) for ref in refs] if refs else list_entities(session)
    entries, labels = [], []
    for found in chosen[:MAX_COMPARED]:
        query = params.query(session, found)
        _, frame = gap_series(session, query)
        labels = list(frame["label"])
        points = [_gap(row) for _, row in frame.iterrows()]
        entries.append(
            CompareEntry(
                entity=found.slug, periods=points, summary=_summary(found.slug, query, frame)
            )
        )
    board = [
        LeaderboardRow(
            entity=e.entity, mean_ravine=e.summary.mean_ravine, periods=e.summary.periods
        )
        for e in entries
    ]
    board.sort(key=lambda row: -abs(row.mean_ravine.value or 0.0))
    return Comparison(labels=labels, entities=entries, leaderboard=board)
