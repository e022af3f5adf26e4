"""Resolve entity names found in import options or files to ids and masking terms, once each."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ravine.db import session_scope
from ravine.masking import entity_terms
from ravine.models import Entity
from ravine.repository.entities import find_entity, tracked_terms, upsert_entity


@dataclass(frozen=True, slots=True)
class EntityInfo:
    id: int
    slug: str
    mask_terms: tuple[str, ...]


def entity_info(entity: Entity) -> EntityInfo:
    terms = entity_terms(name=entity.name, slug=entity.slug, aliases=entity.aliases)
    return EntityInfo(id=entity.id, slug=entity.slug, mask_terms=terms)


class EntityDirectory:
    """Looks each distinct name up once; with ``create`` unknown names become new entities."""

    def __init__(self, session_factory: sessionmaker[Session], *, create: bool) -> None:
        self._factory = session_factory
        self._create = create
        self._known: dict[str, EntityInfo | None] = {}
        self._terms: tuple[str, ...] | None = None

    @property
    def mask_terms(self) -> tuple[str, ...]:
        """Every tracked entity's terms (:func:`tracked_terms`), read again only after this
        directory created an entity."""
        if self._terms is None:
            with session_scope(self._factory) as session:
                self._terms = tracked_terms(session)
        return self._terms

    def resolve(self, ref: str) -> EntityInfo | None:
        key = ref.strip().casefold()
        if key not in self._known:
            self._known[key] = self._lookup(ref.strip())
        return self._known[key]

    def _lookup(self, ref: str) -> EntityInfo | None:
        with session_scope(self._factory, write=self._create) as session:
            entity = find_entity(session, ref)
            if entity is None and self._create:
                entity, _ = upsert_entity(session, name=ref)
                self._terms = None
            return None if entity is None else entity_info(entity)
