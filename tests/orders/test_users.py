"""Users and identities: one user per person, unique (provider, external id), race-safe creation."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.errors import InvalidRequest
from core.orders.service import OrderService
from core.orders.store import NotFound
from core.orders.tables import Identity, User


def test_get_or_create_returns_the_same_user(svc: OrderService) -> None:
    first = svc.get_or_create_user(provider="telegram", external_id="42", display_name="Ann")
    again = svc.get_or_create_user(provider="telegram", external_id="42", display_name="Other")
    assert first == again
    assert first.display_name == "Ann"
    other = svc.get_or_create_user(provider="discord", external_id="42")
    assert other.id != first.id


def test_link_identity(svc: OrderService) -> None:
    user = svc.get_or_create_user(provider="telegram", external_id="7")
    svc.link_identity(user_id=user.id, provider="web", external_id="ann@example.com")
    assert svc.get_or_create_user(provider="web", external_id="ann@example.com").id == user.id
    stranger = svc.create_user(display_name="B")
    with pytest.raises(InvalidRequest, match="already linked"):
        svc.link_identity(user_id=stranger.id, provider="web", external_id="ann@example.com")


def test_bad_provider_and_missing_user(svc: OrderService) -> None:
    with pytest.raises(InvalidRequest):
        svc.get_or_create_user(provider="myspace", external_id="1")
    with pytest.raises(InvalidRequest):
        svc.get_or_create_user(provider="web", external_id="")
    with pytest.raises(NotFound):
        svc.get_user(user_id="nobody")


def test_concurrent_first_contact_makes_one_user(svc: OrderService, db: Database) -> None:
    barrier = threading.Barrier(4)
    ids: list[str] = []

    def contact() -> None:
        barrier.wait()
        ids.append(svc.get_or_create_user(provider="discord", external_id="999").id)

    threads = [threading.Thread(target=contact) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    assert len(ids) == 4
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Identity)) == 1
        assert session.scalar(select(func.count()).select_from(User)) == 1
