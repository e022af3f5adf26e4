"""The analyst dashboard: the page, its assets (Plotly.js included, no CDN) and chart figures."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.deps import Caches, ReadCaches, ReadSession
from api.ravine_bodies import dumps
from api.ravine_schemas import DEFINITIONS
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.routers.ravine_params import Series
from dashboard.assets import PLOTLY_JS, Asset, load, page, static_file
from dashboard.figures import Statement, caption, ravine_figure
from dashboard.packing import pack
from dashboard.timeline import utc_offsets
from ravine.analytics import metric_info
from ravine.gap import MAX_MARKED, GapQuery, exact_hours, gap_series, statements_in
from ravine.models import Entity

router = APIRouter(include_in_schema=False)  # the page and its assets: no data, always open
data_router = APIRouter(include_in_schema=False)  # chart data: open unless reads need a key
YEAR = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # cached, but checked each time (a 304 when unchanged)


def _send(request: Request, asset: Asset, *, cache_control: str) -> Response:
    headers = {"Cache-Control": cache_control, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> Response:
    return _send(request, page(), cache_control=REVALIDATE)


@router.get("/assets/{name}")
def asset(request: Request, name: str) -> Response:
    path = static_file(name)
    if path is None or name == "index.html":
        raise HTTPException(404, f"no asset {name!r}")
    # Plotly.js carries its version in its name: a new one is a new URL.
    return _send(request, load(path), cache_control=YEAR if name == PLOTLY_JS.name else REVALIDATE)


@data_router.get("/dashboard/figure")
def figure(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: Annotated[str, Query(max_length=200)],
    params: Series,
) -> Response:
    """The ravine chart of one entity as a packed Plotly figure, with what it shows: the
    metric, its label and direction (``higher_is_rosier`` or ``higher_is_gloomier``, which the
    ravine and the figure's words follow) and a one-sentence ``caption``. Periods are the
    figure's labels; their UTC bounds follow from ``offsets`` (dashboard.timeline)."""
    found = entity_or_404(session, entity)
    query = params.query(session, found)

    def build() -> Body:
        return Body(dumps(_figure(session, caches, found, query)), "application/json")

    key = ("figure", entity_key(found), found.slug, found.name, query)
    return caches.responses.respond(request, key, build)


def _figure(session: Session, caches: ReadCaches, found: Entity, query: GapQuery) -> dict[str, Any]:
    hours = exact_hours(session, query, caches.hours.hours(session, found))
    periods, frame, _ = gap_series(query, hours, caches.authors.reader(session, found))
    marks = statements_in(session, found.id, periods, limit=MAX_MARKED)
    # Local wall-clock minutes as text, in one array operation rather than a strftime each; a
    # day's diamond needs only the time of day.
    wall = marks["published_at"].dt.tz_convert(query.tz).dt.tz_localize(None)
    local = np.datetime_as_string(wall.to_numpy().astype("datetime64[m]")).tolist()
    cut = 11 if query.freq == "day" else 0
    labels, titles = periods.labels, marks["title"].tolist()
    markers = [
        Statement(period=labels[p], local=at[cut:].replace("T", " "), title=title)
        for p, at, title in zip(marks["period"].tolist(), local, titles, strict=True)
    ]
    names = [str(name) for name in frame.columns]
    columns = [frame[name].tolist() for name in names]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    options, baseline = query.options, query.view == "baseline"
    chart = ravine_figure(
        rows, metric=options.metric, statements=markers, baseline=baseline, freq=query.freq,
        corporate_window=options.corporate_window,
    )  # fmt: skip
    info = metric_info(options.metric)
    return {
        "entity": {"slug": found.slug, "name": found.name},
        "since": query.since.isoformat(),
        "until": query.until.isoformat(),
        "freq": query.freq,
        "metric": info.name,
        "metric_label": info.label,
        "direction": info.direction,
        "view": query.view,
        "min_n": options.min_n,
        "corporate_window": options.corporate_window,
        "caption": _caption(found, query),
        "offsets": utc_offsets([*periods.starts, periods.end]),  # for each period's UTC bounds
        "definitions": DEFINITIONS,
        "figure": pack(chart),  # its x axis, column 0, holds the period labels
    }


def _caption(found: Entity, query: GapQuery) -> str:
    options = query.options
    return caption(
        entity=found.name, since=query.since.isoformat(), until=query.until.isoformat(),
        freq=query.freq, metric=options.metric, min_n=options.min_n,
        baseline=query.view == "baseline", baseline_days=query.baseline_days,
        smooth=options.smooth, weighted=options.weighted,
        corporate_window=options.corporate_window,
    )  # fmt: skip
