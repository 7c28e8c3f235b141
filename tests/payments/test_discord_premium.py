"""Discord Premium settlement in core (PremiumLedger): a purchase pays the buyer's waiting order
once, is consumed once, and one that matches nothing is kept and said once. The bot's half
(gateway, consume, DM) is tested end to end in tests/bots/discord/test_premium.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Event, Order
from core.payments import payments_for
from core.payments.discord_premium import (
    DUPLICATE,
    PAID,
    UNMATCHED,
    PremiumLedger,
    Purchase,
    package_for_sku,
    premium_skus,
)
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs
from tests.payments.helpers import events

SKU = 1300000000000000001  # sells "classic"
BUYER = 4242


@pytest.fixture
def orders(tmp_path: Path, db: Database, storage: LocalStorage) -> OrderService:
    settings = Settings(data_dir=tmp_path, discord_skus={"classic": SKU})
    payments = payments_for(settings, "discord")
    return OrderService(settings=settings, db=db, storage=storage, payments=payments,
                        jobs=RecordingJobs())  # fmt: skip


@pytest.fixture
def ledger(orders: OrderService) -> PremiumLedger:
    return PremiumLedger(orders.settings, orders)


def _waiting_order(orders: OrderService, discord_user: int = BUYER) -> str:
    """An order of this Discord user, awaiting payment for the classic package."""
    user = orders.get_or_create_user(provider="discord", external_id=str(discord_user))
    order_id = add_order(orders.db, status=OrderStatus.AWAITING_PAYMENT, package="classic")
    with orders.db.session() as session:
        session.execute(update(Order).where(Order.id == order_id).values(user_id=user.id))
    return order_id


def _count(db: Database, kind: str) -> int:
    with db.session() as session:
        stmt = select(func.count()).select_from(Event).where(Event.type == kind)
        return int(session.scalar(stmt) or 0)


def test_a_purchase_pays_the_waiting_order_once(
    orders: OrderService, ledger: PremiumLedger
) -> None:
    order_id = _waiting_order(orders)
    purchase = Purchase(id=9001, sku_id=SKU, user_id=BUYER)
    settled = ledger.settle(purchase, source="gateway")
    assert (settled.result, settled.order_id, settled.package) == (PAID, order_id, "classic")
    order = orders.get_order(order_id=order_id)
    assert (order.status, order.payment_ref) == (OrderStatus.PAID, "discord:9001")
    assert (order.amount, order.currency) == (499, "usd")
    # Consuming failed (Discord down): the next start settles it again, without paying twice.
    again = ledger.settle(purchase, source="startup")
    assert (again.result, again.order_id) == (PAID, order_id)
    ledger.consumed(purchase, again, source="startup")
    assert ledger.settle(purchase, source="gateway").result == DUPLICATE
    assert ledger.settle(Purchase(9001, SKU, BUYER, consumed=True), source="x").result == DUPLICATE
    assert events(orders.db, order_id, "order.paid") == 1
    assert events(orders.db, order_id, "discord.entitlement_consumed") == 1
    assert orders.jobs.sent == [("build", order_id)]  # type: ignore[attr-defined]


def test_a_purchase_with_nothing_waiting_is_kept_and_said_once(
    orders: OrderService, ledger: PremiumLedger
) -> None:
    early = Purchase(id=9002, sku_id=SKU, user_id=BUYER)
    first = ledger.settle(early, source="gateway")
    assert (first.result, first.tell_saved) == (UNMATCHED, True)
    second = ledger.settle(early, source="startup")
    assert (second.result, second.tell_saved) == (UNMATCHED, False)  # told once
    assert _count(orders.db, "discord.entitlement_unmatched") == 1
    # The buyer's next order for that package is paid with it (Premium.use_credit).
    order_id = _waiting_order(orders)
    credit = ledger.settle(early, source="credit")
    assert (credit.result, credit.order_id) == (PAID, order_id)
    assert orders.get_order(order_id=order_id).payment_ref == "discord:9002"


def test_a_sku_we_do_not_sell_pays_nothing(orders: OrderService, ledger: PremiumLedger) -> None:
    order_id = _waiting_order(orders)
    stray = ledger.settle(Purchase(id=9003, sku_id=999, user_id=BUYER), source="gateway")
    assert (stray.result, stray.package, stray.tell_saved) == (UNMATCHED, None, False)
    assert orders.get_order(order_id=order_id).status == OrderStatus.AWAITING_PAYMENT
    assert package_for_sku(orders.settings, 999) is None
    assert premium_skus(orders.settings) == [SKU]


def test_someone_elses_purchase_does_not_pay_my_order(
    orders: OrderService, ledger: PremiumLedger
) -> None:
    mine = _waiting_order(orders, discord_user=BUYER)
    theirs = ledger.settle(Purchase(id=9004, sku_id=SKU, user_id=BUYER + 1), source="gateway")
    assert theirs.result == UNMATCHED
    assert orders.get_order(order_id=mine).status == OrderStatus.AWAITING_PAYMENT
