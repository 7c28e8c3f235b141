"""Privacy methods of OrderService: erase everything we keep about a user (/delete)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from core.orders.base import ServiceBase
from core.orders.publish import order_folders
from core.orders.schemas import DeletionReport
from core.orders.tables import Event, Game, Identity, Order, Run, Upload, User


class PrivacyMethods(ServiceBase):
    def delete_user_data(self, *, user_id: str) -> DeletionReport:
        """Erase a user: photos, previews, games (files and rows), events, the runs they played
        (by their chat identities) and those played in their games, identities, the user."""
        with self.db.session() as session:
            if session.get(User, user_id) is None:
                return DeletionReport(user_id=user_id, orders=0, games=0, files=0, found=False)
            orders = session.execute(
                select(Order.id, Order.asset_key).where(Order.user_id == user_id)
            ).all()
            order_ids = [order_id for order_id, _ in orders]
            codes = list(session.scalars(select(Game.code).where(Game.user_id == user_id)))
            folders = [f for order_id, key in orders for f in order_folders(order_id, key)]
            files = self._delete_files(folders, codes)
            _delete_rows(session, user_id, order_ids)
        return DeletionReport(user_id=user_id, orders=len(order_ids), games=len(codes), files=files)

    def _delete_files(self, folders: list[str], codes: list[str]) -> int:
        # Files first: if a storage call fails, the rows remain and the request can be retried.
        prefixes = folders + [f"games/{c}/" for c in codes]
        return sum(self.storage.delete_prefix(p) for p in prefixes)


def _delete_rows(session: Session, user_id: str, order_ids: list[str]) -> None:
    """Children before parents, explicitly: SQLite only cascades with foreign_keys=ON."""
    by_user = or_(Event.user_id == user_id, Event.order_id.in_(order_ids))
    session.execute(delete(Event).where(by_user))
    identities = session.execute(
        select(Identity.provider, Identity.external_id).where(Identity.user_id == user_id)
    ).all()
    for provider, external_id in identities:  # runs they played, in anyone's game
        session.execute(
            delete(Run).where(Run.player_kind == provider, Run.player_id == external_id)
        )
    games = select(Game.id).where(Game.user_id == user_id)
    session.execute(delete(Run).where(Run.game_id.in_(games)))  # runs played in their games
    session.execute(delete(Game).where(Game.user_id == user_id))
    session.execute(delete(Upload).where(Upload.order_id.in_(order_ids)))
    session.execute(delete(Order).where(Order.user_id == user_id))
    session.execute(delete(Identity).where(Identity.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
