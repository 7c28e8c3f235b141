"""OrderService: the one API web, bots and workers use to change orders. Build it once per process.

    svc = runtime.orders        # built by runtime.open_runtime (the composition root)
    user = svc.get_or_create_user(provider="telegram", external_id="42", display_name="Ann")
    order = svc.create_order(user_id=user.id, photo=jpeg_bytes, choices=OrderChoices(style="16bit"))
    svc.request_preview(order_id=order.id)            # enqueues the preview job
    svc.choose_species(order_id=order.id, species="cat")  # redraws it as a cat (until paid)
    svc.status(order_id=order.id)                     # status, percent, label, links (poll this)
    checkout = svc.choose_package(order_id=order.id, package="classic")
    # free mode: already paid, build queued. Otherwise send the buyer to checkout.url; the
    # provider's confirmation calls svc.mark_paid(order_id=..., payment_ref=..., amount=...).
    # Another package before paying reprices the order and expires the older checkout.
    svc.game_by_code(code="Ab3xK9pQ")                 # None when unknown, unfinished or expired

Every method takes keyword-only arguments and returns dataclasses (core.orders.schemas), never ORM
rows. User mistakes raise PetPixelError subclasses (`InvalidRequest`, `ImageRejected`, `NotFound`,
`InvalidTransition`) with a stable code and a message to show. Each method is one transaction; jobs
are enqueued only after it commits. User, game and analytics methods live in the mixins this class
combines."""

from __future__ import annotations

import secrets

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.orders.base import ServiceBase
from core.orders.budget import check_budget
from core.orders.checkout import ExpiringCheckouts
from core.orders.games import GameMethods
from core.orders.lifecycle import PAID_STATUSES, InvalidTransition, OrderStatus, check_transition
from core.orders.packages import draws_hd, get_package
from core.orders.privacy import PrivacyMethods
from core.orders.records import RecordMethods
from core.orders.schemas import (
    CheckoutInfo,
    OrderChoices,
    OrderStatusView,
    OrderView,
    PaymentResult,
)
from core.orders.store import NotFound, compare_and_set, get_order_row, move
from core.orders.tables import Event, Order, PaymentEvent, Upload, utcnow
from core.orders.users import UserMethods
from core.orders.validation import check_choices, intake_photo
from core.orders.views import order_view

CHECKOUT_EVENT = "checkout.created"  # data: provider, reference, package, amount


