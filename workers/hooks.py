"""Celery hooks: run a follow-up in the process that ran a build, after each build task ends.

The follow-up (`after_build(order_id)`: the game-ready notice, or a refund and an apology when the
build gave up) is built by the composition root (`runtime`). Embedded, it exists before the first
build; in `petpixel worker` it is made lazily by `make`, on the first finished build, i.e. after
the fork, inside the process that ran it. Only build tasks of the given app count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Celery
from celery.signals import task_postrun

from core.jobs import TASK_BUILD

log = logging.getLogger("petpixel.payments")
AfterBuild = Callable[[str], None]


class BuildFollower:
    """A `task_postrun` receiver: `after_build(order_id)` for each build task of `app`."""

    def __init__(self, app: Celery, make: Callable[[], AfterBuild]) -> None:
        self.app = app
        self.make = make
        self.after_build: AfterBuild | None = None

    def __call__(self, sender: Any = None, args: Any = None, **_: Any) -> None:
        if (
            getattr(sender, "name", None) != TASK_BUILD
            or getattr(sender, "app", None) is not self.app
        ):
            return
        order_id = str((args or [None])[0])
        try:
            if self.after_build is None:
                self.after_build = self.make()
            self.after_build(order_id)
        except Exception:  # `petpixel payments reconcile` catches up; never break the worker
            log.exception("follow-up of the build of order %s failed", order_id)


def follow_builds(app: Celery, make: Callable[[], AfterBuild]) -> BuildFollower:
    """Call `make()` once (lazily) and its result after every build task `app` runs here."""
    follower = BuildFollower(app, make)
    app.petpixel_build_follower = follower  # the signal holds receivers weakly: keep it alive
    task_postrun.connect(follower, weak=True)
    return follower
