"""Game, analytics and privacy methods of OrderService: play pages, views, events, /delete."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from core.orders.base import ServiceBase
from core.orders.lifecycle import OrderStatus
from core.orders.models import Event, Game, Identity, Order, Upload, User, utcnow
from core.orders.schemas import DeletionReport, GameView, OrderView
from core.orders.views import game_view, order_view

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

    def record_event(
        self,
        *,
        type: str,
        data: dict[str, Any] | None = None,
        user_id: str | None = None,
        order_id: str | None = None,
        game_id: str | None = None,
    ) -> None:
        """Store one analytics event. Keep `data` free of photos and personal text."""
        with self.db.session() as session:
            session.add(Event(type=type[:64], data=data or {}, user_id=user_id,
                              order_id=order_id, game_id=game_id))  # fmt: skip

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

    def list_orders(self, *, user_id: str) -> list[OrderView]:
        """A user's orders, newest first."""
        stmt = select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc())
        with self.db.session() as session:
            return [order_view(o) for o in session.scalars(stmt)]

    def delete_user_data(self, *, user_id: str) -> DeletionReport:
        """Erase a user: photos, previews, games (files and rows), events, identities, the user."""
        with self.db.session() as session:
            if session.get(User, user_id) is None:
                return DeletionReport(user_id=user_id, orders=0, games=0, files=0, found=False)
            order_ids = list(session.scalars(select(Order.id).where(Order.user_id == user_id)))
            codes = list(session.scalars(select(Game.code).where(Game.user_id == user_id)))
            files = self._delete_files(order_ids, codes)
            _delete_rows(session, user_id, order_ids)
        return DeletionReport(user_id=user_id, orders=len(order_ids), games=len(codes), files=files)

    def _delete_files(self, order_ids: list[str], codes: list[str]) -> int:
        # Files first: if a storage call fails, the rows remain and the request can be retried.
        prefixes = [f"orders/{o}/" for o in order_ids] + [f"games/{c}/" for c in codes]
        return sum(self.storage.delete_prefix(p) for p in prefixes)

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


def _delete_rows(session: Session, user_id: str, order_ids: list[str]) -> None:
    """Children before parents, explicitly: SQLite only cascades with foreign_keys=ON."""
    by_user = or_(Event.user_id == user_id, Event.order_id.in_(order_ids))
    session.execute(delete(Event).where(by_user))
    session.execute(delete(Game).where(Game.user_id == user_id))
    session.execute(delete(Upload).where(Upload.order_id.in_(order_ids)))
    session.execute(delete(Order).where(Order.user_id == user_id))
    session.execute(delete(Identity).where(Identity.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
