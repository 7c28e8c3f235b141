"""Chat-bot state kept in our database: conversation states and per-user data survive a restart.

A bot's persistence layer (bots/telegram/persistence.py) reads everything once at start and writes
what changed. Rows are `(scope, key) -> JSON`, e.g. `("telegram:user", "42") -> {...}` or
`("telegram:conv:order", "[42, 42]") -> "style"`. Values must be JSON-serialisable.

The bots also need the bytes of a finished preview GIF to upload it into the chat (a chat platform
cannot fetch a private local URL); `preview_gif_bytes` reads it for them without exposing rows.

The table sits on its own metadata and is created on first use (checkfirst), outside the orders
Alembic chain: the orders schema and its migration tests stay untouched, and two engineers cannot
race for the next revision number. It holds only re-creatable chat state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db import Database
from core.orders.tables import Upload, utcnow
from core.storage import Storage


class StateBase(DeclarativeBase):
    """Separate from core.db.Base on purpose (see the module docstring)."""


class BotState(StateBase):
    """One JSON value of a bot's state."""

    __tablename__ = "bot_state"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BotStateStore:
    """Load a whole scope, upsert one key, delete one key; each call is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        StateBase.metadata.create_all(db.engine, checkfirst=True)

    def load(self, scope: str) -> dict[str, Any]:
        with self.db.session() as session:
            rows = session.execute(
                select(BotState.key, BotState.value).where(BotState.scope == scope)
            )
            return dict(rows.tuples().all())

    def save(self, scope: str, key: str, value: Any) -> None:
        with self.db.session() as session:
            row = session.get(BotState, (scope, key))
            if row is None:
                session.add(BotState(scope=scope, key=key, value=value))
            else:
                row.value, row.updated_at = value, utcnow()

    def delete(self, scope: str, key: str) -> None:
        with self.db.session() as session:
            session.execute(delete(BotState).where(BotState.scope == scope, BotState.key == key))


def preview_gif_bytes(db: Database, storage: Storage, *, order_id: str) -> bytes | None:
    """The order's preview GIF, or None while there is none."""
    with db.session() as session:
        key = session.scalar(select(Upload.preview_gif_key).where(Upload.order_id == order_id))
    return storage.get(key) if key else None
