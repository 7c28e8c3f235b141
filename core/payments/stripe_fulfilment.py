"""Stripe fulfilment: one idempotent `fulfill_checkout(session_id)` behind the webhook, the success
page and reconciliation, plus the follow-ups of a build (game-ready notice, refund on failure).

Stripe's advice, followed here: verify every webhook, dedupe by event id, never trust the order in
which events arrive (each handler retrieves the session and acts on its *current* state), fulfil
from the webhook AND the success page through the same function, and answer Stripe quickly. Every
effect is guarded so it happens once: `mark_paid` is a compare-and-set, notices claim a unique
marker row (`processed_payment_events`), refunds go through the one refund guard
(`core.payments.refunds`) and carry an Idempotency-Key.

A paid session always ends in a game or a refund: one that pays its order as it stands (package,
amount, currency) is booked; one that cannot (an older checkout paid after the buyer picked
another package, a second payment for a paid order, a price that does not match, an order no
longer waiting for payment) is refunded in full at once and the buyer told (`payment_refunded`).
Only a session naming no order of ours, or one that cannot be refunded automatically
(`stripe_auto_refund` off), is held for a person (`review`).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.config import Settings
from core.errors import PetPixelError
from core.notify import NOTICE_TEXT, Notice, NoticeKind, Notifiers
from core.orders.lifecycle import PAID_STATUSES, OrderStatus
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.store import NotFound, compare_and_set
from core.orders.tables import Event, Order, PaymentEvent
from core.payments.refunds import MARKER, Refunds
from core.payments.stripe import (
    PROVIDER,
    checkout_channel,
    metadata_of,
    mismatch,
    order_id_of,
    payable_without_choice_change,
    payment_ref_of,
)

log = logging.getLogger("petpixel.payments")
PAID = ("paid", "no_payment_required")
MAX_ID = 255  # processed_payment_events.event_id; Stripe's ids are far shorter
UNKNOWN_SESSION = "Stripe does not know this checkout session"


class BadEvent(ValueError):
    """Signed with our secret, but not a Stripe event (not a JSON object with an id and a type)."""


@dataclass(frozen=True)
class WebhookEvent:
    """The parts of a verified webhook event the handlers use."""

    id: str
    type: str
    session_id: str | None  # the Checkout Session of a checkout.session.* event, else None


@dataclass(frozen=True)
class Outcome:
    """What one fulfilment attempt did: fulfilled, already_paid, not_paid, refunded (a payment
    that could not pay its order, given back), review (kept for a person), ignored."""

    result: str
    order_id: str | None = None
    detail: str = ""


@dataclass
class ReconcileReport:
    checked: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    refunds: list[str] = field(default_factory=list)


class Fulfilment:
    """Stripe payments -> order changes; built once per process, by the composition root
    (`runtime`), which also runs `after_build` after each build this process ran."""

    def __init__(
        self,
        *,
        settings: Settings,
        orders: OrderService,
        client: stripe.StripeClient,
        notifiers: Notifiers | None = None,
    ) -> None:
        self.settings = settings
        self.orders = orders
        self.client = client
        self.notifiers = notifiers or Notifiers()
        self.refunds = Refunds(orders.db)

    # --- webhook --------------------------------------------------------------------------
    def verify(self, payload: bytes, signature: str | None) -> WebhookEvent:
        """The event, if Stripe signed it recently. Raises SignatureVerificationError (or
        ValueError for a body that is not UTF-8) when it did not, BadEvent for a signed body that
        is not an event object."""
        stripe.WebhookSignature.verify_header(
            payload, signature, self.settings.stripe_webhook_secret,
            tolerance=self.settings.stripe_webhook_tolerance_s,
        )  # fmt: skip
        return parse_event(payload)

    def handle_event(self, event_id: str, event_type: str, session_id: str) -> str:
        """Act on one event; a redelivered event id changes nothing the second time."""
        handler = {
            "checkout.session.completed": self.fulfill_checkout,
            "checkout.session.async_payment_succeeded": self.fulfill_checkout,
            "checkout.session.async_payment_failed": self.release_unpaid,
            "checkout.session.expired": self.release_unpaid,
        }.get(event_type)
        if handler is None:
            return "ignored"
        if self._seen(PROVIDER, event_id):
            return "duplicate"
        outcome = handler(session_id)
        # Recorded after success: if handling fails, Stripe's retry must be processed again.
        self._claim(PROVIDER, event_id, outcome.order_id)
        return outcome.result

    # --- fulfilment -----------------------------------------------------------------------
    def fulfill_checkout(self, session_id: str) -> Outcome:
        """Book the payment of a paid session on its order and queue the build, exactly once; a
        payment that cannot pay its order is refunded (see the module docstring)."""
        session = self._retrieve(session_id)
        if session is None:
            return Outcome("ignored", None, UNKNOWN_SESSION)
        order_id = order_id_of(session)
        if session.payment_status not in PAID:
            return Outcome("not_paid", order_id)
        order = self._order(order_id)
        if order is None:
            return self._review(None, session, "the session names no order of ours")
        ref = payment_ref_of(session)
        if order.status in PAID_STATUSES or order.payment_ref is not None:
            if order.payment_ref == ref:
                return Outcome("already_paid", order.id)
            return self._refund_unmatched(order, session, "a second payment for a paid order")
        problem = mismatch(order, session) or self._make_payable(order)
        if problem:
            return self._refund_unmatched(order, session, problem)
        try:
            result = self.orders.mark_paid(order_id=order.id, payment_ref=ref,
                                           amount=session.amount_total or 0,
                                           currency=session.currency or order.currency,
                                           provider=PROVIDER,
                                           package=metadata_of(session).get("package"))  # fmt: skip
        except PetPixelError as exc:  # repriced or moved on since we looked: not this payment's
            return self._refund_unmatched(order, session, exc.message)
        if result.changed:
            channel = checkout_channel(session)
            self._record(
                order,
                "payment.stripe",
                {"session_id": session.id, "payment_ref": ref, "channel": channel},
            )
            self._notify(order, "payment_received", channel)
            return Outcome("fulfilled", order.id)
        if result.payment_ref != ref:  # another payment won the race for this order
            return self._refund_unmatched(order, session, "a second payment for a paid order")
        return Outcome("already_paid", order.id)

    def release_unpaid(self, session_id: str) -> Outcome:
        """The order's checkout expired or its payment failed: the order can be paid again; the
        buyer is told. An older checkout (replaced when the buyer picked another package) ending
        changes nothing."""
        session = self._retrieve(session_id)
        if session is None:
            return Outcome("ignored", None, UNKNOWN_SESSION)
        order = self._order(order_id_of(session))
        if order is None or session.payment_status in PAID:
            return Outcome("ignored", order.id if order else None)  # e.g. expired after paid
        if not self._is_current_checkout(order, session):
            return Outcome("ignored", order.id, "an older checkout of this order")
        with self.orders.db.session() as db:
            changed = compare_and_set(db, order.id, {OrderStatus.AWAITING_PAYMENT},
                                      OrderStatus.PREVIEW_READY,
                                      progress_label="Checkout ended without payment")  # fmt: skip
        if not changed:
            return Outcome("ignored", order.id)
        kind: NoticeKind = "checkout_expired" if session.status == "expired" else "payment_failed"
        self._notify(order, kind, checkout_channel(session))
        return Outcome(kind, order.id)

    # --- after the build ------------------------------------------------------------------
    def after_build(self, order_id: str) -> None:
        """Tell the buyer the game is ready, or refund and apologise when the build gave up."""
        status = self.orders.status(order_id=order_id)
        order = self.orders.get_order(order_id=order_id)
        channel = self._channel_of(order_id)
        if status.status == OrderStatus.READY and self._claim(MARKER, f"ready:{order_id}"):
            self._notify(order, "game_ready", channel, url=status.links.game)
        elif status.status == OrderStatus.FAILED and status.refund_due:
            self.refund(order)
            if self._claim(MARKER, f"failed:{order_id}"):
                self._notify(order, "build_failed", channel)

    def refund(self, order: OrderView) -> str | None:
        """Refund a Stripe-paid order in full (once); None when there is nothing to refund here."""
        ref = order.payment_ref or ""
        if not (self.settings.stripe_auto_refund and ref.startswith("pi_")):
            return None  # not paid through Stripe, or refunds are done by hand: refund_due stays
        if self.refunds.done(order.id):
            return None
        refund = self.client.v1.refunds.create(
            params={"payment_intent": ref, "metadata": {"order_id": order.id}},
            options={"idempotency_key": f"petpixel-refund-{order.id}"},
        )
        self.refunds.record(order=order, provider=PROVIDER,
                            data={"refund_id": refund.id, "amount": refund.amount})  # fmt: skip
        return str(refund.id)

    # --- reconciliation -------------------------------------------------------------------
    def reconcile(self, *, since: datetime, until: datetime) -> ReconcileReport:
        """Fulfil every paid session of the window (missed webhooks) and refund failed builds."""
        report = ReconcileReport()
        params: Any = {"created": {"gte": int(since.timestamp()), "lt": int(until.timestamp())},
                       "status": "complete", "limit": 100}  # fmt: skip
        for session in self.client.v1.checkout.sessions.list(params=params).auto_paging_iter():
            report.checked += 1
            if session.payment_status in PAID:
                report.outcomes[self.fulfill_checkout(session.id).result] += 1
        for order_id in self._refunds_due():
            refund_id = self.refund(self.orders.get_order(order_id=order_id))
            if refund_id:
                report.refunds.append(refund_id)
        return report

    # --- helpers --------------------------------------------------------------------------
    def _retrieve(self, session_id: str) -> Any | None:
        """The session as Stripe has it now; None when Stripe does not know it (a retry cannot
        help: a forged id, or an event from another account or mode). Other errors raise."""
        try:
            return self.client.v1.checkout.sessions.retrieve(session_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status != 404:
                raise
            log.warning("stripe session %s unknown to Stripe: %s", session_id, exc)
            return None

    def _is_current_checkout(self, order: OrderView, session: Any) -> bool:
        """True when `session` is the checkout the order waits on: the latest one it sent the
        buyer to (when recorded), for the order's package and price."""
        latest = self.orders.checkout_reference(order_id=order.id)
        return latest in (None, session.id) and mismatch(order, session) is None

    def _refund_unmatched(self, order: OrderView, session: Any, problem: str) -> Outcome:
        """Give back, in full and once, a payment that cannot pay its order, and tell the buyer;
        kept for a person instead when automatic refunds are off."""
        ref = payment_ref_of(session)
        if not (self.settings.stripe_auto_refund and ref.startswith("pi_")):
            return self._review(order, session, problem)
        key = f"unmatched:{session.id}"
        log.warning("stripe session %s refunded: %s", session.id, problem)
        if self._seen(MARKER, key):
            return Outcome("refunded", order.id, problem)
        refund_id = self._refund_intent(ref, order.id, session.id)
        if self._claim(MARKER, key, order.id):
            self._record(order, "payment.unmatched_refunded", {
                "session_id": session.id, "payment_ref": ref, "refund_id": refund_id,
                "problem": problem, "amount": session.amount_total, "currency": session.currency,
            })  # fmt: skip
            self._notify(order, "payment_refunded", checkout_channel(session))
        return Outcome("refunded", order.id, problem)

    def _refund_intent(self, payment_intent: str, order_id: str, session_id: str) -> str | None:
        """Refund one PaymentIntent in full; None when Stripe says it was refunded before."""
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": payment_intent,
                        "metadata": {"order_id": order_id, "session_id": session_id}},
                options={"idempotency_key": f"petpixel-refund-{payment_intent}"},
            )  # fmt: skip
        except stripe.InvalidRequestError as exc:
            if exc.code != "charge_already_refunded":
                raise
            return None
        return str(refund.id)

    def _order(self, order_id: str | None) -> OrderView | None:
        try:
            return self.orders.get_order(order_id=order_id) if order_id else None
        except NotFound:
            return None

    def _make_payable(self, order: OrderView) -> str | None:
        """Put a paid-for order back to awaiting_payment if the buyer only left the checkout."""
        if order.status == OrderStatus.PREVIEW_READY:
            with self.orders.db.session() as db:
                compare_and_set(db, order.id, {OrderStatus.PREVIEW_READY},
                                OrderStatus.AWAITING_PAYMENT)  # fmt: skip
            return None
        return payable_without_choice_change(order)

    def _review(self, order: OrderView | None, session: Any, problem: str) -> Outcome:
        """Keep a payment we cannot fulfil for a person to check (and refund); tell the buyer."""
        order_id = order.id if order else None
        log.warning("stripe session %s needs review: %s", session.id, problem)
        if self._claim(MARKER, f"review:{session.id}", order_id) and order is not None:
            self._record(order, "payment.review", {
                "session_id": session.id, "payment_ref": payment_ref_of(session),
                "problem": problem, "amount": session.amount_total, "currency": session.currency,
            })  # fmt: skip
            self._notify(order, "payment_review", checkout_channel(session))
        return Outcome("review", order_id, problem)

    def _notify(
        self, order: OrderView, kind: NoticeKind, channel: str, url: str | None = None
    ) -> None:
        self.notifiers.send(Notice(kind=kind, channel=channel, user_id=order.user_id,
                                   order_id=order.id, text=NOTICE_TEXT[kind], url=url))  # fmt: skip

    def _record(self, order: OrderView, kind: str, data: dict[str, Any]) -> None:
        self.orders.record_event(type=kind, data=data, user_id=order.user_id, order_id=order.id)

    def _channel_of(self, order_id: str) -> str:
        """The channel the order was paid from (recorded at fulfilment); web when unknown."""
        stmt = select(Event.data).where(Event.order_id == order_id, Event.type == "payment.stripe")
        with self.orders.db.session() as db:
            data = db.scalars(stmt.order_by(Event.id.desc()).limit(1)).first()
        return str((data or {}).get("channel") or "web")

    def _refunds_due(self) -> list[str]:
        stmt = select(Order.id).where(Order.refund_due.is_(True), Order.payment_ref.like("pi_%"))
        with self.orders.db.session() as db:
            return list(db.scalars(stmt))

    def _seen(self, provider: str, key: str) -> bool:
        stmt = select(PaymentEvent.id).where(
            PaymentEvent.provider == provider, PaymentEvent.event_id == key
        )
        with self.orders.db.session() as db:
            return db.scalar(stmt) is not None

    def _claim(self, provider: str, key: str, order_id: str | None = None) -> bool:
        """Insert a unique marker; False when it exists (someone did this already)."""
        try:
            with self.orders.db.session() as db:
                db.add(PaymentEvent(provider=provider, event_id=key, order_id=order_id))
        except IntegrityError:
            return False
        return True


def parse_event(payload: bytes) -> WebhookEvent:
    """A verified body as a WebhookEvent; BadEvent unless it is a JSON object with string `id`
    and `type` (a signed array, string or typeless object is answered 400, not a crash)."""
    try:
        body: Any = json.loads(payload)
    except ValueError:
        raise BadEvent("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise BadEvent("The body is not a JSON object.")
    event_id, event_type = body.get("id"), body.get("type")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= MAX_ID):
        raise BadEvent("The event has no id.")
    if not (isinstance(event_type, str) and event_type):
        raise BadEvent("The event has no type.")
    return WebhookEvent(event_id, event_type, _session_id(body))


def _session_id(body: dict[str, Any]) -> str | None:
    """The Checkout Session id of a checkout.session.* event (None for other objects)."""
    data = body.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict) or obj.get("object") != "checkout.session":
        return None
    session_id = obj.get("id")
    return session_id if isinstance(session_id, str) and 0 < len(session_id) <= MAX_ID else None
