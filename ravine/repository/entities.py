"""Entities: create, extend aliases, find by slug, name or alias."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ravine.masking import entity_terms, unique_terms
from ravine.models import Entity


def slugify(name: str) -> str:
    """``"Acme Corp."`` → ``"acme-corp"``: lower-case ASCII words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100]


def find_entity(session: Session, ref: str) -> Entity | None:
    """The entity whose slug, name or one of whose aliases is ``ref`` (case-insensitive)."""
    wanted = ref.strip().casefold()
    if "\x00" in wanted:  # no name holds one, and PostgreSQL refuses to compare with it
        return None
    by_key = session.scalars(
        select(Entity).where((Entity.slug == slugify(ref)) | (func.lower(Entity.name) == wanted))
    ).first()
    if by_key is not None:
        return by_key
    for entity in session.scalars(select(Entity).order_by(Entity.id)):
        if any(alias.casefold() == wanted for alias in entity.aliases):
            return entity
    return None


def upsert_entity(
    session: Session, *, name: str, slug: str | None = None, aliases: Sequence[str] = ()
) -> tuple[Entity, bool]:
    """Create the entity, or add new aliases to the existing one. Returns (entity, created)."""
    slug = slug or slugify(name)
    entity = session.scalars(select(Entity).where(Entity.slug == slug)).first()
    created = entity is None
    if entity is None:
        entity = Entity(slug=slug, name=name, aliases=[])
        session.add(entity)
    known = {alias.casefold() for alias in entity.aliases}
    new = [alias for alias in dict.fromkeys(a.strip() for a in aliases) if alias]
    entity.aliases = [*entity.aliases, *(a for a in new if a.casefold() not in known)]
    session.flush()
    return entity, created


def list_entities(session: Session) -> list[Entity]:
    return list(session.scalars(select(Entity).order_by(Entity.slug)))


def tracked_terms(session: Session) -> tuple[str, ...]:
    """Every tracked entity's terms: each document masks them all, since a post filed under one
    entity that names another would otherwise score that other's name ("united" is +1.8)."""
    return unique_terms(
        term
        for entity in list_entities(session)
        for term in entity_terms(name=entity.name, slug=entity.slug, aliases=entity.aliases)
    )
