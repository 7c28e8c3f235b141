"""StripePayments: the Checkout Session each order gets (which provider a channel uses is
tested in test_choose.py)."""

from __future__ import annotations

from pathlib import Path

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.payments.stripe import StripePayments
from core.storage import LocalStorage
from tests.fakes.stripe_api import FakeStripe
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs
from tests.payments.conftest import stripe_settings

SESSIONS = "/v1/checkout/sessions"


def service(settings: Settings, db: Database, storage: LocalStorage, channel: str) -> OrderService:
    payments = StripePayments(settings, channel=channel)
    return OrderService(settings=settings, db=db, storage=storage, payments=payments,
                        jobs=RecordingJobs())  # fmt: skip


def test_checkout_session_carries_the_order(
    tmp_path: Path, fake_stripe: FakeStripe, db: Database, storage: LocalStorage
) -> None:
    settings = stripe_settings(tmp_path, fake_stripe)
    svc = service(settings, db, storage, "telegram")
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    order = svc.get_order(order_id=order_id)

    checkout = svc.choose_package(order_id=order_id, package="classic")
    assert (checkout.provider, checkout.amount, checkout.currency) == ("stripe", 499, "usd")
    assert not checkout.free
    assert checkout.label == "Pay 4.99 USD for the Classic game"
    assert checkout.url == f"{fake_stripe.url}/pay/{checkout.reference}"
    sent = fake_stripe.created(SESSIONS)[-1]
    assert sent.params["client_reference_id"] == order_id
    assert sent.params["metadata"] == {"order_id": order_id, "user_id": order.user_id,
                                       "channel": "telegram", "package": "classic"}  # fmt: skip
    assert sent.params["success_url"] == (
        "http://petpixel.test/checkout/success?session_id={CHECKOUT_SESSION_ID}"
    )
    assert sent.params["cancel_url"] == f"http://petpixel.test/o/{order.token}"
    price = sent.params["line_items"]["0"]["price_data"]
    assert (price["unit_amount"], price["currency"]) == ("499", "usd")
    assert sent.idempotency_key is not None
    assert sent.idempotency_key.startswith(f"petpixel-checkout-{order_id}-classic-")

    # A double click (or a network retry) while waiting for payment: the same session again.
    again = svc.choose_package(order_id=order_id, package="classic")
    assert again.reference == checkout.reference
    assert fake_stripe.created(SESSIONS)[-1].idempotency_key == sent.idempotency_key


def test_stripe_price_ids_replace_inline_prices(
    tmp_path: Path, fake_stripe: FakeStripe, db: Database, storage: LocalStorage
) -> None:
    fake_stripe.prices["price_deluxe_test"] = (999, "usd")
    settings = stripe_settings(tmp_path, fake_stripe, stripe_price_deluxe="price_deluxe_test")
    svc = service(settings, db, storage, "web")
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    checkout = svc.choose_package(order_id=order_id, package="deluxe")
    assert checkout.amount == 999
    item = fake_stripe.created(SESSIONS)[-1].params["line_items"]["0"]
    assert item == {"price": "price_deluxe_test", "quantity": "1"}


def test_telegram_stripe_links_name_the_telegram_channel(
    tmp_path: Path, fake_stripe: FakeStripe
) -> None:
    from runtime import open_runtime

    settings = stripe_settings(tmp_path, fake_stripe, telegram_checkout="stripe")
    with open_runtime(settings, role="cli") as rt:
        order_id = add_order(rt.db, status=OrderStatus.PREVIEW_READY, package=None)
        checkout = rt.checkout("telegram").choose_package(order_id=order_id, package="classic")
    assert checkout.provider == "stripe"
    sent = fake_stripe.created(SESSIONS)[-1]
    assert sent.params["metadata"]["channel"] == "telegram"
    assert sent.params["client_reference_id"] == order_id


def test_another_package_reprices_the_order_and_expires_the_older_session(
    tmp_path: Path, fake_stripe: FakeStripe, db: Database, storage: LocalStorage
) -> None:
    """awaiting_payment -> awaiting_payment: the order takes the new package and price, and the
    session it replaces is expired, so only the newest checkout can pay for it."""
    svc = service(stripe_settings(tmp_path, fake_stripe), db, storage, "web")
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    expiries = len(fake_stripe.requests)

    def expired_since() -> list[str]:
        return [r.path.split("/")[-2] for r in fake_stripe.requests[expiries:]
                if r.path.endswith("/expire")]  # fmt: skip

    classic = svc.choose_package(order_id=order_id, package="classic").reference
    assert svc.choose_package(order_id=order_id, package="classic").reference == classic
    deluxe = svc.choose_package(order_id=order_id, package="deluxe")
    order = svc.get_order(order_id=order_id)
    assert (order.status, order.package, order.amount) == (OrderStatus.AWAITING_PAYMENT,
                                                           "deluxe", 999)  # fmt: skip
    assert (deluxe.amount, deluxe.reference) == (999, svc.checkout_reference(order_id=order_id))
    assert deluxe.reference != classic
    assert fake_stripe.sessions[str(classic)]["status"] == "expired"
    assert fake_stripe.sessions[str(deluxe.reference)]["status"] == "open"
    assert expired_since() == [classic]  # the double click above expired nothing

    # A double click on deluxe finds the same session; back to classic makes a new one.
    assert svc.choose_package(order_id=order_id, package="deluxe").reference == deluxe.reference
    back = svc.choose_package(order_id=order_id, package="classic").reference
    assert back not in (classic, deluxe.reference)
    assert expired_since() == [classic, deluxe.reference]
    assert svc.get_order(order_id=order_id).amount == 499
    assert svc.checkout_reference(order_id=order_id) == back


def test_a_failed_expiry_does_not_stop_the_change(
    tmp_path: Path, fake_stripe: FakeStripe, db: Database, storage: LocalStorage
) -> None:
    """The older session was paid (or expired) already: Stripe refuses to expire it, and the
    order still takes the new package (a payment of the old one is refunded by the fulfilment)."""
    svc = service(stripe_settings(tmp_path, fake_stripe), db, storage, "web")
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    classic = svc.choose_package(order_id=order_id, package="classic").reference
    assert classic is not None
    fake_stripe.pay(classic)
    deluxe = svc.choose_package(order_id=order_id, package="deluxe")
    assert deluxe.reference != classic
    assert fake_stripe.sessions[classic]["status"] == "complete"  # not expirable any more
    assert svc.get_order(order_id=order_id).package == "deluxe"
