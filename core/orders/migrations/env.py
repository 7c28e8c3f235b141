"""Alembic environment, configured in code by core.db.alembic_config (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

import core.orders.tables  # noqa: F401  (registers every table on Base.metadata)
from core.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "core.db.alembic_config sets sqlalchemy.url"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # Batch mode: SQLite cannot ALTER most things, so later migrations copy tables instead.
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
