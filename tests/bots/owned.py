"""What the database and storage hold of one chat user: read before and after /delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from core.orders.tables import Game, Identity, Order, Upload, User


@dataclass
class Owned:
    """One chat identity's rows and the storage keys they name."""

    identity: bool = False
    user: bool = False
    orders: list[str] = field(default_factory=list)
    games: list[str] = field(default_factory=list)  # codes
    keys: list[str] = field(default_factory=list)  # photos, previews and game files


def owned(rt: Any, provider: str, external_id: str) -> Owned:
    """Read without creating anything (get_or_create_user would bring the user back)."""
    with rt.db.session() as session:
        ident = session.scalars(
            select(Identity).where(
                Identity.provider == provider, Identity.external_id == external_id
            )
        ).one_or_none()
        if ident is None:
            return Owned()
        uid = ident.user_id
        orders = list(session.scalars(select(Order.id).where(Order.user_id == uid)))
        uploads = session.scalars(select(Upload).where(Upload.order_id.in_(orders))).all()
        games = session.scalars(select(Game).where(Game.user_id == uid)).all()
        named = [(u.original_key, u.processed_key, u.sprite_key, u.sheet_key, u.atlas_key,
                  u.preview_gif_key) for u in uploads]  # fmt: skip
        keys = [k for row in named for k in row if k]
        keys += [str(k) for g in games for k in g.assets.values()]
        return Owned(
            True, session.get(User, uid) is not None, orders, [g.code for g in games], keys
        )


def stored_files(rt: Any) -> list[str]:
    """Every file in the runtime's local storage (the embedded tests' storage is theirs alone)."""
    root = rt.storage.root
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
