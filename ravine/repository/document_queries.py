"""Find documents by entity, voice, time, text, score, language and source, page by page.

Pages are keyed on (sort value, id), not offsets, so a page boundary does not move when new
documents arrive while a client is paging.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, select, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from ravine.errors import ConfigError
from ravine.models import Document, Entity, Source
from ravine.repository.text_search import Words, matches

SortKey = Literal["published_at", "compound"]
VOICES = ("corporate", "public")


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFilter:
    entity_id: int | None = None
    voice: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    text: str | None = None
    min_compound: float | None = None
    max_compound: float | None = None
    lang: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    document: Document
    entity: str
    source: str


def _conditions(where: DocumentFilter, dialect: str) -> list[ColumnElement[bool]]:
    checks: list[ColumnElement[bool]] = [Document.deleted_at.is_(None)]
    if where.entity_id is not None:
        checks.append(Document.entity_id == where.entity_id)
    if where.voice is not None:
        checks.append(Document.voice == where.voice)
    if where.since is not None:
        checks.append(Document.published_at >= where.since)
    if where.until is not None:
        checks.append(Document.published_at < where.until)
    if where.text:
        words = Words.parse(where.text)
        checks.append(matches(dialect, words, entity_id=where.entity_id, voice=where.voice))
    if where.min_compound is not None:
        checks.append(Document.compound >= where.min_compound)
    if where.max_compound is not None:
        checks.append(Document.compound <= where.max_compound)
    if where.lang is not None:
        checks.append(Document.lang == where.lang)
    return checks


def encode_cursor(value: Any, doc_id: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, doc_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


MAX_ID = 2**63 - 1


def decode_cursor(cursor: str, sort: SortKey) -> tuple[Any, int]:
    """The (sort value, id) a cursor names; a cursor this API could not have issued (another
    sort's, a naive time, an id no row can have) is refused with one line, never sent on."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, doc_id = json.loads(base64.urlsafe_b64decode(padded))
        if not (type(doc_id) is int and 0 < doc_id <= MAX_ID):
            raise ValueError("id")
        if sort == "compound":
            value = float(value)
            if not math.isfinite(value):
                raise ValueError("compound")
            return value, doc_id
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment, doc_id
    except (ValueError, TypeError, OverflowError, json.JSONDecodeError):
        raise ConfigError(
            "cursor is not one this API issued for this sort; start again without a cursor"
        ) from None


def find_documents(
    session: Session,
    *,
    where: DocumentFilter,
    sort: SortKey = "published_at",
    descending: bool = True,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[DocumentRow], str | None]:
    """One page of documents and the cursor of the next page (None on the last page).

    Sorting by compound leaves out unscored documents, which have no compound to sort by.
    """
    query = page_query(
        session.get_bind().dialect.name, where=where, sort=sort, descending=descending,
        cursor=cursor, limit=limit + 1,
    )  # fmt: skip
    rows = session.execute(query).all()
    page = [DocumentRow(document=row[0], entity=row[1], source=row[2]) for row in rows[:limit]]
    if len(rows) <= limit:
        return page, None
    last = page[-1].document
    return page, encode_cursor(getattr(last, sort), last.id)


def page_query(
    dialect: str,
    *,
    where: DocumentFilter,
    sort: SortKey,
    descending: bool,
    cursor: str | None,
    limit: int,
) -> Select[Document, str, str]:
    """The query of one page: a range of an index that holds the sort column and ``id`` (the
    cursor compares them as one row value), so a page deep in an entity's documents costs what
    the first does (tests/test_query_plans.py reads the plans).

    An entity's page over both voices takes the first ``limit`` rows of each voice's range and
    keeps the first ``limit`` of those: two short index reads instead of an index of its own,
    which every write would have to keep too.
    """
    if where.entity_id is not None and where.voice is None:
        ranges = [
            select(Document)
            .where(
                *_page_conditions(dialect, replace(where, voice=voice), sort, descending, cursor)
            )
            .order_by(*_order(Document, sort, descending))
            .limit(limit)
            .subquery()
            for voice in VOICES
        ]
        doc: Any = aliased(Document, union_all(*(select(found) for found in ranges)).subquery())
    else:
        doc = Document
    page = (
        select(doc, Entity.slug, Source.name)
        .join(Entity, Entity.id == doc.entity_id)
        .join(Source, Source.id == doc.source_id)
    )
    if where.entity_id is None or where.voice is not None:
        page = page.where(*_page_conditions(dialect, where, sort, descending, cursor))
    return page.order_by(*_order(doc, sort, descending)).limit(limit)


def _page_conditions(
    dialect: str, where: DocumentFilter, sort: SortKey, descending: bool, cursor: str | None
) -> list[ColumnElement[bool]]:
    conditions = _conditions(where, dialect)
    if where.source is not None:
        conditions.append(
            Document.source_id.in_(select(Source.id).where(Source.name == where.source))
        )
    if sort == "compound":
        conditions.append(Document.compound.is_not(None))
    if cursor is not None:
        value, doc_id = decode_cursor(cursor, sort)
        key = tuple_(_sort_column(Document, sort), Document.id)
        start = (value, doc_id)  # the binds are typed as the columns
        conditions.append(key < start if descending else key > start)
    return conditions


def _sort_column(doc: Any, sort: SortKey) -> Any:
    """``documents`` (or an alias of it): the column a page is sorted on."""
    return doc.published_at if sort == "published_at" else doc.compound


def _order(doc: Any, sort: SortKey, descending: bool) -> tuple[Any, Any]:
    """The sort column, then the id, both ascending or both descending."""
    column = _sort_column(doc, sort)
    return (column.desc(), doc.id.desc()) if descending else (column.asc(), doc.id.asc())
