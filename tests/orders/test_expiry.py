"""Abandoned unpaid orders expire with their files; paid ones and ones awaiting payment stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from core.config import Settings
from core.db import Database
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.sweeper import expire_drafts, sweep_stuck
from core.orders.tables import Event, Identity, Order, Upload, User, utcnow
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs

TTL_H = 48.0


def _idle(db: Database, order_id: str, hours: float) -> None:
    with db.session() as session:
        session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(updated_at=utcnow() - timedelta(hours=hours))
        )
        user_id = session.scalar(select(Order.user_id).where(Order.id == order_id))
        session.execute(
            update(User)
            .where(User.id == user_id)
            .values(created_at=utcnow() - timedelta(hours=hours))
        )


def _count(db: Database, model: type, **where: object) -> int:
    stmt = select(func.count()).select_from(model).filter_by(**where)
    with db.session() as session:
        return int(session.scalar(stmt) or 0)


def _put_files(storage: LocalStorage, order_id: str) -> list[str]:
    keys = [f"orders/{order_id}/photo.jpg", f"orders/{order_id}/preview/sprite.png"]
    for key in keys:
        storage.put(key, b"x", content_type="image/png")
    return keys


def test_idle_unpaid_orders_expire_with_their_files(
    db: Database, storage: LocalStorage, order_settings: Settings
) -> None:
    settings = order_settings.model_copy(update={"draft_ttl_h": TTL_H})
    draft = add_order(db, status=OrderStatus.DRAFT)
    previewed = add_order(db, status=OrderStatus.PREVIEW_READY)
    failed = add_order(db, status=OrderStatus.FAILED)
    fresh = add_order(db, status=OrderStatus.PREVIEW_READY)
    waiting = add_order(db, status=OrderStatus.AWAITING_PAYMENT)
    paid_failed = add_order(db, status=OrderStatus.FAILED, refund_due=True)
    ready = add_order(db, status=OrderStatus.READY)
    with db.session() as session:
        session.execute(
            update(Order).where(Order.id.in_([paid_failed, ready])).values(paid_at=utcnow())
        )
    old = [draft, previewed, failed, waiting, paid_failed, ready]
    files = {o: _put_files(storage, o) for o in [*old, fresh]}
    with db.session() as session:
        session.add(Event(type="order.created", order_id=draft, data={}))
    for order_id in old:
        _idle(db, order_id, TTL_H + 1)
    _idle(db, fresh, TTL_H - 1)

    expired = expire_drafts(db=db, storage=storage, settings=settings)

    assert sorted(expired) == sorted([draft, previewed, failed])
    for order_id in expired:
        assert not any(storage.exists(k) for k in files[order_id])
        assert _count(db, Order, id=order_id) == 0
        assert _count(db, Upload, order_id=order_id) == 0
        assert _count(db, Event, order_id=order_id) == 0
    for order_id in (fresh, waiting, paid_failed, ready):  # kept, files and all
        assert all(storage.exists(k) for k in files[order_id])
        assert _count(db, Order, id=order_id) == 1
    assert expire_drafts(db=db, storage=storage, settings=settings) == []


def test_the_anonymous_web_user_goes_with_its_last_order(
    db: Database, storage: LocalStorage, order_settings: Settings, svc: OrderService,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    settings = order_settings.model_copy(update={"draft_ttl_h": TTL_H})
    web_user = svc.create_user(display_name="web")
    web_order = svc.create_order(user_id=web_user.id, photo=cat_jpeg)
    chat_user = svc.get_or_create_user(provider="telegram", external_id="42")
    chat_order = svc.create_order(user_id=chat_user.id, photo=cat_jpeg)
    _idle(db, web_order.id, TTL_H + 1)
    _idle(db, chat_order.id, TTL_H + 1)

    assert sorted(expire_drafts(db=db, storage=storage, settings=settings)) == sorted(
        [web_order.id, chat_order.id]
    )
    assert not storage.exists(f"orders/{web_order.id}/photo.jpg")
    assert _count(db, User, id=web_user.id) == 0  # nothing else ever pointed at it
    assert _count(db, User, id=chat_user.id) == 1  # a chat user keeps its account
    assert _count(db, Identity, user_id=chat_user.id) == 1


def test_a_storage_failure_keeps_the_order_for_the_next_sweep(
    db: Database, storage: LocalStorage, order_settings: Settings
) -> None:
    settings = order_settings.model_copy(update={"draft_ttl_h": TTL_H})
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY)
    _put_files(storage, order_id)
    _idle(db, order_id, TTL_H + 1)
    real_delete = storage.delete_prefix

    def storage_down(prefix: str) -> int:
        raise OSError("disk gone")  # the rows must stay for the next sweep

    storage.delete_prefix = storage_down  # type: ignore[method-assign]
    assert expire_drafts(db=db, storage=storage, settings=settings) == []
    assert _count(db, Order, id=order_id) == 1
    storage.delete_prefix = real_delete  # type: ignore[method-assign]
    assert expire_drafts(db=db, storage=storage, settings=settings) == [order_id]


def test_the_periodic_sweep_expires_and_zero_keeps_everything(
    db: Database, storage: LocalStorage, order_settings: Settings, jobs: RecordingJobs
) -> None:
    order_id = add_order(db, status=OrderStatus.DRAFT)
    _idle(db, order_id, TTL_H + 1)
    keep = order_settings.model_copy(update={"draft_ttl_h": 0})
    builds = Builds(settings=keep, db=db, storage=storage)
    assert sweep_stuck(db=db, jobs=jobs, builds=builds, settings=keep).expired == []
    ttl = order_settings.model_copy(update={"draft_ttl_h": TTL_H})
    builds = Builds(settings=ttl, db=db, storage=storage)
    assert sweep_stuck(db=db, jobs=jobs, builds=builds, settings=ttl).expired == [order_id]


def test_public_preview_folders_go_too_earlier_redraws_included(
    db: Database, storage: LocalStorage, order_settings: Settings
) -> None:
    settings = order_settings.model_copy(update={"draft_ttl_h": TTL_H})
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY)
    with db.session() as session:
        asset_key = session.scalar(select(Order.asset_key).where(Order.id == order_id))
    folder = f"previews/{asset_key}"  # core.orders.publish.public_folder
    latest, earlier = f"{folder}/sprite.aaaa1111.png", f"{folder}/sprite.bbbb2222.png"
    neighbour = "previews/0123456789abcdef0123456789abcdef/sprite.cccc3333.png"
    for key in (latest, earlier, neighbour):
        storage.put(key, b"x", content_type="image/png")
    with db.session() as session:
        session.execute(update(Upload).where(Upload.order_id == order_id).values(sprite_key=latest))
    _idle(db, order_id, TTL_H + 1)

    assert expire_drafts(db=db, storage=storage, settings=settings) == [order_id]
    assert not storage.exists(latest)
    assert not storage.exists(earlier)  # a redraw the upload row no longer names
    assert storage.exists(neighbour)  # another order's folder is untouched
