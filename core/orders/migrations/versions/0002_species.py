"""Species: the order's choice (auto|cat|dog|other) and what its preview drew.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade schema; orders made before it read as "auto" with nothing drawn yet."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("species", sa.String(length=8), server_default="auto", nullable=False)
        )
        batch_op.add_column(sa.Column("species_drawn", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("species_guessed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("species_guessed")
        batch_op.drop_column("species_drawn")
        batch_op.drop_column("species")
