"""The ravine: both voices and their gap per period, its summary, reaction windows, comparison.

Each answer is named by its entity's data version and the resolved parameters, so a repeat is
a 304 or a copy from memory (:mod:`api.response_cache`); a new one is computed from the
entity's roll-up hours (kept between requests by :class:`ravine.hour_cache.HourCache`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api import ravine_bodies
from api.alert_bodies import alerts_json
from api.annotation_bodies import annotations_json
from api.deps import Caches, ReadSession
from api.drivers_bodies import drivers_body
from api.ravine_schemas import (
    Comparison,
    DriversOut,
    RavineSeries,
    RavineSummary,
    Reactions,
)
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.routers.ravine_params import Series, SinceQ, TzQ, UntilQ, series_params
from ravine.analytics import discoveries, metric_info, q_values, summarise
from ravine.drivers import Against, DriversQuery, drivers
from ravine.gap import (
    MAX_STATEMENTS,
    GapQuery,
    GapSeries,
    exact_hours,
    gap_series,
    statement_reactions,
)
from ravine.models import Entity
from ravine.repository.duplicates import collapsing
from ravine.repository.entities import list_entities, tracked_terms
from ravine.scoring import get_scorer

router = APIRouter(tags=["ravine"])
EntityQ = Annotated[str, Query(max_length=200, description="Entity slug, name or alias.")]
MAX_COMPARED = 20
JSON = "application/json"


def _head(slug: str, query: GapQuery) -> dict[str, Any]:
    return {
        "entity": slug, "since": query.since.isoformat(), "until": query.until.isoformat(),
        "freq": query.freq,
    }  # fmt: skip


def _summary(slug: str, query: GapQuery, frame: pd.DataFrame) -> dict[str, Any]:
    head = {**_head(slug, query), "metric": query.options.metric}
    return ravine_bodies.summary(head, summarise(frame))


def _gap(session: Session, caches: Caches, found: Entity, query: GapQuery) -> GapSeries:
    hours = exact_hours(session, query, caches.hours.hours(session, found))
    return gap_series(query, hours, caches.authors.reader(session, found))


def _series(session: Session, caches: Caches, found: Entity, query: GapQuery) -> pd.DataFrame:
    return _gap(session, caches, found, query).frame


@router.get(
    "/ravine", response_model=RavineSeries, responses={404: {}, 200: {"content": {"text/csv": {}}}}
)
def series(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: EntityQ,
    params: Series,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Per period: each voice's n, mean, sd and 95% CI, and the ravine (corporate − public)
    with its Welch CI. Periods under min_n are null with a reason. `format=csv` for a sheet."""
    found = entity_or_404(session, entity)
    query = params.query(session, found)

    def build() -> Body:
        computed = _gap(session, caches, found, query)
        frame = computed.frame
        if format == "csv":
            name = f"ravine-{found.slug}-{query.since}-{query.until}.csv"
            disposition = ("Content-Disposition", f'attachment; filename="{name}"')
            return Body(ravine_bodies.series_csv(frame), "text/csv; charset=utf-8", (disposition,))
        head = {
            **_head(found.slug, query), "tz": query.tz, "metric": query.options.metric,
            "min_n": query.options.min_n, "smooth": query.options.smooth,
            "weighting": params.weighting, "view": query.view,
            "corporate_window": query.options.corporate_window,
            "duplicates": "collapsed" if collapsing(session) else "counted",
            "clustering": ravine_bodies.clustering(computed.clustering),
            "annotations": annotations_json(session, found, query.since, query.until),
            "alerts": alerts_json(session, found.id, query.since, query.until),
        }  # fmt: skip
        return Body(ravine_bodies.series(head, frame), JSON)

    key = ("ravine", entity_key(found), query, params.weighting, format)
    return caches.responses.respond(request, key, build)


@router.get("/ravine/summary", response_model=RavineSummary, responses={404: {}})
def summary(
    request: Request, session: ReadSession, caches: Caches, entity: EntityQ, params: Series
) -> Response:
    """The mean ravine over the range with its CI, its trend per 30 days, the widest periods."""
    found = entity_or_404(session, entity)
    query = params.query(session, found)

    def build() -> Body:
        frame = _series(session, caches, found, query)
        return Body(ravine_bodies.dumps(_summary(found.slug, query, frame)), JSON)

    return caches.responses.respond(request, ("summary", entity_key(found), query), build)


