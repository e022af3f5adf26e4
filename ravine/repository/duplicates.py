"""Which stored documents are near-duplicates (:mod:`ravine.duplicates`), kept so by every write
while the roll-ups collapse them, and the switch between counting and collapsing them."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select, update
from sqlalchemy.orm import Session

from ravine.duplicates import duplicates, text_key
from ravine.errors import ConfigError
from ravine.models import Document, RollupMode
from ravine.rollup import RollupDelta, engagement_weight

_table = cast(Table, Document.__table__)  # a mapped class always has a Table
_CHUNK = 900  # keys per IN (…), well under every backend's parameter limit
_PAGE = 5_000  # documents per page when every key is computed again

GroupKey = tuple[int, str, int | None]
"""(entity_id, voice, text_key): the documents that may be duplicates of each other."""


def collapsing(session: Session) -> bool:
    """Whether the stored roll-ups count near-duplicates once (``rollup_mode``)."""
    return bool(session.scalar(select(RollupMode.collapse_duplicates).where(RollupMode.id == 1)))


def require_mode(session: Session, *, collapse: bool) -> None:
    """Refuse to write under a setting the stored roll-ups do not follow yet."""
    stored = collapsing(session)
    if stored != collapse:
        now = "count near-duplicates once" if stored else "count every near-duplicate"
        raise ConfigError(
            f"RAVINE_COLLAPSE_DUPLICATES is {str(collapse).lower()} but the stored roll-ups "
            f"{now}; run `ravine rollup rebuild` to apply the setting to the stored documents"
        )


_MEMBER_COLUMNS = (
    _table.c.id, _table.c.entity_id, _table.c.voice, _table.c.text_key, _table.c.author,
    _table.c.published_at, _table.c.is_duplicate, _table.c.compound, _table.c.likes,
    _table.c.reposts, _table.c.replies,
)  # fmt: skip
# "+ 0": a key's documents are found by the (entity, voice, text_key) index; without
# statistics SQLite would rather read the voice's scored range of the compound index.
_COUNTED = (_table.c.deleted_at.is_(None), (_table.c.compound + 0).is_not(None))


def settle(session: Session, keys: Iterable[GroupKey], delta: RollupDelta) -> None:
    """Decide again which counted documents of these keys are duplicates, after a write to
    some of them: a document that turns into one leaves its hour's roll-up (added to
    ``delta``), one that stops being one comes back. Call only while :func:`collapsing`."""
    wanted: defaultdict[tuple[int, str], set[int]] = defaultdict(set)
    for entity_id, voice, key in keys:
        if key is not None:
            wanted[entity_id, voice].add(key)
    changes: list[dict[str, Any]] = []
    for (entity_id, voice), found in wanted.items():
        ordered = sorted(found)
        for start in range(0, len(ordered), _CHUNK):
            query = members_query(entity_id, voice, ordered[start : start + _CHUNK])
            members = sorted(session.execute(query), key=itemgetter(3))
            changes.extend(_changes(members, delta))
    _store(session, changes)


def members_query(entity_id: int, voice: str, keys: list[int]) -> Select[Any]:
    """The counted documents of these keys of one entity and voice: lookups of the
    (entity, voice, text_key) index, which holds every document with a key."""
    return select(*_MEMBER_COLUMNS).where(
        _table.c.entity_id == entity_id,
        _table.c.voice == voice,
        _table.c.text_key.in_(keys),
        *_COUNTED,
    )


def _changes(members: list[Any], delta: RollupDelta) -> Iterator[dict[str, Any]]:
    """Flag changes of documents sorted by key, each counted in or out of ``delta``."""
    for _, group in itertools.groupby(members, key=itemgetter(3)):
        rows = list(group)
        found = duplicates((row.id, row.author, row.published_at) for row in rows)
        for row in rows:
            flagged = row.id in found
            if flagged == row.is_duplicate:
                continue
            delta.add(
                entity_id=row.entity_id, voice=row.voice, published_at=row.published_at,
                compound=row.compound, sign=-1 if flagged else 1,
                weight=engagement_weight(row.likes, row.reposts, row.replies),
            )  # fmt: skip
            yield {"_id": row.id, "value": flagged}


def _store(session: Session, changes: list[dict[str, Any]]) -> None:
    _set_by_id(session, "is_duplicate", changes)


def _set_by_id(session: Session, column: str, changes: list[dict[str, Any]]) -> None:
    """Set ``column`` of each document ``_id`` to its ``value``, in one executemany."""
    if changes:
        statement = (
            update(_table)
            .where(_table.c.id == bindparam("_id"))
            .values({column: bindparam("value")})
        )
        session.connection().execute(statement, changes)


def switch(session: Session, *, collapse: bool) -> int:
    """Make the stored documents and ``rollup_mode`` follow ``collapse`` (the roll-ups must be
    rebuilt after, in the same transaction); returns how many documents are duplicates.

    Collapsing computes every document's key again first (documents written while duplicates
    counted have none, and a newer Ravine may normalise texts differently), then flags each
    key's duplicates; counting them clears every flag and key.
    """
    flagged = 0
    if collapse:
        _rekey(session)
        members = session.execute(
            select(*_MEMBER_COLUMNS)
            .where(_table.c.text_key.is_not(None), *_COUNTED)
            .order_by(_table.c.entity_id, _table.c.voice, _table.c.text_key)
            .execution_options(yield_per=_PAGE)
        )
        changes: list[dict[str, Any]] = []
        for _, group in itertools.groupby(members, key=itemgetter(1, 2, 3)):
            rows = list(group)
            found = duplicates((row.id, row.author, row.published_at) for row in rows)
            flagged += len(found)
            changes.extend(
                {"_id": row.id, "value": row.id in found}
                for row in rows
                if (row.id in found) != row.is_duplicate
            )
        _store(session, changes)
    else:
        session.execute(
            update(Document)
            .where(Document.text_key.is_not(None) | Document.is_duplicate)
            .values(text_key=None, is_duplicate=False)
        )
    session.execute(update(RollupMode).values(collapse_duplicates=collapse))
    return flagged


def _rekey(session: Session) -> None:
    """Store :func:`ravine.duplicates.text_key` of every live document, page by page."""
    after = 0
    while True:
        page = session.execute(
            select(_table.c.id, _table.c.text, _table.c.author, _table.c.text_key)
            .where(_table.c.id > after, _table.c.deleted_at.is_(None))
            .order_by(_table.c.id)
            .limit(_PAGE)
        ).all()
        if not page:
            return
        changes = [
            {"_id": i, "value": key}
            for i, text, author, stored in page
            if (key := text_key(text, author)) != stored
        ]
        _set_by_id(session, "text_key", changes)
        after = page[-1][0]
