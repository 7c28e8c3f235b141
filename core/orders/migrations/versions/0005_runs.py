"""Verified runs: one row per level played, replayed by the Python twin before it was kept.

Revision ID: 0005
Revises: 0004
Create Date: 2027-02-01 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("game_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("lives", sa.Integer(), nullable=False),
        sa.Column("player_kind", sa.String(length=16), nullable=False),
        sa.Column("player_id", sa.String(length=64), nullable=False),
        sa.Column("player_name", sa.String(length=64), nullable=False),
        sa.Column("community_kind", sa.String(length=16), nullable=True),
        sa.Column("community_id", sa.String(length=64), nullable=True),
        sa.Column("trace_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("game_id", "trace_hash", name="uq_run_trace"),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index("ix_runs_board", ["game_id", "level", "score"], unique=False)
        batch_op.create_index("ix_runs_player", ["player_kind", "player_id"], unique=False)
        batch_op.create_index("ix_runs_community", ["community_kind", "community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_runs_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("runs")
