"""Values computed from an entity's data, kept in memory between requests and named by the
entity's data version.

A write to an entity moves its ``data_version`` (:mod:`ravine.repository.totals`), so a copy
made under an older version is simply never asked for again: nothing has to be invalidated,
and several server processes (or replicas) each keep their own copies safely. Least recently
used copies go first once the cache holds more than its budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
Key = tuple[int, int, Hashable]  # (entity id, data version, what was computed)


class VersionedCache(Generic[V]):
    """At most ``max_bytes`` of values, least recently used out first; thread-safe. Keeping a
    value of an entity's newer version drops those of its older ones."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._held: OrderedDict[Key, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(
        self,
        entity: tuple[int, int],
        what: Hashable,
        build: Callable[[], V],
        size: Callable[[V], int],
    ) -> V:
        """The value named by ``entity`` (id, data version) and ``what``, built (outside the
        lock, so reads overlap) when not held."""
        key = (*entity, what)
        with self._lock:
            found = self._held.get(key)
            if found is not None:
                self._held.move_to_end(key)
                return found[0]
        value = build()
        self._keep(key, value, size(value))
        return value

    def _keep(self, key: Key, value: V, size: int) -> None:
        if size > self.max_bytes:
            return
        with self._lock:
            same = [k for k in self._held if k[0] == key[0]]
            if key in self._held or any(k[1] > key[1] for k in same):  # held, or stale
                return
            for old in same:
                if old[1] < key[1]:
                    self._bytes -= self._held.pop(old)[1]
            self._held[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._bytes -= self._held.popitem(last=False)[1][1]

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._bytes
