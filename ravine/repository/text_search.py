"""Word search in document texts through each backend's full-text index.

What ``q`` promises, on SQLite and PostgreSQL alike: a document matches when its text contains
every word of ``q`` as a whole word, in any case; a word is a run of letters and digits, so
``check-in`` is the words ``check`` and ``in`` and punctuation never matters. A ``*`` right
after the last word matches any word that starts with it (``deliver*``). Accents count
(``café`` is not ``cafe``).

The indexes (migration 5c2e8f1a9d43) are SQLite's FTS5 table ``document_search`` and
PostgreSQL's generated column ``documents.search`` with its GIN index. PostgreSQL keeps its own
in step; on SQLite, triggers follow every update and delete, and :func:`index_inserted` adds a
batch's new documents in one statement (a row trigger made FTS5 flush after every row: ten
times the cost of the whole insert).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from ravine.errors import ConfigError
from ravine.migrate import SEARCH_COLUMN, SEARCH_TABLE
from ravine.models import Document

WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16

_search_table = table(SEARCH_TABLE, column("rowid"))


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a search, and whether the last one is a prefix."""

    words: tuple[str, ...]
    prefix: bool

    @classmethod
    def parse(cls, q: str) -> Words:
        """The words of ``q``; raises :class:`ConfigError` when there are none or too many."""
        words = tuple(WORD.findall(q))
        if not words:
            raise ConfigError(
                f"q: {q!r} has no word to search for; give letters or digits, e.g. q=delayed"
            )
        if len(words) > MAX_WORDS:
            raise ConfigError(f"q: {len(words)} words; search for at most {MAX_WORDS}")
        return cls(words, prefix=q.rstrip().endswith("*"))


def matches(
    dialect: str, words: Words, *, entity_id: int | None, voice: str | None
) -> ColumnElement[bool]:
    """A condition on ``documents`` that holds for the documents whose text has ``words``.

    On SQLite the entity and voice are searched in the index too, so a search within one
    entity reads that entity's matches, not every document's.
    """
    if dialect == "postgresql":
        lexemes = " & ".join(f"'{word}'" for word in words.words)
        query: BindParameter[str] = bindparam("q_tsquery", _with_prefix(lexemes, words, ":*"))
        tsquery = func.to_tsquery(literal_column("'simple'"), query)
        return literal_column(f"documents.{SEARCH_COLUMN}").op("@@")(tsquery)
    text = " AND ".join(f'"{word}"' for word in words.words)
    parts = [f"text : ({_with_prefix(text, words, ' *')})"]
    if entity_id is not None:
        parts.append(f'scope : "e{entity_id}"')
    if voice is not None:
        parts.append(f'scope : "{voice}"')
    match: BindParameter[str] = bindparam("q_match", " AND ".join(parts))
    found = select(_search_table.c.rowid).where(literal_column(SEARCH_TABLE).op("MATCH")(match))
    return Document.id.in_(found)


def _with_prefix(expression: str, words: Words, marker: str) -> str:
    return expression + marker if words.prefix else expression


def index_inserted(session: Session, *, source_id: int, after_id: int, upto: int) -> None:
    """Add the documents a batch just inserted for ``source_id`` (ids in (after_id, upto]) to
    SQLite's text index; PostgreSQL computes its own."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_INDEX_INSERTED, {"s": source_id, "a": after_id, "u": upto})


_INDEX_INSERTED = text(
    f"INSERT INTO {SEARCH_TABLE}(rowid, scope, text) "
    "SELECT id, 'e' || entity_id || ' ' || voice, text FROM documents "
    "WHERE id > :a AND id <= :u AND source_id + 0 = :s"
)
