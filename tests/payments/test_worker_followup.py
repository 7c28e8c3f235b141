"""`petpixel worker` (a real Celery worker over Redis) follows up the builds it runs: a paid build
that gives up is refunded through the Stripe API once, without waiting for reconciliation. Both
tests run on SQLite and on PostgreSQL (the `db_url` backends; marker `postgres`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker

from core.orders.lifecycle import OrderStatus
from runtime import open_runtime, worker_app
from tests.fakes.stripe_api import FakeStripe
from tests.orders.fixtures import wait_for
from tests.payments.conftest import stripe_settings
from tests.payments.helpers import events, ready_to_pay, status, wait_final
from tests.payments.steps import DOOMED_SEED


@pytest.mark.slow
def test_redis_worker_refunds_a_paid_build_that_gave_up(
    tmp_path: Path, fake_stripe: FakeStripe, redis_url: str, cat_jpeg: bytes, db_url: str
) -> None:
    settings = stripe_settings(tmp_path, fake_stripe, redis_url=redis_url, database_url=db_url)
    with open_runtime(settings, role="cli") as rt:
        assert not rt.embedded
        worker = worker_app(settings)  # as `petpixel worker` builds it: follow-ups included
        with start_worker(worker, pool="solo", perform_ping_check=False,
                          queues=[settings.default_queue], loglevel="WARNING"):  # fmt: skip
            order = ready_to_pay(rt.orders, cat_jpeg, seed=DOOMED_SEED)
            session_id = rt.orders.choose_package(order_id=order.id, package="classic").reference
            assert session_id is not None
            fake_stripe.pay(session_id)
            assert rt.fulfilment is not None
            assert rt.fulfilment.fulfill_checkout(session_id).result == "fulfilled"  # as a webhook
            assert wait_final(rt.orders, order.id) == OrderStatus.FAILED
            intent = fake_stripe.sessions[session_id]["payment_intent"]
            wait_for(
                lambda: any(r["payment_intent"] == intent for r in fake_stripe.refunds),
                what="the refund from the worker",
            )
            wait_for(lambda: events(rt.db, order.id, "payment.refunded") == 1, what="its record")
        assert status(rt.orders, order.id) == OrderStatus.FAILED
        assert len([r for r in fake_stripe.refunds if r["payment_intent"] == intent]) == 1


def test_an_embedded_process_follows_up_builds_from_the_start(
    tmp_path: Path, fake_stripe: FakeStripe, cat_jpeg: bytes, db_url: str
) -> None:
    """Embedded, builds run in the web process: their follow-up is hooked when the runtime opens,
    not on the first Stripe request. A payment confirmed before any request reached the web app
    (here: straight through the runtime's fulfilment, as reconciliation does) whose build gives up
    is refunded once, by the process that ran the build."""
    settings = stripe_settings(tmp_path, fake_stripe, database_url=db_url)
    with open_runtime(settings, role="web") as rt:
        assert rt.embedded
        assert rt.fulfilment is not None
        order = ready_to_pay(rt.orders, cat_jpeg, seed=DOOMED_SEED)
        session_id = rt.orders.choose_package(order_id=order.id, package="classic").reference
        assert session_id is not None
        fake_stripe.pay(session_id)
        assert rt.fulfilment.fulfill_checkout(session_id).result == "fulfilled"
        assert wait_final(rt.orders, order.id) == OrderStatus.FAILED
        intent = fake_stripe.sessions[session_id]["payment_intent"]
        wait_for(
            lambda: any(r["payment_intent"] == intent for r in fake_stripe.refunds),
            what="the refund from the embedded worker",
        )
        wait_for(lambda: events(rt.db, order.id, "payment.refunded") == 1, what="its record")
    assert len([r for r in fake_stripe.refunds if r["payment_intent"] == intent]) == 1
