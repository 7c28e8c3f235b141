"""Helpers for payment tests: an order ready to pay, checkout over HTTP, event counts."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.store import move
from core.orders.tables import Event
from core.payments.stripe import StripePayments
from tests.orders.fixtures import wait_for


def ready_to_pay(svc: OrderService, photo: bytes, *, seed: int = 0) -> OrderView:
    """A real order (photo through intake) whose preview step is skipped: preview_ready."""
    user = svc.get_or_create_user(provider="web", external_id=f"{uuid.uuid4().hex}@pets.test")
    order = svc.create_order(user_id=user.id, photo=photo, choices={"seed": seed})
    with svc.db.session() as session:
        move(session, order.id, OrderStatus.PREVIEW_READY)
    return svc.get_order(order_id=order.id)


def buy(http: httpx.Client, order: OrderView, package: str = "classic") -> str:
    """Choose a package through the API (the order named by its private token, as the order page
    does); returns the Checkout Session id behind checkout_url."""
    reply = http.post("/api/games/create", json={"image_id": order.token, "package": package})
    assert reply.status_code == 202, reply.text
    url = reply.json()["checkout_url"]
    assert url, reply.json()
    return str(url).rsplit("/", 1)[1]


def checkout_from(svc: OrderService, settings: Settings, channel: str, order_id: str) -> str:
    """Choose the classic package as a chat bot does (its own channel in the Stripe metadata);
    returns the Checkout Session id."""
    payments = StripePayments(settings, channel=channel)
    bot = OrderService(settings=settings, db=svc.db, storage=svc.storage, payments=payments,
                       jobs=svc.jobs)  # fmt: skip
    session_id = bot.choose_package(order_id=order_id, package="classic").reference
    assert session_id is not None
    return session_id


def status(svc: OrderService, order_id: str) -> OrderStatus:
    return svc.status(order_id=order_id).status


def wait_final(svc: OrderService, order_id: str) -> OrderStatus:
    final = {OrderStatus.READY, OrderStatus.FAILED}
    wait_for(lambda: status(svc, order_id) in final, timeout=120, what="the build to finish")
    return status(svc, order_id)


def events(db: Database, order_id: str, kind: str) -> int:
    stmt = select(func.count()).select_from(Event)
    with db.session() as session:
        return int(session.scalar(stmt.where(Event.order_id == order_id, Event.type == kind)) or 0)
