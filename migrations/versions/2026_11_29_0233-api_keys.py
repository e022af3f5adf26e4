"""API keys for the REST API, stored as SHA-256 hashes.

Revision ID: a99c46d41bd3
Revises: 0fadfdf25fee
Create Date: 2026-11-29 02:33:48.268041
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ravine.models

revision: str = "a99c46d41bd3"
down_revision: str | None = "0fadfdf25fee"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            ravine.models.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("last_used_at", ravine.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", ravine.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
