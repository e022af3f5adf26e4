"""Entities' roll-up hours kept in memory between requests, named by their data version.

A write to an entity moves its ``data_version`` (:mod:`ravine.repository.totals`), so a copy
read under an older version is simply never asked for again: nothing has to be invalidated,
and several server processes (or replicas) each keep their own copy safely. Least recently
used copies go first once the cache holds more than its budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from ravine.models import Entity
from ravine.repository.series import EntityHours, hour_columns


class HourCache:
    """At most ``max_bytes`` of entities' hours, least recently used out first; thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._held: OrderedDict[tuple[int, int], tuple[EntityHours, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def hours(self, session: Session, entity: Entity) -> EntityHours:
        """The entity's roll-up hours as of its ``data_version`` in this session."""
        key = (entity.id, entity.data_version)
        with self._lock:
            found = self._held.get(key)
            if found is not None:
                self._held.move_to_end(key)
                return found[0]
        hours = hour_columns(session, entity_id=entity.id)  # outside the lock: reads overlap
        self._keep(key, hours)
        return hours

    def _keep(self, key: tuple[int, int], hours: EntityHours) -> None:
        size = sum(columns.nbytes for columns in hours.values())
        if size > self.max_bytes:
            return
        with self._lock:
            versions = [k for k in self._held if k[0] == key[0]]
            if any(k[1] >= key[1] for k in versions):  # as new or newer already held
                return
            for old in versions:
                self._bytes -= self._held.pop(old)[1]
            self._held[key] = (hours, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._bytes -= self._held.popitem(last=False)[1][1]

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._bytes
