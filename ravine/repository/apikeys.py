"""API keys: create, list, revoke, and check a presented key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ravine.apikeys import display_prefix, generate_key, hash_key
from ravine.errors import ConfigError, NotFoundError
from ravine.models import ApiKey

_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at precision: no write on every request


def create_key(session: Session, *, name: str) -> tuple[ApiKey, str]:
    """A new key named ``name``; returns the row and the key itself (never stored)."""
    if session.scalars(select(ApiKey).where(ApiKey.name == name)).first() is not None:
        raise ConfigError(f"an API key named {name!r} exists; choose another name or revoke it")
    key = generate_key()
    row = ApiKey(name=name, prefix=display_prefix(key), key_hash=hash_key(key))
    session.add(row)
    session.flush()
    return row, key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_key(session: Session, *, name: str) -> ApiKey:
    row = session.scalars(select(ApiKey).where(ApiKey.name == name)).first()
    if row is None:
        raise NotFoundError(f"no API key named {name!r}; see `ravine apikey list`")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
    session.flush()
    return row


def check_key(session: Session, key: str) -> ApiKey | None:
    """The active key matching ``key``, noting when it was last used; None if unknown or revoked."""
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()
    if row is None or row.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        row.last_used_at = now
        session.flush()
    return row
