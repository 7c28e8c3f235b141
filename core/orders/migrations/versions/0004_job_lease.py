"""Job leases: which run holds an order's preview or build, until when, and the sweeper's re-queues.

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-12 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Upgrade schema; orders made before it hold no lease (the stuck_after_s rule covers them)."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_job", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("requeues", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(batch_op.f("ix_orders_lease_until"), ["lease_until"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_lease_until"))
        batch_op.drop_column("requeues")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("lease_job")
