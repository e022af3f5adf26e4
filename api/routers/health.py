"""Liveness and readiness probes for process supervisors and load balancers."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.problems import RETRY_AFTER_SECONDS, problem
from ravine import migrate

_log = logging.getLogger("ravine.api")

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    revision: str | None = None


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and serving requests (answered on the event loop, never queued
    behind data requests)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"description": "Not ready"}})
def readyz(request: Request) -> Health | JSONResponse:
    """The database answers and its schema is at the revision this code needs."""
    engine = request.app.state.engine
    assert isinstance(engine, Engine)
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError as exc:  # where the database is goes to the log, not to callers
        _log.warning("readiness: database unreachable: %s", str(exc).splitlines()[0])
        response = problem(503, "the database is unreachable")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    head = migrate.head_revision()
    if current != head:
        return problem(503, f"schema at {current}, this code needs {head}: run `ravine db upgrade`")
    return Health(status="ready", revision=current)
