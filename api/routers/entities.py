"""Entities with their document counts and date ranges per voice."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.deps import Caches, ReadSession
from api.ravine_bodies import dumps
from api.response_cache import Body
from api.schemas import EntityList, EntityOut, VoiceCounts
from ravine.errors import NotFoundError
from ravine.models import Entity
from ravine.repository.entities import find_entity, list_entities
from ravine.repository.overview import VoiceOverview, voice_overview

router = APIRouter(prefix="/entities", tags=["entities"])
_EMPTY = VoiceOverview(documents=0, scored=0, first=None, last=None)


def _out(entity: Entity, overview: dict[tuple[int, str], VoiceOverview]) -> dict[str, Any]:
    def counts(voice: str) -> VoiceCounts:
        found = overview.get((entity.id, voice), _EMPTY)
        return VoiceCounts(
            documents=found.documents, scored=found.scored, first=found.first, last=found.last
        )

    out = EntityOut(
        slug=entity.slug,
        name=entity.name,
        aliases=entity.aliases,
        corporate=counts("corporate"),
        public=counts("public"),
    )
    return out.model_dump(mode="json")


def entity_or_404(session: ReadSession, ref: str) -> Entity:
    entity = find_entity(session, ref)
    if entity is None:
        raise NotFoundError(f"no entity {ref!r}; GET /api/v1/entities lists them")
    return entity


def entity_key(entity: Entity) -> Hashable:
    """What names an entity's data in a response's key: a write moves ``data_version``; the
    id and creation time tell a new entity from an older one that had the same id."""
    return (entity.id, entity.created_at.isoformat(), entity.data_version)


def _listing_key(entity: Entity) -> Hashable:
    return (entity_key(entity), entity.slug, entity.name, tuple(entity.aliases))


@router.get("", response_model=EntityList)
def list_all(request: Request, session: ReadSession, caches: Caches) -> Response:
    """Every tracked entity, with counts and first/last publication dates per voice."""
    entities = list_entities(session)

    def build() -> Body:
        overview = voice_overview(session)
        return Body(dumps({"items": [_out(e, overview) for e in entities]}), "application/json")

    key = ("entities", tuple(_listing_key(e) for e in entities))
    return caches.responses.respond(request, key, build)


@router.get("/{slug}", response_model=EntityOut, responses={404: {"description": "No such entity"}})
def get_one(
    request: Request,
    session: ReadSession,
    caches: Caches,
    slug: Annotated[str, Path(max_length=200)],
) -> Response:
    """One entity by slug (or name or alias)."""
    entity = entity_or_404(session, slug)

    def build() -> Body:
        overview = voice_overview(session, entity_ids=[entity.id])
        return Body(dumps(_out(entity, overview)), "application/json")

    return caches.responses.respond(request, ("entity", _listing_key(entity)), build)
