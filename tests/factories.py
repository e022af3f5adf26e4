"""Small builders of realistic records for tests (no mocks: real rows in real databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from ravine.records import DocumentRecord
from ravine.repository.entities import upsert_entity
from ravine.repository.sources import get_or_create_source

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def make_source(session: Session, *, voice: str = "public") -> tuple[int, int]:
    """An entity and a source for it; returns (entity_id, source_id)."""
    entity, _ = upsert_entity(session, name="Northwind Air", aliases=["Northwind", "@northwind"])
    source = get_or_create_source(
        session, name=f"test-{voice}", kind="file", voice=voice, entity_id=entity.id
    )
    return entity.id, source.id


def make_records(entity_id: int, count: int, *, voice: str = "public") -> list[DocumentRecord]:
    """``count`` scored posts spread over several hours, with varied scores and engagement."""
    records = []
    for i in range(count):
        compound = round(((i * 37) % 200 - 100) / 100, 4)
        records.append(
            DocumentRecord(
                external_id=f"post-{i}",
                entity_id=entity_id,
                voice=voice,
                text=f"post number {i}",
                published_at=START + timedelta(minutes=17 * i),
                author=f"user{i % 7}",
                likes=i % 5,
                reposts=i % 3,
                replies=None,
                neg=0.1,
                neu=0.8,
                pos=0.1,
                compound=compound,
                sentences=1,
                scorer_version="test",
            )
        )
    return records
