"""The read path at scale: per-voice totals, data versions, an index per sort, full-text search.

- ``voice_totals``: each entity's live and scored documents and first/last publication time
  per voice, kept by every write, so listing entities reads a row per voice instead of
  scanning ``documents``.
- ``entities.data_version``: bumped by every write that touches an entity's documents or
  roll-ups; responses derive their ETag from it.
- ``rollup_days``: each UTC day's roll-up hours of an entity and voice packed in one row
  (89-byte records: the hour, then the eleven sums as little-endian int64), so a series reads a
  row per day instead of one per hour. Filled here from ``hourly_stats``.
- Indexes that serve each sort of the document search, with ``id`` as the tie-breaker so a
  cursor page is a range of the index: (entity, voice, time) and (entity, voice, compound) (a
  search over both voices merges the two ranges), and (time) for searches across entities.
- Full-text search of ``text``: a generated ``tsvector`` column with a GIN index on
  PostgreSQL, kept by the database; an FTS5 table on SQLite, which triggers keep in step on
  every update and delete, and the document writer on every insert (one statement per batch:
  an insert trigger made FTS5 flush after each row). Both index the same words: runs of
  letters and digits, any case.

Revision ID: 5c2e8f1a9d43
Revises: 8d41f0b7c2e5
Create Date: 2026-12-07 04:00:00
"""

import struct
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "5c2e8f1a9d43"
down_revision: str | None = "8d41f0b7c2e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_INDEXES = {
    "ix_documents_entity_id_voice_published_at_id": ["entity_id", "voice", "published_at", "id"],
    "ix_documents_entity_id_voice_compound_id": ["entity_id", "voice", "compound", "id"],
    "ix_documents_published_at_id": ["published_at", "id"],
}
OLD_INDEX = ("ix_documents_entity_id_voice_published_at", ["entity_id", "voice", "published_at"])

# The words of a text: every run of letters and digits, lower-cased. FTS5's unicode61
# tokenizer splits text this way; PostgreSQL's parser would keep URLs, e-mail addresses and
# decimals whole, so its text is split the same way first (a regular expression: translate()
# over the punctuation characters measured three times slower).
POSTGRES_SEARCH = (
    "strip(to_tsvector('simple'::regconfig, regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')))"
)

# SQLite: a contentless FTS5 table (the text stays in documents) with two columns: ``scope``
# holds the entity and voice as words ("e17 public"), so a search within one entity reads that
# entity's matches only; ``text`` the document's words.
SQLITE_SCOPE = "'e' || {row}.entity_id || ' ' || {row}.voice"
SQLITE_INSERT = (
    "INSERT INTO document_search(rowid, scope, text) "
    f"VALUES (new.id, {SQLITE_SCOPE.format(row='new')}, new.text);"
)
SQLITE_DELETE = (
    "INSERT INTO document_search(document_search, rowid, scope, text) "
    f"VALUES ('delete', old.id, {SQLITE_SCOPE.format(row='old')}, old.text);"
)
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE document_search USING fts5(scope, text, content='', detail=column, "
    "columnsize=0, tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER document_search_delete AFTER DELETE ON documents BEGIN {SQLITE_DELETE} END",
    "CREATE TRIGGER document_search_update AFTER UPDATE OF text, entity_id, voice ON documents "
    "WHEN old.text IS NOT new.text OR old.entity_id IS NOT new.entity_id "
    f"OR old.voice IS NOT new.voice BEGIN {SQLITE_DELETE} {SQLITE_INSERT} END",
    "INSERT INTO document_search(rowid, scope, text) "
    f"SELECT id, {SQLITE_SCOPE.format(row='documents')}, text FROM documents",
]

ROLLUP_COLUMNS = "n, n_pos, n_neg, sum, sum_sq, w, w_sq, w_sum, w_sum_sq, w_pos, w_neg"
RECORD = struct.Struct("<B11q")  # the hour of the day, then the eleven sums


def _fill_rollup_days() -> None:
    """Pack every day of ``hourly_stats`` (this revision's own copy of the packing: a migration
    must not depend on code that later revisions may change)."""
    days: defaultdict[tuple[int, str, date], list[bytes]] = defaultdict(list)
    rows = op.get_bind().execute(
        sa.text(f"SELECT entity_id, voice, hour, {ROLLUP_COLUMNS} FROM hourly_stats "
                "ORDER BY entity_id, voice, hour")
    )  # fmt: skip
    for entity_id, voice, hour, *sums in rows:
        # SQLite returns its stored text (naive UTC), PostgreSQL an aware datetime.
        moment = datetime.fromisoformat(hour) if isinstance(hour, str) else hour.astimezone(UTC)
        days[entity_id, voice, moment.date()].append(RECORD.pack(moment.hour, *sums))
    table = sa.table(
        "rollup_days", sa.column("entity_id"), sa.column("voice"), sa.column("day", sa.Date),
        sa.column("hours", sa.LargeBinary),
    )  # fmt: skip
    values = [
        {"entity_id": e, "voice": v, "day": day, "hours": b"".join(records)}
        for (e, v, day), records in days.items()
    ]
    if values:
        op.bulk_insert(table, values)


FILL_TOTALS = """
INSERT INTO voice_totals (entity_id, voice, documents, scored, first_at, last_at)
SELECT entity_id, voice, COUNT(*), COUNT(compound), MIN(published_at), MAX(published_at)
FROM documents WHERE deleted_at IS NULL GROUP BY entity_id, voice
"""


def upgrade() -> None:
    op.create_table(
        "voice_totals",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("voice", sa.String(length=20), nullable=False),
        sa.Column("documents", sa.BigInteger(), nullable=False),
        sa.Column("scored", sa.BigInteger(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "voice IN ('corporate', 'public')", name=op.f("ck_voice_totals_voice")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_voice_totals_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", "voice", name=op.f("pk_voice_totals")),
    )  # fmt: skip
    op.create_table(
        "rollup_days",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("voice", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "voice IN ('corporate', 'public')", name=op.f("ck_rollup_days_voice")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_rollup_days_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", "voice", "day", name=op.f("pk_rollup_days")),
    )  # fmt: skip
    _fill_rollup_days()
    op.add_column(
        "entities",
        sa.Column("data_version", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.drop_index(OLD_INDEX[0], table_name="documents")
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, "documents", columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE documents ADD COLUMN search tsvector "
            f"GENERATED ALWAYS AS ({POSTGRES_SEARCH}) STORED"
        )
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search)")
    else:
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    op.execute(FILL_TOTALS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_documents_search")
        op.execute("ALTER TABLE documents DROP COLUMN search")
    else:
        for trigger in ("delete", "update"):
            op.execute(f"DROP TRIGGER document_search_{trigger}")
        op.execute("DROP TABLE document_search")
    for name in NEW_INDEXES:
        op.drop_index(name, table_name="documents")
    op.create_index(OLD_INDEX[0], "documents", OLD_INDEX[1])
    op.drop_column("entities", "data_version")
    op.drop_table("rollup_days")
    op.drop_table("voice_totals")
