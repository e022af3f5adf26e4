"""Errors as RFC 9457 ``application/problem+json``, with a detail a person can act on."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from ravine.analytics import AnalyticsError
from ravine.errors import ConfigError, NotFoundError

_log = logging.getLogger("ravine.api")

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    return JSONResponse(
        {**body, "detail": detail, **extra}, status_code=status, media_type=PROBLEM_JSON
    )


def _field_problem(error: Any) -> dict[str, str]:
    if error["type"] == "json_invalid":  # its location is a character offset, not a field
        reason = error.get("ctx", {}).get("error", "not JSON")
        offset = error["loc"][-1]  # counted from 0
        at = f" at character {offset + 1}" if isinstance(offset, int) else ""
        return {"field": "body", "message": f"not valid JSON{at}: {reason}"}
    message = str(error["msg"]).removeprefix("Value error, ")
    return {"field": _location(tuple(error["loc"])), "message": message}


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in {"query", "body", "path", "header"}]
    return ".".join(parts) or "request"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_problem(e) for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, detail, errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, str(exc.detail))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:  # Starlette names only the first route's methods for a path
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return problem(404, str(exc))


async def _unprocessable(_: Request, exc: Exception) -> JSONResponse:
    return problem(422, str(exc))


RETRY_AFTER_SECONDS = 5


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database refused or dropped the connection: 503 and when to try again. Where the
    database is stays in the server's log, never in the answer."""
    _log.warning("database unavailable for %s: %s", request.url.path, str(exc).splitlines()[0])
    response = problem(503, "the database is unavailable; try again shortly")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


async def _unexpected(_: Request, __: Exception) -> JSONResponse:
    """Anything else: a problem, not a plain-text page (the server logs the traceback)."""
    return problem(500, "the server failed to answer; the error is in its log")


def install(app: FastAPI) -> None:
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(AnalyticsError, _unprocessable)
    app.add_exception_handler(ConfigError, _unprocessable)


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is sent."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = Field(description="What went wrong and how to fix it, in one line.")
    errors: list[FieldProblem] | None = Field(None, description="Per-field problems (422).")


def install_openapi(app: FastAPI) -> None:
    """Document every 4xx/5xx response as application/problem+json with the Problem schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        for name, definition in _schemas(Problem).items():
            components[name] = definition
        problem_content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("422", {"description": "Invalid parameters"})
                for code, response in responses.items():
                    if code[0] in "45":
                        response["content"] = problem_content
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _schemas(model: type[BaseModel]) -> dict[str, Any]:
    definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = definition.pop("$defs", {})
    return {model.__name__: definition, **nested}
