"""A clock for the bots' progress throttle that stands still until the test moves it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class ManualClock:
    """Monotonic seconds that change only on `advance`; counts how often it was read, so a test
    can wait until the throttle was asked (and answered) without waiting on wall time."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now, self.reads = start, 0

    def __call__(self) -> float:
        self.reads += 1
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def read(
        self, times: int, *, unless: Callable[[], bool] = lambda: False, within: float = 30.0
    ) -> None:
        """Wait until the clock has been read `times` more times (or `unless()` is true)."""
        target, deadline = self.reads + times, time.monotonic() + within
        while self.reads < target and not unless():
            assert time.monotonic() < deadline, f"the clock was read {self.reads} times"
            await asyncio.sleep(0.01)
