"""The order state machine: the full legality table, idempotent no-op moves, clear errors."""

from __future__ import annotations

import itertools

import pytest

from core.orders.lifecycle import (
    InvalidTransition,
    OrderStatus,
    can_transition,
    check_transition,
    sources,
)

S = OrderStatus
LEGAL = {
    (S.DRAFT, S.PREVIEW_READY), (S.DRAFT, S.FAILED),
    (S.PREVIEW_READY, S.DRAFT), (S.PREVIEW_READY, S.AWAITING_PAYMENT),
    (S.AWAITING_PAYMENT, S.PAID), (S.AWAITING_PAYMENT, S.PREVIEW_READY),
    (S.AWAITING_PAYMENT, S.AWAITING_PAYMENT),  # a repricing: another package before paying
    (S.PAID, S.BUILDING), (S.PAID, S.FAILED),
    (S.BUILDING, S.READY), (S.BUILDING, S.FAILED),
    (S.FAILED, S.DRAFT),
}  # fmt: skip


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_legality_table(current: OrderStatus, target: OrderStatus) -> None:
    expected = current == target or (current, target) in LEGAL
    assert can_transition(current, target) is expected
    if expected:
        check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition) as err:
            check_transition(current, target)
        assert err.value.code == "invalid_transition"
        assert current.value.replace("_", " ") in err.value.message


def test_ready_is_final() -> None:
    assert not any(can_transition(S.READY, t) for t in S if t != S.READY)


def test_paid_is_reachable_only_from_checkout() -> None:
    assert sources(S.PAID) == {S.AWAITING_PAYMENT}


def test_a_waiting_order_can_be_repriced() -> None:
    """Another package before paying is a real move, awaiting_payment -> awaiting_payment, so the
    compare-and-set that prices the order also matches an order already waiting."""
    assert sources(S.AWAITING_PAYMENT) == {S.PREVIEW_READY, S.AWAITING_PAYMENT}