class OrderService(UserMethods, GameMethods, RecordMethods, PrivacyMethods, ServiceBase):
    """Orders from photo to paid game; see the module docstring for the flow."""

    def create_order(
        self, *, user_id: str, photo: bytes, choices: OrderChoices | dict[str, object] | None = None
    ) -> OrderView:
        """Validate the photo and choices, store the photo, and create a draft order."""
        picked = parse_choices(choices)
        check_choices(picked)
        with self.db.session() as session:  # Busy: everyone together asked for too much
            check_budget(session, settings=self.settings, work="upload")
        photo, ext, content_type = intake_photo(photo, self.settings)  # checked, metadata gone
        order = Order(
            token=secrets.token_urlsafe(24), user_id=user_id, currency=self.settings.currency,
            **_choice_columns(picked),
        )  # fmt: skip
        with self.db.session() as session:
            self._user_row(session, user_id)
            session.add(order)
            session.flush()
            key = f"orders/{order.id}/photo{ext}"
            self.storage.put(key, photo, content_type=content_type)
            session.add(Upload(order_id=order.id, original_key=key, content_type=content_type,
                               size_bytes=len(photo)))  # fmt: skip
            self._event(session, "order.created", order, {"style": picked.style})
        return order_view(order)

    def request_preview(
        self, *, order_id: str, choices: OrderChoices | dict[str, object] | None = None
    ) -> OrderStatusView:
        """Queue the sprite preview; new choices on a finished preview start a fresh one."""
        picked = parse_choices(choices) if choices is not None else None
        if picked is not None:
            check_choices(picked)
        with self.db.session() as session:
            order = get_order_row(session, order_id)
            status = OrderStatus(order.status)
            if status == OrderStatus.PREVIEW_READY and picked is None:
                return self._status(session, order)  # nothing new to draw
            check_changeable(status, paid=order.paid_at is not None)
            check_budget(session, settings=self.settings, work="preview", order_id=order_id)
            values = {
                **(_choice_columns(picked) if picked else {}),
                "error_code": None, "error_message": None, "species_drawn": None,
                "species_guessed": False,
                "progress_percent": 0, "progress_label": "Waiting for an artist",
            }  # fmt: skip
            if status == OrderStatus.DRAFT:  # first request, or new choices before it ran
                session.execute(update(Order).where(Order.id == order_id)
                                .values(updated_at=utcnow(), **values))  # fmt: skip
            else:
                move(session, order_id, OrderStatus.DRAFT, **values)
        self.jobs.enqueue_preview(order_id)
        return self.status(order_id=order_id)

    def choose_species(self, *, order_id: str, species: str) -> OrderStatusView:
        """Set the hero's species (auto|cat|dog|other) until payment: redraw the preview, or just
        keep the choice when it confirms the species the ready preview already shows."""
        current = self.get_order(order_id=order_id)
        picked = parse_choices({**current.choices.model_dump(), "species": species})
        if current.status == OrderStatus.PREVIEW_READY and picked.species == current.species:
            with self.db.session() as session:  # a confirmed guess: nothing new to draw
                session.execute(update(Order).where(Order.id == order_id,
                                                    Order.status == current.status.value)
                                .values(species=picked.species, species_guessed=False))  # fmt: skip
                return self._status(session, get_order_row(session, order_id))
        return self.request_preview(order_id=order_id, choices=picked)

    def choose_package(self, *, order_id: str, package: str) -> CheckoutInfo:
        """Pick a game package and start paying; free mode pays and queues the build at once.

        Another package while a checkout is open reprices the order (awaiting_payment ->
        awaiting_payment) and expires the older checkout, so only the new one can pay; the same
        package again (a double click) changes nothing and finds the same checkout."""
        offer = get_package(self.settings, package)
        with self.db.session() as session:
            waiting = get_order_row(session, order_id).status == OrderStatus.AWAITING_PAYMENT
            previous = _latest_checkout(session, order_id) if waiting else None
            move(session, order_id, OrderStatus.AWAITING_PAYMENT, package=offer.name,
                 amount=offer.amount, currency=offer.currency)  # fmt: skip
            view = order_view(get_order_row(session, order_id))
        checkout = self.payments.create_checkout(order=view, package=offer)
        if checkout.free:
            self.mark_paid(order_id=order_id, payment_ref=checkout.reference or f"free:{order_id}",
                           amount=0, currency=offer.currency)  # fmt: skip
        else:
            self._replace_checkout(view, checkout, previous)
        return checkout

    def checkout_reference(self, *, order_id: str) -> str | None:
        """The order's latest checkout (the one its buyer was last sent to), None before any."""
        with self.db.session() as session:
            latest = _latest_checkout(session, order_id)
        return latest[1] if latest else None

    def mark_paid(
        self,
        *,
        order_id: str,
        payment_ref: str,
        amount: int,
        currency: str,
        provider: str | None = None,
        event_id: str | None = None,
        package: str | None = None,
    ) -> PaymentResult:
        """Record a payment and queue the build; a repeat (same order or event id) is a no-op.

        `package`: what the payment bought; given, it books only an order still priced for it
        (that package and `amount`), else InvalidRequest `price_changed` (the buyer picked another
        package meanwhile: the payment is to be refunded)."""
        price = {"package": package, "amount": amount} if package is not None else None
        with self.db.session() as session:
            if event_id is not None and not self._claim_event(
                session, provider, event_id, order_id
            ):
                return self._payment_result(session, order_id, changed=False)
            changed = compare_and_set(session, order_id, {OrderStatus.AWAITING_PAYMENT},
                                      OrderStatus.PAID, where=price, payment_ref=payment_ref,
                                      amount=amount, currency=currency.lower(), paid_at=utcnow(),
                                      attempts=0)  # fmt: skip
            # attempts restart at payment: preview runs must not use up the build's retries.
            order = get_order_row(session, order_id)
            if not changed and order.paid_at is None:
                check_transition(OrderStatus(order.status), OrderStatus.PAID)  # unpaid: refuse
                if price is not None:
                    raise InvalidRequest(
                        f"This payment was for the {package} package at {amount}, but the order "
                        f"is now for {order.package} at {order.amount}.", code="price_changed",
                    )  # fmt: skip
            if changed:
                self._event(session, "order.paid", order, {"amount": amount, "currency": currency})
            elif order.payment_ref != payment_ref:
                # A second, different payment for one order: keep the first, flag this for refund.
                self._event(session, "payment.duplicate", order, {"payment_ref": payment_ref})
            result = self._payment_result(session, order_id, changed=changed)
            hd = draws_hd(self.settings, order.package)
        if changed:
            self.jobs.enqueue_build(order_id, hd=hd)
        return result

    def status(self, *, order_id: str) -> OrderStatusView:
        """Where the order is: status, progress percent and label, error, links to its files."""
        with self.db.session() as session:
            return self._status(session, get_order_row(session, order_id))

    def order_by_token(self, *, token: str) -> OrderView:
        """The order behind a "my order" link token; NotFound for anything else."""
        with self.db.session() as session:
            order = session.scalars(select(Order).where(Order.token == token)).one_or_none()
            if order is None or not token:
                raise NotFound("We could not find that order. Check the link you were given.")
            return order_view(order)

    def get_order(self, *, order_id: str) -> OrderView:
        with self.db.session() as session:
            return order_view(get_order_row(session, order_id))

    def _replace_checkout(
        self, order: OrderView, checkout: CheckoutInfo, previous: tuple[str, str] | None
    ) -> None:
        """Remember the checkout the buyer is sent to, and expire the one it replaces."""
        if checkout.reference is None or (previous and previous[1] == checkout.reference):
            return  # the same checkout again (a double click)
        data = {"provider": checkout.provider, "reference": checkout.reference,
                "package": order.package, "amount": checkout.amount}  # fmt: skip
        self.record_event(type=CHECKOUT_EVENT, data=data, user_id=order.user_id, order_id=order.id)
        if previous is None or previous[0] != self.payments.name:
            return
        if isinstance(self.payments, ExpiringCheckouts):
            self.payments.expire_checkout(reference=previous[1])

    def _claim_event(
        self, session: Session, provider: str | None, event_id: str, order_id: str
    ) -> bool:
        """Insert the provider event id; False when it was processed before (unique constraint)."""
        try:
            with session.begin_nested():
                session.add(PaymentEvent(provider=provider or self.payments.name,
                                         event_id=event_id, order_id=order_id))  # fmt: skip
        except IntegrityError:
            return False
        return True

    def _payment_result(self, session: Session, order_id: str, *, changed: bool) -> PaymentResult:
        order = get_order_row(session, order_id)
        status = OrderStatus(order.status)
        if status not in PAID_STATUSES and not order.paid_at:
            raise InvalidRequest("This order has not been paid.", code="not_paid")
        return PaymentResult(
            order_id=order.id, status=status, payment_ref=order.payment_ref or "",
            amount=order.amount, currency=order.currency, changed=changed,
        )  # fmt: skip


