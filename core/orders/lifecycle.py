"""The order state machine: which status may follow which, and the error for everything else.

    draft -> preview_ready -> awaiting_payment -> paid -> building -> ready
                                   (repriced)              \\-> failed (reason kept)

A move to the status an order already has is a no-op (idempotent), never an error: a task or a
payment event delivered twice changes nothing the second time. The one self-move that changes
something is `awaiting_payment -> awaiting_payment`, a repricing: the buyer picks another package
before paying and the order takes its package and price (the same package again changes nothing,
so a double click finds the same checkout). `failed -> draft` lets an unpaid order retry its
preview; a paid order that fails stays failed with `refund_due` set (the services enforce that)."""

from __future__ import annotations

from enum import StrEnum

from core.errors import PetPixelError


class OrderStatus(StrEnum):
    DRAFT = "draft"
    PREVIEW_READY = "preview_ready"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


S = OrderStatus

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    # A preview re-requested with other choices goes back to draft.
    S.DRAFT: frozenset({S.PREVIEW_READY, S.FAILED}),
    S.PREVIEW_READY: frozenset({S.DRAFT, S.AWAITING_PAYMENT}),
    # Back to preview_ready when the checkout expires or its payment fails; to itself when the
    # buyer picks another package before paying (a repricing, see the module docstring).
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.PREVIEW_READY, S.AWAITING_PAYMENT}),
    S.PAID: frozenset({S.BUILDING, S.FAILED}),
    # A stuck build stays `building`: the sweeper re-queues it and the job resumes from there.
    S.BUILDING: frozenset({S.READY, S.FAILED}),
    S.READY: frozenset(),
    S.FAILED: frozenset({S.DRAFT}),
}

PAID_STATUSES = frozenset({S.PAID, S.BUILDING, S.READY})
FINAL_STATUSES = frozenset({S.READY, S.FAILED})


class InvalidTransition(PetPixelError):
    """An order cannot move from its status to the one asked for."""

    code = "invalid_transition"


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    """True when `target` may follow `current` (staying put always may)."""
    return current == target or target in TRANSITIONS[current]


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise InvalidTransition with a message a person can act on when the move is illegal."""
    if can_transition(current, target):
        return
    raise InvalidTransition(
        f"This order is {_words(current)}, so it cannot become {_words(target)}. "
        "Check its status and try the next step from there."
    )


def sources(target: OrderStatus) -> frozenset[OrderStatus]:
    """Every status from which `target` may be reached (used by compare-and-set updates)."""
    return frozenset(s for s, nxt in TRANSITIONS.items() if target in nxt)


def _words(status: OrderStatus) -> str:
    return status.value.replace("_", " ")
