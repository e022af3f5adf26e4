"""Sparse real-shaped data: a few corporate statements a week beside hundreds of posts a day.

This is what analysts load: a newsroom feed whose history reaches weeks back, and a scrape of
posts over a short span (nine days of tweets) or a long one (three years). Documents are
stored scored, through the real repository, so the roll-ups are the ones ingest would write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ravine.db import make_engine, make_session_factory, session_scope
from ravine.records import DocumentRecord
from ravine.repository.documents import upsert_documents
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source


@dataclass(frozen=True, slots=True)
class Sparse:
    """What to build: posts on ``days`` days from ``first``, statements from ``history`` days
    before ``first`` to its last day."""

    first: date
    days: int
    posts_per_day: int
    statements_per_week: int
    history: int = 56
    name: str = "Skyline Air"
    seed: int = 7

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)


NINE_DAYS = Sparse(first=date(2025, 2, 17), days=9, posts_per_day=300, statements_per_week=4)
THREE_YEARS = Sparse(
    first=date(2022, 1, 3), days=3 * 365, posts_per_day=120, statements_per_week=3, history=0
)


def _record(
    rng: random.Random, *, entity_id: int, i: int, voice: str, at: datetime, mood: float
) -> DocumentRecord:
    compound = round(max(-1.0, min(1.0, rng.gauss(mood, 0.45))), 4)
    return DocumentRecord(
        external_id=f"{voice}-{i}", entity_id=entity_id, voice=voice,
        text=f"{'Statement' if voice == 'corporate' else 'post'} {i} about the airline",
        title=f"Statement {i}" if voice == "corporate" and i % 3 else None,
        published_at=at, likes=rng.randrange(5), reposts=None, replies=None,
        neg=0.1, neu=0.8, pos=0.1, compound=compound, sentences=1, scorer_version="test",
    )  # fmt: skip


def records(spec: Sparse, entity_id: int) -> dict[str, list[DocumentRecord]]:
    """Statements spread evenly (with jitter) and posts at random times, per voice."""
    rng = random.Random(spec.seed)
    start = datetime.combine(spec.first, datetime.min.time(), tzinfo=UTC)
    found: dict[str, list[DocumentRecord]] = {"corporate": [], "public": []}
    count = (spec.history + spec.days) * spec.statements_per_week // 7
    gap = (spec.history + spec.days) * 86_400 / count
    for i in range(count):
        at = start - timedelta(days=spec.history, seconds=-gap * (i + rng.uniform(0.1, 0.9)))
        found["corporate"].append(
            _record(rng, entity_id=entity_id, i=i, voice="corporate", at=at, mood=0.6)
        )
    for i in range(spec.days * spec.posts_per_day):
        at = start + timedelta(seconds=rng.randrange(spec.days * 86_400))
        found["public"].append(
            _record(rng, entity_id=entity_id, i=i, voice="public", at=at, mood=-0.1)
        )
    return found


def load_sparse(url: str, spec: Sparse) -> str:
    """Store ``spec``'s documents in the database at ``url``; returns the entity's slug."""
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine), write=True) as session:
            entity, _ = upsert_entity(session, name=spec.name, aliases=[])
            for voice, rows in records(spec, entity.id).items():
                source = get_or_create_source(
                    session, name=f"{entity.slug}-{voice}", kind="file", voice=voice,
                    entity_id=entity.id,
                )  # fmt: skip
                upsert_documents(session, source_id=source.id, records=rows, expect_new=True)
            return str(entity.slug)
    finally:
        engine.dispose()
