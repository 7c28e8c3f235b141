"""Fixtures both bot suites share: test settings and the real service stack they run over."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from core.config import Settings
from core.orders.builds import Steps, default_steps
from runtime import open_runtime
from tests.bots.recording import RecordingJobs
from tests.conftest import free_port


@pytest.fixture
def base_settings(settings: Settings) -> Settings:
    """Tiny sprites, no progress throttling in the worker, and links on a free local port (the
    port `serving_web` serves the web app on, so a test can open the links the bot hands out)."""
    values = {
        "preview_sprite_size": 32,
        "progress_interval_s": 0.0,
        "public_url": f"http://127.0.0.1:{free_port()}",
    }
    return settings.model_copy(update=values)


@pytest.fixture
def runtime(base_settings: Settings) -> Iterator[Any]:
    """The real service stack on embedded defaults (SQLite, local files, worker thread)."""
    with open_runtime(base_settings, role="bot") as rt:
        yield rt


class Gates:
    """Hold a job at one of the real pipeline steps until the test opens that step's gate: the
    sprite (previews; a build reuses the preview's sheet), the levels ("Designing levels") and the
    bundle ("Packing your game"). All start open."""

    def __init__(self) -> None:
        self.sprite, self.levels, self.bundle = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self.open()

    def open(self) -> None:
        for gate in (self.sprite, self.levels, self.bundle):
            gate.set()

    def steps(self) -> Steps:
        real = default_steps()

        def held(gate: threading.Event, step: Any) -> Any:
            def run(*args: Any, **kwargs: Any) -> Any:
                assert gate.wait(60), "a gate was never opened"
                return step(*args, **kwargs)

            return run

        return Steps(
            held(self.sprite, real.make_sprite),
            held(self.levels, real.generate_levels),
            held(self.bundle, real.build_bundle),
        )


@dataclass
class Stack:
    rt: Any  # runtime.Runtime
    jobs: RecordingJobs  # every preview and build it queued
    gates: Gates


@pytest.fixture
def gated(base_settings: Settings) -> Iterator[Stack]:
    """The real stack with gates on the pipeline steps and the jobs it queues noted."""
    gates, seen = Gates(), []

    def wrap(jobs: Any) -> RecordingJobs:
        seen.append(RecordingJobs(jobs))
        return seen[-1]

    with open_runtime(base_settings, role="bot", steps=gates.steps(), wrap_jobs=wrap) as rt:
        try:
            yield Stack(rt, seen[0], gates)
        finally:
            gates.open()  # the worker thread must finish before the runtime closes


async def held_at(rt: Any, order_id: str, label: str, *, within: float = 30.0) -> None:
    """Wait until the order's progress shows `label` (a job held at a gate stays there)."""
    await _until(rt, order_id, lambda st: st.label == label, label, within)


async def reached(rt: Any, order_id: str, status: str, *, within: float = 30.0) -> None:
    """Wait until the order is in `status`."""
    await _until(rt, order_id, lambda st: st.status == status, status, within)


async def _until(rt: Any, order_id: str, ok: Any, what: str, within: float) -> None:
    deadline = time.monotonic() + within
    while not ok(st := rt.orders.status(order_id=order_id)):
        assert time.monotonic() < deadline, f"order at {st.status} {st.label!r}, not {what!r}"
        await asyncio.sleep(0.02)
