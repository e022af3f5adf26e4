"""Alert events: what the rules of the sources file caught (``ravine alerts check``, the end
of ``ravine ingest run``), with each channel's delivery, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.alert_bodies import AlertList, alerts_json
from api.deps import Caches, ReadSession
from api.ravine_bodies import dumps
from api.response_cache import Body
from api.routers.entities import entity_key, entity_or_404
from api.routers.ravine_params import SinceQ, UntilQ, local_days

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", response_model=AlertList, responses={404: {"description": "No such entity"}})
def list_(
    request: Request,
    session: ReadSession,
    caches: Caches,
    entity: Annotated[
        str | None, Query(max_length=200, description="Entity slug, name or alias; all if none.")
    ] = None,
    since: SinceQ = None,
    until: UntilQ = None,
) -> Response:
    """Events with days in [since, until] (both optional), newest first (at most 1,000)."""
    first, last = local_days(since, until)
    if entity is None:
        body = dumps({"items": alerts_json(session, None, first, last)})
        return Response(body, media_type="application/json")
    found = entity_or_404(session, entity)

    def build() -> Body:
        rows = alerts_json(session, found.id, first, last)
        return Body(dumps({"items": rows}), "application/json")

    return caches.responses.respond(request, ("alerts", entity_key(found), first, last), build)
