"""Liveness and readiness probes for process supervisors and load balancers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.problems import problem
from ravine import migrate

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
    except SQLAlchemyError as exc:
        return problem(503, f"database unreachable: {str(exc).splitlines()[0]}")
    head = migrate.head_revision()
    if current != head:
        return problem(503, f"schema at {current}, this code needs {head}: run `ravine db upgrade`")
    return Health(status="ready", revision=current)
