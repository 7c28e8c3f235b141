"""Asset key: the random folder of an order's public preview art, apart from its id and token.

Orders made before it get a fresh key; their earlier previews stay under the private
`orders/<id>/preview/` folder (the build and the bots read them by key; the web page shows a
preview again once it is redrawn).

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-12 10:00:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the column, give every existing order its own key, then make it required and unique."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asset_key", sa.String(length=32), nullable=True))
    orders = sa.table("orders", sa.column("id", sa.String), sa.column("asset_key", sa.String))
    conn = op.get_bind()
    missing = conn.execute(sa.select(orders.c.id).where(orders.c.asset_key.is_(None))).all()
    for (order_id,) in missing:
        conn.execute(
            orders.update()
            .where(orders.c.id == order_id)
            .values(asset_key=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("asset_key", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f("ix_orders_asset_key"), ["asset_key"], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_asset_key"))
        batch_op.drop_column("asset_key")
