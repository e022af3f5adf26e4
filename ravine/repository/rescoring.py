"""Find documents whose scores are missing or stale, and store new scores with exact roll-ups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ravine.models import Document
from ravine.records import ScoreFields
from ravine.repository.documents import count_into
from ravine.repository.duplicates import collapsing, settle
from ravine.repository.rollups import apply_delta
from ravine.repository.totals import TotalsDelta, apply_totals
from ravine.rollup import RollupDelta

_table = cast(Table, Document.__table__)  # a mapped class always has a Table
_SCORE_COLUMNS = tuple(item.name for item in fields(ScoreFields))


@dataclass(frozen=True, slots=True)
class ScoreTarget:
    id: int
    text: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class ScoreUpdate:
    id: int
    fields: ScoreFields


def documents_to_score(
    session: Session, *, entity_id: int, current_version: str | None, after_id: int, limit: int
) -> list[ScoreTarget]:
    """The next page (by id) of the entity's documents never scored, or, given
    ``current_version``, also those scored by another scorer version."""
    stale: ColumnElement[bool] = Document.scorer_version.is_(None)
    if current_version is not None:
        stale = or_(stale, Document.scorer_version != current_version)
    query = (
        select(Document.id, Document.text, Document.lang)
        .where(Document.entity_id == entity_id, Document.id > after_id, stale)
        .where(Document.deleted_at.is_(None))
        .order_by(Document.id)
        .limit(limit)
    )
    return [ScoreTarget(id=i, text=t, lang=lang) for i, t, lang in session.execute(query)]


def apply_scores(session: Session, updates: Sequence[ScoreUpdate]) -> None:
    """Store new scores; each document's roll-up share moves from its old score to its new one.

    A near-duplicate stays out of the roll-ups; while they collapse, the documents sharing a
    rescored one's text key are decided again (one that lost its score no longer repeats any)."""
    if not updates:
        return
    by_id = {u.id: u for u in updates}
    delta, totals = RollupDelta(), TotalsDelta()
    old_rows = session.execute(
        select(
            _table.c.id,
            _table.c.entity_id,
            _table.c.voice,
            _table.c.published_at,
            _table.c.compound,
            _table.c.likes,
            _table.c.reposts,
            _table.c.replies,
            _table.c.deleted_at,
            _table.c.is_duplicate,
            _table.c.text_key,
        ).where(_table.c.id.in_(list(by_id)))
    ).all()
    for old in old_rows:
        count_into(delta, totals, old, compound=old.compound, sign=-1)
        count_into(delta, totals, old, compound=by_id[old.id].fields.compound, sign=+1)
    statement = (
        update(_table)
        .where(_table.c.id == bindparam("_id"))
        .values({name: bindparam(f"new_{name}") for name in _SCORE_COLUMNS})
    )
    session.connection().execute(
        statement,
        [
            {"_id": u.id, **{f"new_{n}": getattr(u.fields, n) for n in _SCORE_COLUMNS}}
            for u in updates
        ],
    )
    if collapsing(session):
        settle(session, {(old.entity_id, old.voice, old.text_key) for old in old_rows}, delta)
    apply_delta(session, delta)
    apply_totals(session, totals)
