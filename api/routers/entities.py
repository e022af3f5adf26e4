"""Entities with their document counts and date ranges per voice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import ReadSession
from api.schemas import EntityList, EntityOut, VoiceCounts
from ravine.errors import NotFoundError
from ravine.models import Entity
from ravine.repository.entities import find_entity, list_entities
from ravine.repository.overview import VoiceOverview, voice_overview

router = APIRouter(prefix="/entities", tags=["entities"])
_EMPTY = VoiceOverview(documents=0, scored=0, first=None, last=None)


def _out(entity: Entity, overview: dict[tuple[int, str], VoiceOverview]) -> EntityOut:
    def counts(voice: str) -> VoiceCounts:
        found = overview.get((entity.id, voice), _EMPTY)
        return VoiceCounts(
            documents=found.documents, scored=found.scored, first=found.first, last=found.last
        )

    return EntityOut(
        slug=entity.slug,
        name=entity.name,
        aliases=entity.aliases,
        corporate=counts("corporate"),
        public=counts("public"),
    )


def entity_or_404(session: ReadSession, ref: str) -> Entity:
    entity = find_entity(session, ref)
    if entity is None:
        raise NotFoundError(f"no entity {ref!r}; GET /api/v1/entities lists them")
    return entity


@router.get("", response_model=EntityList)
def list_all(session: ReadSession) -> EntityList:
    """Every tracked entity, with counts and first/last publication dates per voice."""
    overview = voice_overview(session)
    return EntityList(items=[_out(entity, overview) for entity in list_entities(session)])


@router.get("/{slug}", response_model=EntityOut, responses={404: {"description": "No such entity"}})
def get_one(session: ReadSession, slug: Annotated[str, Path(max_length=200)]) -> EntityOut:
    """One entity by slug (or name or alias)."""
    entity = entity_or_404(session, slug)
    return _out(entity, voice_overview(session, entity_ids=[entity.id]))
