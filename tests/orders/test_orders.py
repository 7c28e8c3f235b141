"""create_order, request_preview, status: photos validated first, choices checked, links given."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.errors import ImageRejected, InvalidRequest
from core.orders.lifecycle import InvalidTransition, OrderStatus
from core.orders.schemas import OrderChoices
from core.orders.service import OrderService
from core.orders.store import NotFound
from core.orders.tables import Order, Upload
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs


def _count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_create_order_stores_the_photo(
    svc: OrderService, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    user = svc.get_or_create_user(provider="web", external_id="a@example.com")
    order = svc.create_order(
        user_id=user.id, photo=cat_jpeg, choices={"style": "16bit", "pet_name": " Chelsea "}
    )
    assert order.status == OrderStatus.DRAFT
    assert order.choices.pet_name == "Chelsea"
    assert len(order.token) >= 32
    assert order.token != order.id
    status = svc.status(order_id=order.id)
    assert not hasattr(status.links, "photo")  # the photo is private: it never gets a link
    assert storage.get(f"orders/{order.id}/photo.jpg") == cat_jpeg
    assert status.links.sprite is None
    assert status.links.game is None


def test_bad_photo_fails_fast_and_stores_nothing(
    svc: OrderService, db: Database, storage: LocalStorage
) -> None:
    user = svc.create_user()
    with pytest.raises(ImageRejected):
        svc.create_order(user_id=user.id, photo=b"this is not an image")
    assert _count(db, Order) == 0
    assert _count(db, Upload) == 0
    assert not storage.root.exists() or not any(storage.root.rglob("*.*"))


@pytest.mark.parametrize(
    ("choices", "code"),
    [
        ({"style": "no-such-style"}, "bad_style"),
        ({"theme": "moon"}, "bad_theme"),
        ({"pet_name": "x" * 41}, "bad_choice"),
        ({"pet_name": "   "}, "bad_choice"),
        ({"difficulty": "nightmare"}, "bad_choice"),
        ({"user_crop": [0.5, 0.5, 0.2, 0.9]}, "bad_choice"),
        ({"seed": -1}, "bad_choice"),
        ({"colour": "red"}, "bad_choice"),
    ],
)
def test_bad_choices_are_refused(
    svc: OrderService, cat_jpeg: bytes, choices: dict[str, object], code: str
) -> None:
    user = svc.create_user()
    with pytest.raises(InvalidRequest) as err:
        svc.create_order(user_id=user.id, photo=cat_jpeg, choices=choices)
    assert err.value.code == code


def test_unknown_user_is_refused(svc: OrderService, cat_jpeg: bytes) -> None:
    with pytest.raises(NotFound):
        svc.create_order(user_id="ghost", photo=cat_jpeg)


def test_request_preview_queues_once_per_choice(
    svc: OrderService, jobs: RecordingJobs, db: Database, cat_jpeg: bytes
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    status = svc.request_preview(order_id=order.id)
    assert status.status == OrderStatus.DRAFT
    assert status.label == "Waiting for an artist"
    assert jobs.sent == [("preview", order.id)]
    with db.session() as session:
        session.get(Order, order.id).status = OrderStatus.PREVIEW_READY.value  # type: ignore[union-attr]
    svc.request_preview(order_id=order.id)  # same choices, preview exists: nothing to do
    assert len(jobs.sent) == 1
    redo = svc.request_preview(order_id=order.id, choices=OrderChoices(style="16bit", seed=5))
    assert redo.status == OrderStatus.DRAFT
    assert len(jobs.sent) == 2
    assert svc.get_order(order_id=order.id).choices.seed == 5


def test_paid_orders_cannot_go_back_to_preview(
    svc: OrderService, db: Database, cat_jpeg: bytes
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    with db.session() as session:
        session.get(Order, order.id).status = OrderStatus.PAID.value  # type: ignore[union-attr]
    with pytest.raises(InvalidTransition):
        svc.request_preview(order_id=order.id, choices={"seed": 3})


def test_status_of_missing_order(svc: OrderService) -> None:
    with pytest.raises(NotFound) as err:
        svc.status(order_id="missing")
    assert err.value.code == "not_found"


def test_order_by_token(svc: OrderService, db: Database) -> None:
    order_id = add_order(db)
    with db.session() as session:
        token = session.get(Order, order_id).token  # type: ignore[union-attr]
    assert svc.order_by_token(token=token).id == order_id
    for wrong in ["", "nope", order_id]:
        with pytest.raises(NotFound):
            svc.order_by_token(token=wrong)


def test_storage_keys_never_come_from_user_input(
    svc: OrderService, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    user = svc.get_or_create_user(provider="web", external_id="../../evil@example.com")
    order = svc.create_order(user_id=user.id, photo=cat_jpeg, choices={"pet_name": "../../x y"})
    stored = [
        p.relative_to(storage.root).as_posix() for p in storage.root.rglob("*") if p.is_file()
    ]
    assert stored == [f"orders/{order.id}/photo.jpg"]  # our id and a fixed name, nothing of theirs
