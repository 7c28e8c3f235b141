"""Embedded mode: in-memory broker and a worker thread in this process, running the same tasks."""

from __future__ import annotations

from sqlalchemy import update

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Order
from runtime import open_runtime
from tests.orders.fixtures import wait_for
from tests.workers import steps
from tests.workers.helpers import order_row, order_with_photo, status_of


def test_runtime_defaults_to_embedded(order_settings: Settings) -> None:
    with open_runtime(order_settings, role="cli") as rt:
        assert rt.embedded
        assert rt.celery.conf.broker_url.startswith("memory://")
        assert rt.db.is_sqlite
        assert (order_settings.data_dir / "petpixel.db").is_file()  # migrated on start
        rt.check_database()
        rt.check_storage()
        rt.check_queue()


def test_embedded_worker_runs_the_task_code(order_settings: Settings, cat_jpeg: bytes) -> None:
    with open_runtime(order_settings, role="web", steps=steps.no_pet_steps()) as rt:
        order_id = order_with_photo(rt.db, order_settings, cat_jpeg, OrderStatus.DRAFT)
        rt.jobs.enqueue_preview(order_id)
        wait_for(lambda: status_of(rt.db, order_id) == "failed", what="preview to fail")
        assert order_row(rt.db, order_id).error_code == "no_subject"


def test_embedded_order_from_photo_to_game(order_settings: Settings, cat_jpeg: bytes) -> None:
    with open_runtime(order_settings, role="web") as rt:
        svc = rt.orders
        user = svc.get_or_create_user(provider="telegram", external_id="1001", display_name="Ann")
        order = svc.create_order(user_id=user.id, photo=cat_jpeg, choices={"pet_name": "Chelsea"})
        svc.request_preview(order_id=order.id)
        wait_for(lambda: svc.status(order_id=order.id).status != "draft", what="preview")
        assert svc.status(order_id=order.id).status == OrderStatus.PREVIEW_READY

        checkout = svc.choose_package(order_id=order.id, package="classic")
        assert checkout.free
        wait_for(lambda: svc.status(order_id=order.id).status in {"ready", "failed"}, what="build")
        status = svc.status(order_id=order.id)
        assert status.status == OrderStatus.READY, status.error_message
        assert status.links.game_code is not None
        game = svc.game_by_code(code=status.links.game_code)
        assert game is not None
        assert [g.code for g in svc.list_games(user_id=user.id)] == [game.code]


def test_periodic_sweeper_rescues_a_paid_order_whose_job_was_lost(
    order_settings: Settings, cat_jpeg: bytes
) -> None:
    settings = order_settings.model_copy(update={"sweeper_interval_s": 1, "stuck_after_s": 1})
    with open_runtime(settings, role="web") as rt:
        # Paid, but the build message never reached the queue (e.g. the broker blinked).
        order_id = order_with_photo(rt.db, settings, cat_jpeg, OrderStatus.PAID)
        wait_for(lambda: status_of(rt.db, order_id) in {"ready", "failed"}, what="rescued build")
        order = order_row(rt.db, order_id)
        assert order.status == "ready", order.error_message
        assert order.attempts == 1


def test_a_restart_picks_up_the_jobs_the_last_process_had_queued(
    order_settings: Settings, cat_jpeg: bytes
) -> None:
    """The embedded queue lives in memory: a restart re-queues what it held, within seconds."""
    settings = order_settings.model_copy(update={"restart_sweep_delay_s": 0.2})
    # The last process: rows written, their queued messages gone with its memory.
    with open_runtime(settings, role="cli") as rt:
        paid = order_with_photo(rt.db, settings, cat_jpeg, OrderStatus.PAID)
        drawing = order_with_photo(rt.db, settings, cat_jpeg, OrderStatus.DRAFT)
        idle = order_with_photo(rt.db, settings, cat_jpeg, OrderStatus.DRAFT)  # no preview asked
        with rt.db.session() as session:
            pending = {"progress_percent": 30, "progress_label": "Finding your pet"}
            session.execute(update(Order).where(Order.id == drawing).values(**pending))
    # The next process (stuck_after_s is 15 minutes: only the restart sweep can rescue these).
    with open_runtime(settings, role="web") as rt:
        wait_for(lambda: status_of(rt.db, paid) in {"ready", "failed"}, what="rescued build")
        wait_for(lambda: status_of(rt.db, drawing) != "draft", what="rescued preview")
        assert order_row(rt.db, paid).status == "ready", order_row(rt.db, paid).error_message
        assert status_of(rt.db, drawing) == "preview_ready"
        idle_row = order_row(rt.db, idle)
        assert (idle_row.status, idle_row.progress_label) == ("draft", "")


def test_beat_schedules_the_sweeper(order_settings: Settings) -> None:
    from datetime import timedelta

    from core.jobs import TASK_SWEEP
    from workers.celery_app import create_celery

    settings = order_settings.model_copy(update={"sweeper_interval_s": 42})
    entry = create_celery(settings).conf.beat_schedule["sweep-stuck-orders"]
    assert (entry["task"], entry["schedule"]) == (TASK_SWEEP, timedelta(seconds=42))
    assert entry["options"]["queue"] == settings.default_queue
