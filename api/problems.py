"""Errors as RFC 9457 ``application/problem+json``, with a detail a person can act on."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ravine.analytics import AnalyticsError
from ravine.errors import ConfigError, NotFoundError

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    return JSONResponse(
        {**body, "detail": detail, **extra}, status_code=status, media_type=PROBLEM_JSON
    )


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in {"query", "body", "path", "header"}]
    return ".".join(parts) or "request"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": _location(tuple(e["loc"])),
            "message": str(e["msg"]).removeprefix("Value error, "),
        }
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, detail, errors=errors)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, str(exc.detail))
    response.headers.update(exc.headers or {})
    return response


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return problem(404, str(exc))


async def _unprocessable(_: Request, exc: Exception) -> JSONResponse:
    return problem(422, str(exc))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(AnalyticsError, _unprocessable)
    app.add_exception_handler(ConfigError, _unprocessable)
