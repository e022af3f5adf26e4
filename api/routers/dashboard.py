"""The analyst dashboard: the page, its assets (Plotly.js included, no CDN) and chart figures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.alert_bodies import alert_json
from api.annotation_bodies import annotation_json
from api.deps import Caches, ReadCaches, ReadSession
from api.ravine_bodies import dumps
from api.ravine_schemas import DEFINITIONS
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.routers.ravine_params import Series
from dashboard.assets import PLOTLY_JS, Asset, load, page, static_file
from dashboard.chart import query_caption, ravine_chart
from dashboard.packing import pack
from dashboard.timeline import utc_offsets
from ravine.analytics import metric_info
from ravine.gap import GapQuery
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
    chart = ravine_chart(
        session, query, caches.hours.hours(session, found), caches.authors.reader(session, found)
    )
    periods, options = chart.series.periods, query.options
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
        "caption": query_caption(found.name, query),
        "offsets": utc_offsets([*periods.starts, periods.end]),  # for each period's UTC bounds
        "definitions": DEFINITIONS,
        "figure": pack(chart.figure),  # its x axis, column 0, holds the period labels
        "annotations": [_listed(annotation_json(a, found.slug)) for a in chart.annotations],
        "alerts": [alert_json(stored) for stored in chart.alerts],  # oldest first
    }


def _listed(annotation: dict[str, Any]) -> dict[str, Any]:
    """What the page lists of an annotation under the chart (its label hovers on the chart)."""
    return {key: annotation[key] for key in ("date", "end_date", "label", "url")}
