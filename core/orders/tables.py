"""Database tables (SQLAlchemy models): users, identities, orders, uploads, games, events, payments,
and the verified runs played in games (core/runs).

These rows stay inside core.orders: services hand out the dataclasses in core.orders.schemas
instead. Ids are random hex strings (uuid4) that leak no counts; they name private storage
folders only. Public links use a game's code or an order's `asset_key`, and an order's `token` is
the buyer's credential."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.orders.lifecycle import OrderStatus

STATUS_VALUES = ", ".join(f"'{s.value}'" for s in OrderStatus)


def new_id() -> str:
    return uuid.uuid4().hex


def new_asset_key() -> str:
    """The random folder of an order's public files (128 bits; neither its id nor its token)."""
    return secrets.token_urlsafe(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Identity(Base):
    """How a person reaches us: one row per (provider, external id); a user may have several."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("provider", "external_id", name="uq_identity_provider"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (CheckConstraint(f"status IN ({STATUS_VALUES})", name="ck_order_status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # The buyer's credential for the order page and API; never part of a file name or a share.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # Names the folder of the preview art (storage `previews/<asset_key>/`), so a shared preview
    # link reveals neither the order id nor the token.
    asset_key: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, default=new_asset_key
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.DRAFT.value, index=True)
    package: Mapped[str | None] = mapped_column(String(20), default=None)
    amount: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(8), default="usd")
    payment_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    progress_label: Mapped[str] = mapped_column(String(120), default="")
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    refund_due: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The claim lease of the running preview or build (core/orders/leases.py): which job, which
    # run holds it, and until when (renewed by its heartbeat); `requeues` counts the sweeper's
    # re-queues of that job after its worker died or its message was lost.
    lease_job: Mapped[str | None] = mapped_column(String(40), default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(32), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None, index=True)
    requeues: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    style: Mapped[str] = mapped_column(String(32))
    theme: Mapped[str] = mapped_column(String(32))
    pet_name: Mapped[str] = mapped_column(String(60))
    difficulty: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    user_crop: Mapped[list[float] | None] = mapped_column(JSON, default=None)
    # The species choice (auto|cat|dog|other), then what the latest preview drew and whether the
    # detector chose it; the build draws that same species so the game matches the preview.
    species: Mapped[str] = mapped_column(String(8), default="auto", server_default="auto")
    species_drawn: Mapped[str | None] = mapped_column(String(8), default=None)
    species_guessed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Upload(Base):
    """The photo of an order and what the preview made from it, as storage keys."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    original_key: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    processed_key: Mapped[str | None] = mapped_column(String(255), default=None)
    sprite_key: Mapped[str | None] = mapped_column(String(255), default=None)
    sheet_key: Mapped[str | None] = mapped_column(String(255), default=None)
    atlas_key: Mapped[str | None] = mapped_column(String(255), default=None)
    preview_gif_key: Mapped[str | None] = mapped_column(String(255), default=None)
    sprite_info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Game(Base):
    """A published game: one per order, reached by its short code."""

    __tablename__ = "games"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assets: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    views: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Event(Base):
    """Analytics: what happened to which order/game, when. No photos or personal text."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    order_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    game_id: Mapped[str | None] = mapped_column(String(32), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PaymentEvent(Base):
    """A payment provider event already handled: its id is unique, so a redelivery is a no-op."""

    __tablename__ = "processed_payment_events"
    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_payment_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255))
    order_id: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Run(Base):
    """A verified run: one level of a game, replayed by the Python twin (core/levels/game.py) from
    its input trace before it was kept (core/runs). The player is a chat identity (`discord`,
    `telegram`: the platform's user id, as in `identities`) or `anon` (a hash of the browser's
    random id, never the id itself); the community is the Discord guild or Telegram chat the game
    was opened from (a signed launch token), else none."""

    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("game_id", "trace_hash", name="uq_run_trace"),
        Index("ix_runs_board", "game_id", "level", "score"),
        Index("ix_runs_player", "player_kind", "player_id"),
        Index("ix_runs_community", "community_kind", "community_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    game_id: Mapped[str] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # level_complete | won | dead
    score: Mapped[int] = mapped_column(Integer)  # points earned in the level
    frames: Mapped[int] = mapped_column(Integer)  # sim steps (1/60 s) until the level was decided
    lives: Mapped[int] = mapped_column(Integer)  # lives carried into the level
    player_kind: Mapped[str] = mapped_column(String(16))
    player_id: Mapped[str] = mapped_column(String(64))
    player_name: Mapped[str] = mapped_column(String(64), default="")  # as given; escape on output
    community_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    community_id: Mapped[str | None] = mapped_column(String(64), default=None)
    trace_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of level, lives and inputs
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
