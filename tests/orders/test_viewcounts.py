"""Batched play-page views: counted in memory, written in one transaction, never lost on close."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

import pytest

from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.viewcounts import ViewCounter
from tests.orders.factories import add_game, add_order


def _views(svc: OrderService, code: str) -> int:
    game = svc.game_by_code(code=code)
    assert game is not None
    return game.views


def test_add_views_adds_batches_and_skips_unknown_codes(svc: OrderService, db: Database) -> None:
    add_game(db, add_order(db, status=OrderStatus.READY), code="Batch0001")
    add_game(db, add_order(db, status=OrderStatus.READY), code="Batch0002")
    svc.add_views({"Batch0001": 5, "Batch0002": 1, "Unknown01": 7, "x" * 40: 1})
    svc.add_views({"Batch0001": 2, "Batch0002": 0})
    assert (_views(svc, "Batch0001"), _views(svc, "Batch0002")) == (7, 1)


def test_concurrent_views_all_arrive(svc: OrderService, db: Database) -> None:
    add_game(db, add_order(db, status=OrderStatus.READY), code="Popular01")
    counter = ViewCounter(svc.add_views, interval=0.05).start()

    def visitor() -> None:
        for _ in range(250):
            counter.add("Popular01")

    threads = [threading.Thread(target=visitor) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seen = _views(svc, "Popular01") + counter.pending("Popular01")
    assert seen <= 2000  # nothing counted twice while the flusher runs
    counter.close()
    assert _views(svc, "Popular01") == 2000
    assert counter.pending("Popular01") == 0


def test_the_flusher_writes_without_being_asked(svc: OrderService, db: Database) -> None:
    add_game(db, add_order(db, status=OrderStatus.READY), code="Flushed01")
    counter = ViewCounter(svc.add_views, interval=0.05).start()
    try:
        counter.add("Flushed01", 3)
        deadline = time.monotonic() + 10
        while _views(svc, "Flushed01") < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _views(svc, "Flushed01") == 3
        assert counter.pending("Flushed01") == 0
    finally:
        counter.close()


def test_a_failed_write_keeps_the_counts_for_the_next_flush() -> None:
    written: list[dict[str, int]] = []
    fail = [True]

    def write(counts: Mapping[str, int]) -> None:
        if fail[0]:
            raise RuntimeError("database is down")
        written.append(dict(counts))

    counter = ViewCounter(write, interval=60)
    counter.add("Code0001", 2)
    assert counter.flush() == 0
    counter.add("Code0001")
    assert counter.pending("Code0001") == 3
    fail[0] = False
    assert counter.flush() == 3
    assert written == [{"Code0001": 3}]
    assert counter.flush() == 0  # nothing pending: no empty write
    assert written == [{"Code0001": 3}]


def test_too_many_distinct_codes_flush_at_once() -> None:
    written: list[dict[str, int]] = []
    counter = ViewCounter(lambda counts: written.append(dict(counts)), interval=60, max_codes=3)
    for code in ("A", "B"):
        counter.add(code)
    assert written == []
    counter.add("C")
    assert written == [{"A": 1, "B": 1, "C": 1}]


@pytest.mark.parametrize("interval", [0.0, -1.0])
def test_flush_interval_must_be_positive(interval: float) -> None:
    from pydantic import ValidationError

    from core.config import Settings

    with pytest.raises(ValidationError):
        Settings(view_flush_interval_s=interval)
