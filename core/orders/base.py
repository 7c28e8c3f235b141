"""The resources every service method shares, and the small helpers the service mixins reuse."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db import Database
from core.jobs import JobQueue
from core.orders.checkout import Payments
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderStatusView
from core.orders.store import NotFound
from core.orders.tables import Event, Game, Order, Upload, User
from core.orders.views import links, status_view
from core.storage import Storage


class ServiceBase:
    """Holds settings, database, storage, payments and the job queue, all passed in (no globals)."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        storage: Storage,
        payments: Payments,
        jobs: JobQueue,
    ) -> None:
        self.settings = settings
        self.db = db
        self.storage = storage
        self.payments = payments
        self.jobs = jobs

    def _user_row(self, session: Session, user_id: str) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("We could not find that account. Start again from the beginning.")
        return user

    def _status(self, session: Session, order: Order) -> OrderStatusView:
        upload = session.scalars(select(Upload).where(Upload.order_id == order.id)).one_or_none()
        game = None
        if order.status == OrderStatus.READY:
            game = session.scalars(select(Game).where(Game.order_id == order.id)).one_or_none()
        return status_view(order, links(self.storage, upload, game, self.settings.public_url))

    @staticmethod
    def _event(session: Session, kind: str, order: Order, data: dict[str, Any]) -> None:
        session.add(Event(type=kind, user_id=order.user_id, order_id=order.id, data=data))
