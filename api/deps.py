"""Request dependencies: settings, a database session per request, API-key checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session, sessionmaker

from api.response_cache import ResponseCache
from ravine.author_cache import AuthorCache
from ravine.config import Settings
from ravine.db import session_scope
from ravine.errors import ConfigError
from ravine.hour_cache import HourCache
from ravine.models import ApiKey
from ravine.repository.apikeys import check_key

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="ravine"'}


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def session_factory(request: Request) -> sessionmaker[Session]:
    factory = request.app.state.session_factory
    assert isinstance(factory, sessionmaker)
    return factory


def read_session(request: Request) -> Iterator[Session]:
    """A session for the request, on one snapshot of the database (what a response's ETag
    names must be what its body was computed from); the request commits."""
    with session_scope(session_factory(request), snapshot=True) as session:
        yield session


@dataclass(frozen=True, slots=True)
class ReadCaches:
    """What a server process keeps between requests (see api.response_cache)."""

    hours: HourCache
    authors: AuthorCache
    responses: ResponseCache

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadCaches:
        megabyte = 1_000_000
        return cls(
            HourCache(settings.hour_cache_mb * megabyte),
            AuthorCache(settings.hour_cache_mb * megabyte),
            ResponseCache(settings.response_cache_mb * megabyte),
        )


def read_caches(request: Request) -> ReadCaches:
    caches = request.app.state.caches
    assert isinstance(caches, ReadCaches)
    return caches


SettingsDep = Annotated[Settings, Depends(get_settings)]
ReadSession = Annotated[Session, Depends(read_session)]
Caches = Annotated[ReadCaches, Depends(read_caches)]


def _presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _require_key(request: Request, authorization: str | None, x_api_key: str | None) -> ApiKey:
    """The presented key, checked (and its use noted) in a transaction of its own, so a request's
    own write transaction never waits on it."""
    key = _presented_key(authorization, x_api_key)
    if key is None:
        raise HTTPException(
            401,
            "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>' "
            "(create one with `ravine apikey create NAME`)",
            headers=UNAUTHORIZED_HEADERS,
        )
    with session_scope(session_factory(request), write=True) as session:
        found = check_key(session, key)
    if found is None:
        raise HTTPException(
            401, "the API key is unknown or revoked; see `ravine apikey list`",
            headers=UNAUTHORIZED_HEADERS,
        )  # fmt: skip
    return found


_AuthorizationHeader = Annotated[str | None, Header(include_in_schema=False)]


def require_write_key(
    request: Request,
    authorization: _AuthorizationHeader = None,
    x_api_key: _AuthorizationHeader = None,
) -> ApiKey:
    return _require_key(request, authorization, x_api_key)


def reject_nul(request: Request) -> None:
    """PostgreSQL cannot compare text with NUL characters: refuse them up front (422)."""
    named = [("path", request.url.path), *request.query_params.multi_items()]
    for name, value in named:
        if "\x00" in value:
            raise ConfigError(f"{name}: contains a NUL character (\\x00); remove it")


def check_read_access(
    request: Request,
    authorization: _AuthorizationHeader = None,
    x_api_key: _AuthorizationHeader = None,
) -> None:
    """Reads are open unless RAVINE_READ_REQUIRES_KEY=true."""
    if get_settings(request).read_requires_key:
        _require_key(request, authorization, x_api_key)


WriteKey = Annotated[ApiKey, Depends(require_write_key)]
SessionFactory = Annotated[sessionmaker[Session], Depends(session_factory)]
