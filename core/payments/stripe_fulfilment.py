"""Stripe fulfilment: one idempotent `fulfill_checkout(session_id)` behind the webhook, the success
page and reconciliation, plus the follow-ups of a build (game-ready notice, refund on failure).

Stripe's advice, followed here: verify every webhook, dedupe by event id, never trust the order in
which events arrive (each handler retrieves the session and acts on its *current* state), fulfil
from the webhook AND the success page through the same function, and answer Stripe quickly. Every
effect is guarded so it happens once: `mark_paid` is a compare-and-set, notices claim a unique
marker row (`processed_payment_events`), refunds go through the one refund guard
(`core.payments.refunds`) and carry an Idempotency-Key.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.config import Settings
from core.notify import NOTICE_TEXT, Notice, NoticeKind, Notifiers
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.store import NotFound, compare_and_set
from core.orders.tables import Event, Order, PaymentEvent
from core.payments.refunds import MARKER, Refunds
from core.payments.stripe import (
    PROVIDER,
    checkout_channel,
    mismatch,
    order_id_of,
    payable_without_choice_change,
    payment_ref_of,
)

log = logging.getLogger("petpixel.payments")
PAID = ("paid", "no_payment_required")


@dataclass(frozen=True)
class Outcome:
    """What one fulfilment attempt did: fulfilled, already_paid, not_paid, review, unknown."""

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
    def verify(self, payload: bytes, signature: str | None) -> stripe.Event:
        """The event, if Stripe signed it recently; raises SignatureVerificationError/ValueError."""
        return self.client.construct_event(
            payload, signature, self.settings.stripe_webhook_secret,
            tolerance=self.settings.stripe_webhook_tolerance_s,
        )  # fmt: skip

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
        """Mark the order of a paid session paid and queue its build, exactly once."""
        session = self.client.v1.checkout.sessions.retrieve(session_id)
        order_id = order_id_of(session)
        if session.payment_status not in PAID:
            return Outcome("not_paid", order_id)
        order = self._order(order_id)
        if order is None:
            return self._review(None, session, "the session names no order of ours")
        problem = mismatch(order, session) or self._make_payable(order)
        if problem:
            return self._review(order, session, problem)
        ref = payment_ref_of(session)
        result = self.orders.mark_paid(order_id=order.id, payment_ref=ref,
                                       amount=session.amount_total or 0,
                                       currency=session.currency or order.currency,
                                       provider=PROVIDER)  # fmt: skip
        if result.changed:
            channel = checkout_channel(session)
            self._record(
                order,
                "payment.stripe",
                {"session_id": session.id, "payment_ref": ref, "channel": channel},
            )
            self._notify(order, "payment_received", channel)
            return Outcome("fulfilled", order.id)
        if result.payment_ref != ref:  # a second payment for a paid order: refund it by hand
            return self._review(order, session, "a second payment for an order already paid")
        return Outcome("already_paid", order.id)

    def release_unpaid(self, session_id: str) -> Outcome:
        """An expired or failed checkout: the order can be paid again; the buyer is told."""
        session = self.client.v1.checkout.sessions.retrieve(session_id)
        order = self._order(order_id_of(session))
        if order is None or session.payment_status in PAID:
            return Outcome("ignored", order.id if order else None)  # e.g. expired after paid
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
