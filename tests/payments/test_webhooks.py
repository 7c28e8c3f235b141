"""The Stripe webhook end to end: the real app on uvicorn, the real `stripe` library talking to the
fake Stripe API over HTTP, webhooks signed exactly as Stripe signs them."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderView
from tests.fakes.stripe_api import FakeStripe, sign
from tests.orders.fixtures import wait_for
from tests.payments.conftest import (
    CHANNELS,
    WEBHOOK_SECRET,
    RecordingNotifier,
    post_event,
    stripe_settings,
)
from tests.payments.helpers import buy, checkout_from, events, ready_to_pay, status, wait_final
from tests.payments.steps import DOOMED_SEED
from tests.web.conftest import LiveServer
from web.app import create_app
from web.resources import Resources

COMPLETED = "checkout.session.completed"


@dataclass(frozen=True)
class Delivered:
    """A Stripe-paid order whose build finished, with what the test saw on the way."""

    order: OrderView
    session_id: str
    outcome: str
    code: str


@pytest.fixture(scope="module")
def delivered(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> Delivered:
    """Buy over the API, pay on "Stripe", get the signed webhook: the build runs to the end."""
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT
    fake_stripe.pay(session_id)
    reply = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert reply.status_code == 200
    assert wait_final(svc, order.id) == OrderStatus.READY
    code = svc.status(order_id=order.id).links.game_code
    assert code is not None
    return Delivered(order, session_id, str(reply.json()["outcome"]), code)


@pytest.mark.slow
def test_paid_checkout_becomes_a_game_and_the_buyer_is_told(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, delivered: Delivered,
) -> None:  # fmt: skip
    svc, order = resources.service, delivered.order
    assert delivered.outcome == "fulfilled"
    paid = svc.get_order(order_id=order.id)
    assert paid.payment_ref == fake_stripe.sessions[delivered.session_id]["payment_intent"]
    assert (paid.amount, paid.currency) == (499, "usd")
    view = svc.status(order_id=order.id)
    assert view.links.game == f"http://petpixel.test/g/{delivered.code}"
    wait_for(lambda: "game_ready" in notices.kinds(order.id), what="the game-ready notice")
    assert notices.kinds(order.id) == ["payment_received", "game_ready"]
    ready = [n for n in notices.sent if n.kind == "game_ready" and n.order_id == order.id]
    assert (ready[0].url, ready[0].channel) == (view.links.game, "web")

    # The game is delivered: its page, its data and its sprite atlas come over HTTP.
    page = http.get(f"/g/{delivered.code}")
    assert page.status_code == 200
    found = re.search(r'name="petpixel-game" content="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    game = http.get(f"/g/{delivered.code}/{found.group(1)}")
    assert game.status_code == 200
    atlas = http.get(f"/g/{delivered.code}/{game.json()['atlas']}")
    assert atlas.status_code == 200
    assert len(atlas.content) > 100

    # The buyer lands on the success page afterwards: nothing changes, they see their order.
    back = http.get("/checkout/success", params={"session_id": delivered.session_id})
    assert back.status_code == 303
    assert back.headers["location"] == f"/o/{order.token}"
    assert events(svc.db, order.id, "order.paid") == 1


@pytest.mark.browser
@pytest.mark.slow
def test_paid_game_plays_in_a_browser(
    browser: Any, server: LiveServer, delivered: Delivered
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{server.url}/g/{delivered.code}")
        page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
        for _ in range(60):  # Enter, like a player, until the title gives way to the level
            page.keyboard.press("Enter")
            if page.evaluate("() => window.PETPIXEL.status") == "playing":
                break
            page.wait_for_timeout(250)
        assert page.evaluate("() => window.PETPIXEL.status") == "playing"
    finally:
        context.close()
    assert errors == []


@pytest.mark.slow
def test_build_that_keeps_failing_is_retried_refunded_and_the_chat_told(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes, pay_settings: Settings,
) -> None:  # fmt: skip
    """Bought from the Telegram bot with a Stripe link: the notices go back to Telegram."""
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg, seed=DOOMED_SEED)
    session_id = checkout_from(svc, pay_settings, "telegram", order.id)
    fake_stripe.pay(session_id)
    reply = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert reply.json()["outcome"] == "fulfilled"
    assert wait_final(svc, order.id) == OrderStatus.FAILED
    assert svc.status(order_id=order.id).refund_due  # the refund-worthy record
    assert svc.get_order(order_id=order.id).attempts == 2  # the worker retried once first
    intent = fake_stripe.sessions[session_id]["payment_intent"]
    wait_for(lambda: "build_failed" in notices.kinds(order.id), what="the failure notice")
    refunds = [r for r in fake_stripe.refunds if r["payment_intent"] == intent]
    assert len(refunds) == 1
    assert refunds[0]["amount"] == 499  # price_classic, in full
    keys = [r.idempotency_key for r in fake_stripe.created("/v1/refunds")]
    assert f"petpixel-refund-{order.id}" in keys
    assert events(svc.db, order.id, "payment.refunded") == 1
    told = [(n.kind, n.channel) for n in notices.sent if n.order_id == order.id]
    assert told == [("payment_received", "telegram"), ("build_failed", "telegram")]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: sign(body, "whsec_forged"), id="wrong-secret"),
        pytest.param(lambda body: {"Content-Type": "application/json"}, id="unsigned"),
        pytest.param(lambda body: sign(body + b" ", WEBHOOK_SECRET), id="tampered-body"),
        pytest.param(
            lambda body: sign(body, WEBHOOK_SECRET, timestamp=int(time.time()) - 600),
            id="stale-timestamp",
        ),
    ],
)
def test_unsigned_forged_or_stale_events_are_refused(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe, cat_jpeg: bytes,
    headers: object,
) -> None:  # fmt: skip
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id)
    body = fake_stripe.event(COMPLETED, session_id)
    reply = http.post("/webhooks/stripe", content=body, headers=headers(body))  # type: ignore[operator]
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "bad_signature"
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT


def test_replayed_and_duplicate_events_pay_once(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id)
    body = fake_stripe.event(COMPLETED, session_id, event_id="evt_replayed_1")
    outcomes = [post_event(http, body).json()["outcome"] for _ in range(3)]  # same event again
    # Stripe may also send a second event for the same session (a new id, same payment).
    outcomes.append(post_event(http, fake_stripe.event(COMPLETED, session_id)).json()["outcome"])
    assert outcomes == ["fulfilled", "duplicate", "duplicate", "already_paid"]
    assert events(svc.db, order.id, "order.paid") == 1
    assert notices.kinds(order.id).count("payment_received") == 1


def test_events_in_any_order_settle_on_the_truth(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id, status="unpaid")  # a bank debit: completed, money not there yet
    early_completed = fake_stripe.event(COMPLETED, session_id)
    fake_stripe.settle(session_id, paid=True)
    succeeded = fake_stripe.event("checkout.session.async_payment_succeeded", session_id)

    # The success event overtakes the (stale) completed event; an expiry arrives last of all.
    assert post_event(http, succeeded).json()["outcome"] == "fulfilled"
    assert post_event(http, early_completed).json()["outcome"] == "already_paid"
    expired = post_event(http, fake_stripe.event("checkout.session.expired", session_id))
    assert expired.json()["outcome"] == "ignored"
    assert status(svc, order.id) in {OrderStatus.PAID, OrderStatus.BUILDING, OrderStatus.READY}
    assert events(svc.db, order.id, "order.paid") == 1


@pytest.mark.parametrize("money_arrives", [True, False], ids=["async-succeeded", "async-failed"])
def test_completed_but_unpaid_waits_for_the_money(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes, money_arrives: bool,
) -> None:  # fmt: skip
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id, status="unpaid")  # a bank debit: the money comes days later
    completed = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert completed.json()["outcome"] == "not_paid"
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT  # no game for unpaid orders
    assert notices.kinds(order.id) == []

    fake_stripe.settle(session_id, paid=money_arrives)
    kind = "succeeded" if money_arrives else "failed"
    settled = fake_stripe.event(f"checkout.session.async_payment_{kind}", session_id)
    outcome = post_event(http, settled).json()["outcome"]
    if money_arrives:
        assert outcome == "fulfilled"
        assert status(svc, order.id) in {OrderStatus.PAID, OrderStatus.BUILDING}
        assert events(svc.db, order.id, "order.paid") == 1
        assert notices.kinds(order.id) == ["payment_received"]
    else:
        assert outcome == "payment_failed"
        assert status(svc, order.id) == OrderStatus.PREVIEW_READY  # can pick a package again
        assert events(svc.db, order.id, "order.paid") == 0
        assert notices.kinds(order.id) == ["payment_failed"]


@pytest.mark.parametrize(
    "charged",
    [
        pytest.param({"amount": 1}, id="amount"),
        pytest.param({"currency": "eur"}, id="currency"),
    ],
)
def test_wrong_amount_or_currency_is_refunded_not_fulfilled(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes, charged: dict[str, Any],
) -> None:  # fmt: skip
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id, **charged)
    reply = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert reply.json()["outcome"] == "refunded"
    again = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert again.json()["outcome"] == "refunded"
    page = http.get("/checkout/success", params={"session_id": session_id})
    assert page.status_code == 303  # the buyer sees their order page, still unpaid
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT
    assert events(svc.db, order.id, "order.paid") == 0
    intent = fake_stripe.sessions[session_id]["payment_intent"]
    assert [r["payment_intent"] for r in fake_stripe.refunds].count(intent) == 1  # in full, once
    assert events(svc.db, order.id, "payment.unmatched_refunded") == 1
    assert notices.kinds(order.id) == ["payment_refunded"]


def test_another_package_before_paying_reprices_the_order_and_expires_the_old_checkout(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes,
) -> None:  # fmt: skip
    """Issue 12, "paid, no game": classic on Stripe, Back, deluxe, pay. The order is deluxe."""
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    classic = buy(http, order)
    deluxe = buy(http, order, "deluxe")  # back from Stripe's page, another package
    assert deluxe != classic
    assert fake_stripe.sessions[classic]["status"] == "expired"  # it cannot be paid any more
    repriced = svc.get_order(order_id=order.id)
    assert (repriced.status, repriced.package, repriced.amount) == (
        OrderStatus.AWAITING_PAYMENT, "deluxe", 999,
    )  # fmt: skip
    # Stripe reports the expiry we asked for: the order keeps waiting for the deluxe checkout.
    ended = post_event(http, fake_stripe.event("checkout.session.expired", classic))
    assert ended.json()["outcome"] == "ignored"
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT

    fake_stripe.pay(deluxe)
    assert post_event(http, fake_stripe.event(COMPLETED, deluxe)).json()["outcome"] == "fulfilled"
    paid = svc.get_order(order_id=order.id)
    assert (paid.package, paid.amount) == ("deluxe", 999)
    assert paid.payment_ref == fake_stripe.sessions[deluxe]["payment_intent"]
    assert notices.kinds(order.id) == ["payment_received"]


@pytest.mark.parametrize("paid_first", ["old", "new"])
def test_the_old_checkout_paid_anyway_is_refunded_and_the_new_one_pays(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes, paid_first: str,
) -> None:  # fmt: skip
    """The buyer also pays the classic checkout (in another tab, just before its expiry took
    effect): that payment cannot pay the deluxe order, so it is refunded at once, whichever
    webhook comes first; the deluxe payment gives the game."""
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    classic = buy(http, order)
    deluxe = buy(http, order, "deluxe")
    fake_stripe.pay(classic)
    fake_stripe.pay(deluxe)
    sessions = [classic, deluxe] if paid_first == "old" else [deluxe, classic]
    outcomes = {s: post_event(http, fake_stripe.event(COMPLETED, s)).json()["outcome"]
                for s in sessions}  # fmt: skip
    assert outcomes == {classic: "refunded", deluxe: "fulfilled"}
    paid = svc.get_order(order_id=order.id)
    assert (paid.package, paid.amount) == ("deluxe", 999)
    assert paid.payment_ref == fake_stripe.sessions[deluxe]["payment_intent"]

    # Redelivered, and the buyer back on the success page: no second refund, no second notice.
    assert post_event(http, fake_stripe.event(COMPLETED, classic)).json()["outcome"] == "refunded"
    assert http.get("/checkout/success", params={"session_id": classic}).status_code == 303
    intents = {fake_stripe.sessions[s]["payment_intent"]: s for s in (classic, deluxe)}
    refunded = [(intents[r["payment_intent"]], r["amount"]) for r in fake_stripe.refunds
                if r["payment_intent"] in intents]  # fmt: skip
    assert refunded == [(classic, 499)]
    assert events(svc.db, order.id, "payment.unmatched_refunded") == 1
    assert events(svc.db, order.id, "order.paid") == 1
    assert sorted(notices.kinds(order.id)) == ["payment_received", "payment_refunded"]


def test_expired_checkout_lets_the_buyer_pay_again(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe,
    notices: RecordingNotifier, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    first = buy(http, order)
    fake_stripe.expire(first)
    reply = post_event(http, fake_stripe.event("checkout.session.expired", first))
    assert reply.json()["outcome"] == "checkout_expired"
    assert status(svc, order.id) == OrderStatus.PREVIEW_READY
    assert notices.kinds(order.id) == ["checkout_expired"]

    second = buy(http, order)  # a fresh session, not the expired one replayed
    assert second != first
    fake_stripe.pay(second)
    assert post_event(http, fake_stripe.event(COMPLETED, second)).json()["outcome"] == "fulfilled"


@dataclass(frozen=True)
class OwnServer:
    http: httpx.Client
    resources: Resources
    notices: RecordingNotifier


@pytest.fixture
def own_server(db_url: str, tmp_path: Path, fake_stripe: FakeStripe) -> Iterator[OwnServer]:
    """The real app on uvicorn over the test's database: SQLite, and PostgreSQL (marker
    `postgres`), where concurrent transactions really overlap."""
    app = create_app(stripe_settings(tmp_path, fake_stripe, database_url=db_url))
    notices = RecordingNotifier()
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as http:
        for channel in CHANNELS:
            app.state.resources.runtime.notifiers.register(channel, notices)
        yield OwnServer(http, app.state.resources, notices)


def test_success_page_racing_the_webhook_fulfils_once(
    own_server: OwnServer, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    http, svc, notices = own_server.http, own_server.resources.service, own_server.notices
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id)
    bodies = [fake_stripe.event(COMPLETED, session_id) for _ in range(4)]  # distinct event ids
    start = threading.Barrier(8)

    def webhook(body: bytes) -> str:
        start.wait()
        return str(post_event(http, body).json()["outcome"])

    def success_page(_: int) -> str:
        start.wait()
        reply = http.get("/checkout/success", params={"session_id": session_id})
        return f"page:{reply.status_code}"

    with ThreadPoolExecutor(8) as pool:
        hooks = [pool.submit(webhook, body) for body in bodies]
        pages = [pool.submit(success_page, n) for n in range(4)]
        outcomes = sorted(f.result() for f in hooks)
        page_codes = [f.result() for f in pages]
    assert page_codes == ["page:303"] * 4
    assert outcomes.count("fulfilled") <= 1
    assert set(outcomes) <= {"fulfilled", "already_paid"}
    assert events(svc.db, order.id, "order.paid") == 1  # exactly one payment, one build queued
    assert notices.kinds(order.id).count("payment_received") == 1
    assert wait_final(svc, order.id) == OrderStatus.READY  # one build, run to the end


def test_unknown_checkout_and_foreign_events_get_clear_answers(
    http: httpx.Client, fake_stripe: FakeStripe
) -> None:
    missing = http.get("/checkout/success", params={"session_id": "cs_test_nope"})
    assert missing.status_code == 404
    assert "checkout" in missing.text.lower()
    assert http.get("/checkout/success").status_code in {400, 422}  # no session id at all

    # Signed, but not about a Checkout Session (or not well formed): acknowledged, ignored.
    other = (
        b'{"id": "evt_other", "type": "charge.refunded", "data": {"object": {"object": "charge"}}}'
    )
    assert post_event(http, other).json() == {"received": True, "outcome": "ignored"}
    odd = b'{"id": "evt_odd", "type": "checkout.session.completed", "data": {"object": []}}'
    assert post_event(http, odd).json() == {"received": True, "outcome": "ignored"}
    not_json = post_event(http, b"not json")
    assert not_json.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[]", id="empty-array"),
        pytest.param(json.dumps([{"id": "evt_1", "type": COMPLETED}]).encode(), id="array"),
        pytest.param(b'"checkout.session.completed"', id="string"),
        pytest.param(b"42", id="number"),
        pytest.param(b"null", id="null"),
        pytest.param(b'{"id": "evt_no_type", "object": "event", "data": {}}', id="no-type"),
        pytest.param(b'{"object": "event", "type": "checkout.session.completed"}', id="no-id"),
        pytest.param(b'{"id": 7, "type": "checkout.session.completed"}', id="number-id"),
        pytest.param(b'{"id": "evt_x", "type": ["checkout.session.completed"]}', id="list-type"),
        pytest.param(b"\xff\xfe not utf-8", id="not-utf8"),
    ],
)
def test_signed_bodies_that_are_not_events_are_refused_with_400(
    http: httpx.Client, body: bytes
) -> None:
    """Signed with our secret, but no Stripe event: a clear 400, never a 500."""
    reply = post_event(http, body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"]["code"] in {"bad_event", "bad_signature"}
    if body != b"\xff\xfe not utf-8":  # not text: the signature cannot even be checked
        assert reply.json()["error"]["code"] == "bad_event"


@pytest.mark.parametrize("kind", [COMPLETED, "checkout.session.expired"])
def test_an_event_for_a_session_stripe_does_not_know_is_acknowledged_once(
    http: httpx.Client, fake_stripe: FakeStripe, kind: str
) -> None:
    """Retrying cannot help (a forged id, another account or mode): 2xx "ignored", not 503
    forever; the redelivery is a duplicate."""
    ghost = {"id": "cs_test_ghost", "object": "checkout.session"}
    body = json.dumps({"id": f"evt_ghost_{kind}", "object": "event", "type": kind,
                       "data": {"object": ghost}}).encode()  # fmt: skip
    first = post_event(http, body)
    assert first.status_code == 200, first.text
    assert first.json() == {"received": True, "outcome": "ignored"}
    assert post_event(http, body).json() == {"received": True, "outcome": "duplicate"}
    assert "cs_test_ghost" not in fake_stripe.sessions


def test_order_page_shows_stripe_prices(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert "4.99 USD" in page.text  # the classic package, paid through Stripe, not "Free"


def test_stripe_outage_is_retried_by_redelivery(
    http: httpx.Client, resources: Resources, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    svc = resources.service
    order = ready_to_pay(svc, cat_jpeg)
    session_id = buy(http, order)
    fake_stripe.pay(session_id)
    body = fake_stripe.event(COMPLETED, session_id, event_id="evt_during_outage")
    fake_stripe.outage = True
    try:
        down = post_event(http, body)
        page = http.get("/checkout/success", params={"session_id": session_id})
    finally:
        fake_stripe.outage = False
    assert down.status_code == 503  # not a 2xx: Stripe delivers the event again later
    assert down.json()["error"]["code"] == "stripe_unavailable"
    assert page.status_code == 503
    assert "order is safe" in page.text
    assert status(svc, order.id) == OrderStatus.AWAITING_PAYMENT
    # The same event, redelivered once Stripe answers again, is handled (not a "duplicate").
    assert post_event(http, body).json()["outcome"] == "fulfilled"
    assert events(svc.db, order.id, "order.paid") == 1
