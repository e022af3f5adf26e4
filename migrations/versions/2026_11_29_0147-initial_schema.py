"""Initial schema: entities, sources, documents, ingest runs and hourly roll-ups.

Revision ID: 0fadfdf25fee
Revises:
Create Date: 2026-11-29 01:47:02.958435
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ravine.models

revision: str = "0fadfdf25fee"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            ravine.models.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("slug", name=op.f("uq_entities_slug")),
    )
    op.create_table(
        "hourly_stats",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("voice", sa.String(length=20), nullable=False),
        sa.Column("hour", ravine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("n_pos", sa.BigInteger(), nullable=False),
        sa.Column("n_neg", sa.BigInteger(), nullable=False),
        sa.Column("sum", sa.BigInteger(), nullable=False),
        sa.Column("sum_sq", sa.BigInteger(), nullable=False),
        sa.Column("w", sa.BigInteger(), nullable=False),
        sa.Column("w_sq", sa.BigInteger(), nullable=False),
        sa.Column("w_sum", sa.BigInteger(), nullable=False),
        sa.Column("w_sum_sq", sa.BigInteger(), nullable=False),
        sa.Column("w_pos", sa.BigInteger(), nullable=False),
        sa.Column("w_neg", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("voice IN ('corporate', 'public')", name=op.f("ck_hourly_stats_voice")),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_hourly_stats_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", "voice", "hour", name=op.f("pk_hourly_stats")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("voice", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_success_at", ravine.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column(
            "created_at",
            ravine.models.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint("voice IN ('corporate', 'public')", name=op.f("ck_sources_voice")),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_sources_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=512), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("voice", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=500), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("published_at", ravine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", ravine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ravine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=True),
        sa.Column("reposts", sa.Integer(), nullable=True),
        sa.Column("replies", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("neg", sa.Float(), nullable=True),
        sa.Column("neu", sa.Float(), nullable=True),
        sa.Column("pos", sa.Float(), nullable=True),
        sa.Column("compound", sa.Float(), nullable=True),
        sa.Column("sentences", sa.Integer(), nullable=True),
        sa.Column("scorer_version", sa.String(length=64), nullable=True),
        sa.Column("unscored_reason", sa.String(length=200), nullable=True),
        sa.Column("deleted_at", ravine.models.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("voice IN ('corporate', 'public')", name=op.f("ck_documents_voice")),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_documents_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_documents_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_documents_source_id_external_id")
        ),
    )
    op.create_index(
        op.f("ix_documents_entity_id_voice_published_at"),
        "documents",
        ["entity_id", "voice", "published_at"],
        unique=False,
    )
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("started_at", ravine.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", ravine.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_ingest_runs_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    op.create_index(op.f("ix_ingest_runs_source_id"), "ingest_runs", ["source_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ingest_runs_source_id"), table_name="ingest_runs")
    op.drop_table("ingest_runs")
    op.drop_index(op.f("ix_documents_entity_id_voice_published_at"), table_name="documents")
    op.drop_table("documents")
    op.drop_table("sources")
    op.drop_table("hourly_stats")
    op.drop_table("entities")
