"""The watch rules both bots share: when an order is finished, what its progress says, which
watchers count as creations in progress, and how often a progress message may change."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from core.orders.lifecycle import OrderStatus
from core.orders.schemas import Links, OrderStatusView
from core.orders.watching import (
    QUEUED,
    WAITING_FOR_PAYMENT,
    EditThrottle,
    Outcome,
    Watchers,
    outcome,
    shown_progress,
)

S = OrderStatus


def _status(status: OrderStatus, percent: int = 100, label: str = "Done") -> OrderStatusView:
    return OrderStatusView(
        "o1", status, percent, label, "classic", None, None, False, Links(), datetime.now(UTC)
    )


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        ("preview", S.DRAFT, Outcome.RUNNING),
        ("preview", S.PREVIEW_READY, Outcome.PREVIEW_READY),
        ("preview", S.AWAITING_PAYMENT, Outcome.PREVIEW_READY),  # a tab raced ahead to checkout
        ("preview", S.FAILED, Outcome.FAILED),
        ("build", S.AWAITING_PAYMENT, Outcome.AWAITING_PAYMENT),
        ("build", S.PAID, Outcome.RUNNING),
        ("build", S.BUILDING, Outcome.RUNNING),
        ("build", S.READY, Outcome.GAME_READY),
        ("build", S.PREVIEW_READY, Outcome.CHECKOUT_ENDED),
        ("build", S.FAILED, Outcome.FAILED),
    ],
)
def test_outcome(kind: str, status: OrderStatus, expected: Outcome) -> None:
    assert outcome(kind, _status(status)) is expected


def test_only_running_work_is_an_active_creation() -> None:
    assert {o for o in Outcome if o.active} == {Outcome.RUNNING}
    assert {o for o in Outcome if not o.finished} == {Outcome.RUNNING, Outcome.AWAITING_PAYMENT}


def test_shown_progress_hides_the_previews_100_percent_until_the_build_reports() -> None:
    assert shown_progress("build", _status(S.AWAITING_PAYMENT)) == (0, WAITING_FOR_PAYMENT)
    assert shown_progress("build", _status(S.PAID)) == (0, QUEUED)
    assert shown_progress("build", _status(S.BUILDING, 40, "Designing levels")) == (
        40,
        "Designing levels",
    )
    assert shown_progress("preview", _status(S.DRAFT, 20, "Cutting out")) == (20, "Cutting out")


def test_watchers_count_only_active_creations_per_owner() -> None:
    async def scenario() -> None:
        watchers: Watchers[int] = Watchers()
        gate = asyncio.Event()
        tasks = {oid: asyncio.create_task(gate.wait()) for oid in ("a", "b", "c")}
        for oid, owner in (("a", 1), ("b", 1), ("c", 2)):
            watchers.add(oid, owner, tasks[oid])  # type: ignore[arg-type]
        assert (watchers.active_count(1), watchers.active_count(2)) == (2, 1)
        watchers.seen("a", Outcome.AWAITING_PAYMENT)  # waits for the buyer: not in progress
        assert watchers.active_count(1) == 1
        watchers.seen("a", Outcome.RUNNING)  # paid: building now
        assert watchers.active_count(1) == 2
        watchers.seen("b", Outcome.PREVIEW_READY)  # finished, still delivering
        assert watchers.active_count(1) == 1
        assert "b" in watchers
        watchers.seen("gone", Outcome.RUNNING)  # an unknown order changes nothing
        assert sorted(map(id, watchers.tasks(1))) == sorted(map(id, (tasks["a"], tasks["b"])))
        gate.set()
        await asyncio.gather(*tasks.values())
        await asyncio.sleep(0)  # done callbacks run on the next loop turn
        assert len(watchers) == 0
        assert watchers.active_count(1) == 0

    asyncio.run(scenario())


def test_a_new_watcher_for_the_same_order_replaces_the_old_one() -> None:
    async def scenario() -> None:
        watchers: Watchers[int] = Watchers()
        old = asyncio.create_task(asyncio.sleep(60))
        new = asyncio.create_task(asyncio.sleep(60))
        watchers.add("a", 1, old)
        watchers.add("a", 1, new)
        await asyncio.sleep(0)
        assert old.cancelled()
        assert watchers.tasks() == [new]  # the old task's end does not forget the new one
        assert watchers.active_count(1) == 1
        new.cancel()
        await asyncio.gather(new, return_exceptions=True)
        await asyncio.sleep(0)
        assert len(watchers) == 0

    asyncio.run(scenario())


def test_edit_throttle() -> None:
    clock = [0.0]
    throttle = EditThrottle(text="0%", min_interval=1.0, clock=lambda: clock[0])
    assert not throttle.allows("0%")  # the text it was posted with
    assert throttle.allows("10%")  # the first edit goes at once
    throttle.shown("10%")
    assert not throttle.allows("10%", final=True)  # not even a final edit repeats itself
    assert not throttle.allows("20%")  # within the interval
    assert throttle.allows("done", final=True)  # a final edit does not wait
    clock[0] = 0.5
    assert not throttle.allows("20%")
    clock[0] = 1.0
    assert throttle.allows("20%")
    throttle.shown("20%")
    clock[0] = 1.5
    assert not throttle.allows("30%")
