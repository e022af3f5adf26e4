"""Entities' roll-up hours kept in memory between requests, named by their data version
(:class:`ravine.versioned_cache.VersionedCache`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ravine.models import Entity
from ravine.repository.series import EntityHours, hour_columns
from ravine.versioned_cache import VersionedCache


class HourCache(VersionedCache[EntityHours]):
    """At most ``max_bytes`` of entities' hours, least recently used out first; thread-safe."""

    def hours(self, session: Session, entity: Entity) -> EntityHours:
        """The entity's roll-up hours as of its ``data_version`` in this session."""
        return self.get(
            (entity.id, entity.data_version),
            "hours",
            lambda: hour_columns(session, entity_id=entity.id),
            lambda hours: sum(columns.nbytes for columns in hours.values()),
        )
