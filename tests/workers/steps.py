"""Instrumented build steps for worker tests: real pipeline calls with injected faults.

Worker processes load these through PETPIXEL_BUILD_STEPS ("tests.workers.steps:slow_steps").
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from core.errors import NoSubjectFound
from core.orders.builds import Steps, default_steps


def _with_sprite(make_sprite: Callable[..., Any]) -> Steps:
    real = default_steps()
    return Steps(make_sprite, real.generate_levels, real.build_bundle)


def flaky_steps(failures: int = 1) -> Steps:
    """The first `failures` sprite calls lose their 'connection'; later ones run the pipeline."""
    calls = {"n": 0}

    def make_sprite(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise ConnectionError("storage connection reset (injected)")
        return default_steps().make_sprite(*args, **kwargs)

    return _with_sprite(make_sprite)


def always_down_steps() -> Steps:
    def make_sprite(*_: Any, **__: Any) -> Any:
        raise ConnectionError("database unreachable (injected)")

    return Steps(make_sprite, lambda **_: [], lambda **_: {})


def no_pet_steps() -> Steps:
    def make_sprite(*_: Any, **__: Any) -> Any:
        raise NoSubjectFound(
            "We could not find a pet in this photo. Try one where it fills the frame."
        )

    return Steps(make_sprite, lambda **_: [], lambda **_: {})


def slow_steps() -> Steps:
    """Reports progress, then hangs: the worker running it is killed mid-task by the test."""

    def make_sprite(*_: Any, progress: Callable[[int, str], None], **__: Any) -> Any:
        progress(50, "Hanging on purpose")
        time.sleep(600)
        raise AssertionError("the test should have killed this worker")

    return Steps(make_sprite, lambda **_: [], lambda **_: {})


def hang_once_steps() -> Steps:
    """The first sprite call anywhere writes its process id to DATA_DIR/hung.pid and hangs (the
    test kills that process); every later call runs the real pipeline."""

    def make_sprite(*args: Any, progress: Callable[[int, str], None], **kwargs: Any) -> Any:
        from core.config import Settings

        marker = Settings().data_dir / "hung.pid"
        try:
            with marker.open("x") as out:
                out.write(str(os.getpid()))
        except FileExistsError:
            return default_steps().make_sprite(*args, progress=progress, **kwargs)
        progress(50, "Hanging on purpose")
        time.sleep(600)
        raise AssertionError("the test should have killed this process")

    return _with_sprite(make_sprite)


def gated_steps(gate: threading.Event, label: str = "Waiting at the gate") -> Steps:
    """Real steps whose sprite call reports progress, then waits for the test to open `gate`."""

    def make_sprite(*args: Any, progress: Callable[[int, str], None], **kwargs: Any) -> Any:
        progress(40, label)
        if not gate.wait(timeout=60):
            raise AssertionError("the test never opened the gate")
        return default_steps().make_sprite(*args, progress=progress, **kwargs)

    return _with_sprite(make_sprite)


def recording_steps() -> Steps:
    """The real steps, each call logged (process id, queue it came from, order) to
    DATA_DIR/step-calls.jsonl, so a test can tell which worker process ran which job."""
    real = default_steps()

    def recorded(step: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            from celery import current_task

            from core.config import Settings

            request = current_task.request
            line = {"step": step, "pid": os.getpid(), "order_id": request.args[0],
                    "queue": request.delivery_info["routing_key"],
                    "size": kwargs.get("size")}  # fmt: skip
            with (Settings().data_dir / "step-calls.jsonl").open("a") as log:
                log.write(json.dumps(line) + "\n")
            return func(*args, **kwargs)

        return call

    return Steps(recorded("make_sprite", real.make_sprite),
                 recorded("generate_levels", real.generate_levels),
                 recorded("build_bundle", real.build_bundle))  # fmt: skip


def napping_steps() -> Steps:
    """The recorded real steps (recording_steps), but one of them (PETPIXEL_TEST_NAP_STEP, default
    make_sprite, which reports progress first) naps PETPIXEL_TEST_NAP_S seconds without a word:
    only the lease heartbeat says the run is alive."""
    real = recording_steps()
    napper = os.environ.get("PETPIXEL_TEST_NAP_STEP", "make_sprite")

    def napping(step: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if step == napper:
                if "progress" in kwargs:
                    kwargs["progress"](40, "Napping on purpose")
                time.sleep(float(os.environ.get("PETPIXEL_TEST_NAP_S", "0")))
            return func(*args, **kwargs)

        return call

    return Steps(napping("make_sprite", real.make_sprite),
                 napping("generate_levels", real.generate_levels),
                 napping("build_bundle", real.build_bundle))  # fmt: skip
