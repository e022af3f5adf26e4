"""Near-duplicates that can count once: a text key per document, a flag, and the roll-up mode.

- ``documents.text_key``: a 64-bit digest of the document's normalised text (the author folded
  in for short texts), kept while near-duplicates collapse; documents that may be duplicates
  of each other share it, and a partial index on (entity, voice, text_key) finds them (while
  duplicates are counted, no key is kept and the index is empty). `ravine rollup rebuild`
  computes every key when it turns RAVINE_COLLAPSE_DUPLICATES on.
- ``documents.is_duplicate``: the document repeats an earlier one and is left out of the
  roll-ups; false everywhere while duplicates are counted.
- ``rollup_mode``: one row saying whether the stored roll-ups collapse near-duplicates (not
  yet: false), which every writer follows.

Revision ID: d3a8e5f1c7b2
Revises: 9b7d2c4e6f10
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3a8e5f1c7b2"
down_revision: str | None = "9b7d2c4e6f10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_documents_entity_id_voice_text_key"


def upgrade() -> None:
    op.add_column("documents", sa.Column("text_key", sa.BigInteger(), nullable=True))
    op.add_column(
        "documents",
        sa.Column("is_duplicate", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    keyed = sa.text("text_key IS NOT NULL")
    op.create_index(
        INDEX, "documents", ["entity_id", "voice", "text_key"], sqlite_where=keyed,
        postgresql_where=keyed,
    )  # fmt: skip
    mode = op.create_table(
        "rollup_mode",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("collapse_duplicates", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_rollup_mode_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_mode")),
    )
    op.bulk_insert(mode, [{"id": 1, "collapse_duplicates": False}])


def downgrade() -> None:
    op.drop_table("rollup_mode")
    op.drop_index(INDEX, table_name="documents")
    op.drop_column("documents", "is_duplicate")
    op.drop_column("documents", "text_key")
