"""Engagement weights grow with the logarithm of engagement: w = 1 + ⌊log₂(1 + engagement)⌋.

Linear weights (likes + reposts + replies + 1) let one viral post outweigh a whole day of
posts. The weighted roll-up columns (``w``, ``w_sq``, ``w_sum``, ``w_sum_sq``, ``w_pos``,
``w_neg``) are recomputed from ``documents``, the packed days repacked, and every entity's
``data_version`` bumped so no cached answer or ETag outlives the change. Unweighted columns come
out as they were. Downgrading recomputes them with linear weights.

Revision ID: 9b7d2c4e6f10
Revises: 5c2e8f1a9d43
Create Date: 2026-12-07 12:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "9b7d2c4e6f10"
down_revision: str | None = "5c2e8f1a9d43"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENGAGEMENT = (
    "(CAST(COALESCE(likes, 0) AS BIGINT) + CAST(COALESCE(reposts, 0) AS BIGINT)"
    " + CAST(COALESCE(replies, 0) AS BIGINT) + 1)"
)
# The bit length of engagement + 1, as comparisons both backends evaluate exactly.
LOG_WEIGHT = (
    "CASE "
    + " ".join(f"WHEN {ENGAGEMENT} < {2**bits} THEN {bits}" for bits in range(1, 63))
    + " ELSE 63 END"
)
HOUR = {
    "sqlite": "substr(published_at, 1, 13) || ':00:00.000000'",
    "postgresql": "date_bin(interval '1 hour', published_at, timestamptz '2000-01-01 00:00+00')",
}
RECOUNT = """
INSERT INTO hourly_stats
  (entity_id, voice, hour, n, n_pos, n_neg, sum, sum_sq, w, w_sq, w_sum, w_sum_sq, w_pos, w_neg)
SELECT entity_id, voice, hour, COUNT(*), SUM(positive), SUM(negative), SUM(x), SUM(x * x),
       SUM(w), SUM(w * w), SUM(w * x), SUM(w * x * x), SUM(w * positive), SUM(w * negative)
FROM (
  SELECT entity_id, voice, {hour} AS hour, x, w,
         CASE WHEN x >= 500 THEN 1 ELSE 0 END AS positive,
         CASE WHEN x <= -500 THEN 1 ELSE 0 END AS negative
  FROM (
    SELECT entity_id, voice, published_at, CAST(ROUND(compound * 10000) AS BIGINT) AS x,
           {weight} AS w
    FROM documents WHERE compound IS NOT NULL AND deleted_at IS NULL
  ) AS scored
) AS per_document
GROUP BY entity_id, voice, hour
"""


def _fill_rollup_days() -> None:
    """Repack the days with the packing of the revision that made them (frozen there)."""
    path = Path(__file__).with_name("2026_12_07_0400-read_path.py")
    spec = importlib.util.spec_from_file_location("ravine_read_path_revision", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._fill_rollup_days()


def _recount(weight: str) -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DELETE FROM hourly_stats")
    op.execute(RECOUNT.format(hour=HOUR[dialect], weight=weight))
    op.execute("DELETE FROM rollup_days")
    _fill_rollup_days()
    op.execute("UPDATE entities SET data_version = data_version + 1")


def upgrade() -> None:
    _recount(LOG_WEIGHT)


def downgrade() -> None:
    _recount(ENGAGEMENT)
