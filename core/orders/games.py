"""Game methods of OrderService: play pages by short code, views and shares, a user's games."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core.orders.base import ServiceBase
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import GameView
from core.orders.tables import Game, Order, utcnow
from core.orders.views import game_view

BASE62 = string.digits + string.ascii_letters
CODE_LENGTH = 8  # 62**8 ~ 2e14 codes: unguessable by enumeration at any request rate we allow


def new_code(length: int = CODE_LENGTH) -> str:
    """A random base62 short code from the OS's CSPRNG."""
    return "".join(secrets.choice(BASE62) for _ in range(length))


class GameMethods(ServiceBase):
    def game_by_code(self, *, code: str) -> GameView | None:
        """The published game for a short code; None when unknown, not finished, or expired."""
        with self.db.session() as session:
            game = self._live_game(session, code)
            return game_view(game, self.storage, self.settings.public_url) if game else None

    def record_view(self, *, code: str) -> int:
        """Count one play-page view (atomic increment); returns the new count, 0 if no game."""
        return self._bump(code, Game.views)

    def add_views(self, counts: Mapping[str, int]) -> None:
        """Add batched play-page views (see core.orders.viewcounts) in one transaction.

        Unknown or deleted codes update nothing; the sums are applied in code order so that two
        writers never take row locks in opposite orders.
        """
        with self.db.session() as session:
            for code in sorted(counts):
                n = counts[code]
                if n > 0 and len(code) <= 16:
                    session.execute(
                        update(Game).where(Game.code == code).values(views=Game.views + n)
                    )

    def record_share(self, *, code: str) -> int:
        """Count one share of the game link; returns the new count, 0 if no game."""
        return self._bump(code, Game.shares)

    def list_games(self, *, user_id: str) -> list[GameView]:
        """A user's finished games, newest first."""
        stmt = (
            select(Game)
            .join(Order, Order.id == Game.order_id)
            .where(Game.user_id == user_id, Order.status == OrderStatus.READY.value)
            .order_by(Game.created_at.desc())
        )
        with self.db.session() as session:
            return [
                game_view(g, self.storage, self.settings.public_url) for g in session.scalars(stmt)
            ]

    def _live_game(self, session: Session, code: str) -> Game | None:
        if not code or len(code) > 16 or any(ch not in BASE62 for ch in code):
            return None
        stmt = (
            select(Game)
            .join(Order, Order.id == Game.order_id)
            .where(Game.code == code, Order.status == OrderStatus.READY.value)
            .where(or_(Game.expires_at.is_(None), Game.expires_at > utcnow()))
        )
        return session.scalars(stmt).one_or_none()

    def _bump(self, code: str, column: Any) -> int:
        with self.db.session() as session:
            game = self._live_game(session, code)
            if game is None:
                return 0
            session.execute(update(Game).where(Game.id == game.id).values({column: column + 1}))
            value: int = session.scalar(select(column).where(Game.id == game.id)) or 0
            return value
