"""Samples of who wrote an entity's documents, kept between requests and named by the entity's
data version (:class:`ravine.versioned_cache.VersionedCache`): switching a chart's metric,
smoothing or weighting reads no document again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ravine.analytics.clusters import AuthorSample
from ravine.models import Entity
from ravine.repeat_authors import SampleReader
from ravine.repository.authors import author_sample
from ravine.versioned_cache import VersionedCache


class AuthorCache(VersionedCache[AuthorSample]):
    """At most ``max_bytes`` of entities' author samples; thread-safe."""

    def reader(self, session: Session, entity: Entity) -> SampleReader:
        """What :func:`ravine.gap.gap_series` reads an entity's samples with, through here."""

        def read(voice: str, since: datetime, until: datetime) -> AuthorSample:
            return self.get(
                (entity.id, entity.data_version),
                (voice, since, until),
                lambda: author_sample(
                    session, entity_id=entity.id, voice=voice, since=since, until=until
                ),
                lambda sample: sample.nbytes,
            )

        return read