def _latest_checkout(session: Session, order_id: str) -> tuple[str, str] | None:
    """(provider, reference) of the order's latest recorded checkout, None before any."""
    stmt = (
        select(Event.data)
        .where(Event.order_id == order_id, Event.type == CHECKOUT_EVENT)
        .order_by(Event.id.desc())
        .limit(1)
    )
    data = session.scalars(stmt).first()
    if not data or not data.get("reference"):
        return None
    return str(data.get("provider") or ""), str(data["reference"])


def parse_choices(choices: OrderChoices | dict[str, object] | None) -> OrderChoices:
    """Accept a model or a plain dict (from a form or chat); bad values -> InvalidRequest."""
    if isinstance(choices, OrderChoices):
        return choices
    try:
        return OrderChoices.model_validate(choices or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "choices"
        raise InvalidRequest(f"Please check {field}: {first['msg']}.", code="bad_choice") from None


def check_changeable(status: OrderStatus, *, paid: bool) -> None:
    """Choices change until payment starts; say plainly why not after that (a paid order that
    failed stays failed: it is refunded, not redrawn)."""
    if status in PAID_STATUSES or paid:
        raise InvalidTransition(
            "This game is already paid for, so its hero and choices can't change any more. "
            "Start a new order with a new photo to try something else."
        )
    if status == OrderStatus.AWAITING_PAYMENT:
        raise InvalidTransition(
            "This order is waiting for its payment, so its choices can't change now. Finish "
            "or cancel the payment first, or start a new order."
        )


def _choice_columns(c: OrderChoices) -> dict[str, object]:
    return {
        "style": c.style, "theme": c.theme, "pet_name": c.pet_name, "difficulty": c.difficulty,
        "seed": c.seed, "user_crop": list(c.user_crop) if c.user_crop else None,
        "species": c.species,
    }  # fmt: skip
