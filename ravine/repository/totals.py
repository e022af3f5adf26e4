"""Per-voice totals and entity data versions, kept by every write in the write's transaction.

``voice_totals`` answers "how many documents, how many scored, from when to when" without
counting ``documents``; ``entities.data_version`` changes whenever an entity's documents or
roll-ups do, so a response computed from them can be named by it (ETags, caches).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Executable, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from ravine.models import Document, Entity, VoiceTotal
from ravine.repository.bulk import upsert_into

Pair = tuple[int, str]  # (entity_id, voice)


class TotalsDelta:
    """Signed changes of one write to each (entity, voice): live and scored documents.

    A pair that is touched without a change in its counts (an edit) is still written: its
    first/last times are re-read and its entity's data version moves.
    """

    def __init__(self) -> None:
        self.documents: Counter[Pair] = Counter()
        self.scored: Counter[Pair] = Counter()
        self.touched: set[Pair] = set()

    def add(self, entity_id: int, voice: str, *, scored: bool, sign: int) -> None:
        pair = (entity_id, voice)
        self.documents[pair] += sign
        if scored:
            self.scored[pair] += sign
        self.touched.add(pair)

    def add_counted(self, counts: Iterable[tuple[tuple[int, str, bool], int]]) -> None:
        """Add many new documents at once: ((entity_id, voice, scored), how many) pairs."""
        for (entity_id, voice, scored), count in counts:
            pair = (entity_id, voice)
            self.documents[pair] += count
            if scored:
                self.scored[pair] += count
            self.touched.add(pair)

    def touch(self, entity_id: int, voice: str) -> None:
        self.touched.add((entity_id, voice))


def apply_totals(session: Session, delta: TotalsDelta) -> None:
    """Write a batch's totals and move the data version of every entity it touched.

    Pairs and entities go in key order, so two writers lock their rows in the same order.
    """
    if not delta.touched:
        return
    pairs = sorted(delta.touched)
    params = [
        {"e": e, "v": v, "d": delta.documents[e, v], "s": delta.scored[e, v]} for e, v in pairs
    ]
    connection = session.connection()
    connection.execute(_upsert_statement(connection.dialect.name), params)
    bump_versions(session, sorted({e for e, _ in pairs}))


def bump_versions(session: Session, entity_ids: list[int]) -> None:
    """Mark these entities' data as changed (responses computed before are stale)."""
    if entity_ids:
        session.execute(
            update(Entity)
            .where(Entity.id.in_(entity_ids))
            .values(data_version=Entity.data_version + 1)
            .execution_options(synchronize_session=False)
        )


def _edge(*, last: bool) -> Any:
    """The first (or last) publication time of the pair's live documents: an index seek."""
    order = Document.published_at.desc() if last else Document.published_at.asc()
    return (
        select(Document.published_at)
        .where(
            Document.entity_id == bindparam("e"),
            Document.voice == bindparam("v"),
            Document.deleted_at.is_(None),
        )
        .order_by(order)
        .limit(1)
        .scalar_subquery()
    )


@functools.cache
def _upsert_statement(dialect: str) -> Executable:
    """Add the counts to the pair's row (created on first use) and re-read its first/last."""
    statement = upsert_into(dialect, VoiceTotal).values(
        entity_id=bindparam("e"),
        voice=bindparam("v"),
        documents=bindparam("d"),
        scored=bindparam("s"),
        first_at=_edge(last=False),
        last_at=_edge(last=True),
    )
    table = VoiceTotal.__table__.c
    return statement.on_conflict_do_update(
        index_elements=["entity_id", "voice"],
        set_={
            "documents": table.documents + statement.excluded.documents,
            "scored": table.scored + statement.excluded.scored,
            "first_at": statement.excluded.first_at,
            "last_at": statement.excluded.last_at,
        },
    )


def rebuild_totals(session: Session) -> int:
    """Recount every entity's totals from ``documents`` (after a repair); every version moves."""
    session.execute(delete(VoiceTotal))
    live = Document.deleted_at.is_(None)
    counts = (
        select(
            Document.entity_id,
            Document.voice,
            func.count(),
            func.count(Document.compound),
            func.min(Document.published_at),
            func.max(Document.published_at),
        )
        .where(live)
        .group_by(Document.entity_id, Document.voice)
    )
    columns = ["entity_id", "voice", "documents", "scored", "first_at", "last_at"]
    session.execute(insert(VoiceTotal).from_select(columns, counts))
    session.execute(
        update(Entity)
        .values(data_version=Entity.data_version + 1)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(select(func.count()).select_from(VoiceTotal)) or 0


def voice_totals(session: Session, entity_ids: list[int] | None = None) -> dict[Pair, VoiceTotal]:
    """(entity_id, voice) → its totals; pairs without documents are absent."""
    query = select(VoiceTotal)
    if entity_ids is not None:
        query = query.where(VoiceTotal.entity_id.in_(entity_ids))
    return {(t.entity_id, t.voice): t for t in session.scalars(query)}
