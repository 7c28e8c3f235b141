"""The global budget: past the work in flight (or the uploads a minute) new work is refused with
"busy, try again in N minutes"; paid builds are never refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.errors import InvalidRequest
from core.orders.budget import Busy, busy_message, jobs_in_flight
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Order
from core.payments import FreePayments
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs


def service(settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs,
            **budget: int) -> OrderService:  # fmt: skip
    return OrderService(settings=settings.model_copy(update=budget), db=db, storage=storage,
                        payments=FreePayments(), jobs=jobs)  # fmt: skip


def _orders(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Order.id))) or 0)


def test_busy_message_speaks_in_whole_minutes() -> None:
    assert busy_message(1) == "PetPixel is very busy right now. Please try again in 1 minute."
    assert busy_message(61).endswith("try again in 2 minutes.")
    busy = Busy(90)
    assert isinstance(busy, InvalidRequest)  # bots and web show every InvalidRequest's message
    assert (busy.code, busy.status_code, busy.retry_after_s) == ("busy", 503, 90)


def test_previews_past_the_jobs_in_flight_are_refused(
    order_settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = service(order_settings, db, storage, jobs, max_jobs_in_flight=2, busy_retry_after_s=150)
    user = svc.create_user(display_name="web")
    first, second, third = (svc.create_order(user_id=user.id, photo=cat_jpeg) for _ in range(3))
    svc.request_preview(order_id=first.id)
    svc.request_preview(order_id=second.id)
    with db.session() as session:
        assert jobs_in_flight(session) == 2

    with pytest.raises(Busy) as refused:
        svc.request_preview(order_id=third.id)

    assert refused.value.message == busy_message(150)  # "... try again in 3 minutes."
    assert "3 minutes" in refused.value.message
    assert ("preview", third.id) not in jobs.sent  # nothing queued for the refused one
    assert svc.status(order_id=third.id).label == ""  # and it was not marked as waiting
    # A redraw of a preview already in flight replaces it: not refused.
    svc.request_preview(order_id=first.id, choices={"style": "8bit"})
    with pytest.raises(Busy):  # a new upload is refused too while the workers are this busy
        svc.create_order(user_id=user.id, photo=cat_jpeg)
    assert _orders(db) == 3


def test_builds_count_but_are_never_refused(
    order_settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = service(order_settings, db, storage, jobs, max_jobs_in_flight=1)
    add_order(db, status=OrderStatus.BUILDING)
    waiting = add_order(db, status=OrderStatus.AWAITING_PAYMENT)
    with pytest.raises(Busy):
        svc.create_order(user_id=svc.create_user(display_name="web").id, photo=cat_jpeg)
    paid = svc.mark_paid(order_id=waiting, payment_ref="pi_1", amount=499, currency="usd")
    assert paid.changed
    assert ("build", waiting) in jobs.sent


def test_uploads_a_minute_from_everyone_are_capped(
    order_settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = service(order_settings, db, storage, jobs, max_uploads_per_minute=2)
    users = [svc.create_user(display_name=f"web{i}").id for i in range(3)]  # three people
    svc.create_order(user_id=users[0], photo=cat_jpeg)
    svc.create_order(user_id=users[1], photo=cat_jpeg)
    with pytest.raises(Busy) as refused:
        svc.create_order(user_id=users[2], photo=cat_jpeg)
    assert refused.value.retry_after_s == 60
    assert refused.value.message.endswith("try again in 1 minute.")
    assert _orders(db) == 2


def test_zero_turns_the_budget_off(
    order_settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = service(order_settings, db, storage, jobs, max_jobs_in_flight=0,
                  max_uploads_per_minute=0)  # fmt: skip
    user = svc.create_user(display_name="web")
    for _ in range(3):
        svc.request_preview(order_id=svc.create_order(user_id=user.id, photo=cat_jpeg).id)
    assert len(jobs.sent) == 3