@router.get("/ravine/reactions", response_model=Reactions, responses={404: {}})
def reactions(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: EntityQ,
    params: Series,
    window_days: Annotated[float, Query(gt=0, le=60, description="w: days before and after.")] = 3,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_STATEMENTS)] = MAX_STATEMENTS,
) -> Response:
    """For each corporate statement in the range, oldest first (an untitled one is named by
    its first words): the public mean in the w days before and after it to the instant, each
    with its 95% CI, and the change with its Welch CI: did the public answer the statement?
    `total` counts the range's statements; page through them with `limit` and `cursor`."""
    found = entity_or_404(session, entity)
    query = params.query(session, found)

    def build() -> Body:
        hours = caches.hours.hours(session, found)
        page, frame = statement_reactions(
            session, query, hours, caches.authors.reader(session, found),
            window_days=window_days, cursor=cursor, limit=limit,
        )  # fmt: skip
        document = {
            "entity": found.slug, "window_days": window_days, "metric": query.options.metric,
            "total": page.total, "truncated": page.next_cursor is not None,
            "next_cursor": page.next_cursor, "reactions": ravine_bodies.reactions(frame),
        }  # fmt: skip
        return Body(ravine_bodies.dumps(document), JSON)

    key = ("reactions", entity_key(found), query, window_days, cursor, limit)
    return caches.responses.respond(request, key, build)


@router.get("/ravine/drivers", response_model=DriversOut, responses={404: {}})
def drivers_of(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: EntityQ,
    voice: Annotated[Literal["corporate", "public"], Query(description="The voice explained.")],
    since: SinceQ = None,
    until: UntilQ = None,
    tz: TzQ = "UTC",
    against: Annotated[
        Against, Query(description="previous: the range of equal length before; other-voice.")
    ] = "previous",
    limit: Annotated[int, Query(ge=1, le=100, description="Entries per list.")] = 10,
) -> Response:
    """Why the voice's sentiment is what it is in the range: the terms that raise and lower its
    mean compound, the words and phrases that set the range apart from the comparison (log-odds
    with an informative Dirichlet prior), and the documents that pull most each way. The
    documents are read again with the current scorer, at most 2,000 per side, spread evenly over
    the side's range when it holds more."""
    found = entity_or_404(session, entity)
    window = series_params(since=since, until=until, tz=tz).query(session, found)
    query = DriversQuery(found.id, voice, window.since, window.until, tz, against, limit)
    terms = tracked_terms(session)
    scorer = get_scorer(request.app.state.scorer_config)

    def build() -> Body:
        result = drivers(session, scorer, query, terms)
        return Body(ravine_bodies.dumps(drivers_body(found.slug, against, result)), JSON)

    key = ("drivers", entity_key(found), query, scorer.version(terms))
    return caches.responses.respond(request, key, build)


@router.get("/compare", response_model=Comparison, responses={404: {}})
def compare(
    request: Request,
    session: ReadSession,
    caches: Caches,
    params: Series,
    entities: Annotated[
        str | None, Query(max_length=2000, description="Comma-separated; default: all (≤ 20).")
    ] = None,
) -> Response:
    """The ravines of several entities side by side on the same periods, and a leaderboard by
    mean ravine in the range: by how much rosier each company sounds than its public, most
    first, each flagged a `discovery` when its mean ravine differs from 0 at a 5% false
    discovery rate over the entities compared (Benjamini–Hochberg `q_value`)."""
    refs = [e.strip() for e in entities.split(",") if e.strip()] if entities else None
    chosen = [entity_or_404(session, ref) for ref in refs] if refs else list_entities(session)
    chosen = chosen[:MAX_COMPARED]
    queries = [(found, params.query(session, found)) for found in chosen]

    def build() -> Body:
        info = metric_info(params.metric)
        head = {"metric": info.name, "direction": info.direction}
        return Body(ravine_bodies.dumps({**head, **_comparison(session, caches, queries)}), JSON)

    key = ("compare", params.metric, tuple((entity_key(found), query) for found, query in queries))
    return caches.responses.respond(request, key, build)


def _comparison(
    session: Session, caches: Caches, queries: list[tuple[Entity, GapQuery]]
) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    labels: list[str] = []
    for found, query in queries:
        frame = _series(session, caches, found, query)
        labels = frame["label"].tolist()
        entries.append(
            {"entity": found.slug, "periods": list(ravine_bodies.ravine_points(frame)),
             "summary": _summary(found.slug, query, frame)}
        )  # fmt: skip
    board = [
        {"entity": e["entity"], "mean_ravine": e["summary"]["mean_ravine"],
         "periods": e["summary"]["periods"]}
        for e in entries
    ]  # fmt: skip
    q = q_values(np.array([row["mean_ravine"]["p_value"] for row in board], dtype=np.float64))
    for row, q_value, discovery in zip(board, q.tolist(), discoveries(q), strict=True):
        row.update(q_value=None if discovery is None else q_value, discovery=discovery)
    # The ravine says how much rosier the company sounds whatever the metric's direction, so
    # the highest mean leads; no mean ranks last.
    board.sort(key=lambda row: _rank(row["mean_ravine"]["value"]))
    return {"labels": labels, "entities": entries, "leaderboard": board}


def _rank(mean: float | None) -> tuple[bool, float]:
    return (mean is None, -(mean or 0.0))
