"""What every order task shares: which errors are worth a retry, and the give-up handler."""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded

from core.orders.builds import INTERNAL_ERROR
from core.transient import CONNECTION_TROUBLE
from workers.context import context

TIME_LIMIT_ERROR = (
    "Making this took far longer than it should, so we stopped. We have kept the details; "
    "please try again in a few minutes."
)

log = logging.getLogger(__name__)


class NoSpace(Exception):
    """A disk (or quota) filled up under a job: space is usually freed soon, so it is retried."""


@contextmanager
def space_retried() -> Iterator[None]:
    """Turn 'no space left' (ENOSPC, EDQUOT) into NoSpace, which the order tasks retry."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise NoSpace(str(exc)) from exc
        raise


# Connection trouble (database, storage, broker) passes, and so does a full disk: retry with
# backoff. User errors never get here (the job bodies fail the order with the reason), and bugs
# would only fail again: no retry.
TRANSIENT: tuple[type[BaseException], ...] = (NoSpace, *CONNECTION_TROUBLE)


class OrderTask(Task):  # type: ignore[misc]
    """A task over one order id: when it finally gives up, the order is failed with a reason."""

    def on_failure(
        self, exc: BaseException, _task_id: str, args: Any, kwargs: Any, _einfo: Any
    ) -> None:
        order_id = (args or [None])[0] or kwargs.get("order_id")
        log.error("task %s for order %s gave up: %r", self.name, order_id, exc)
        code, message = ("internal_error", INTERNAL_ERROR)
        if isinstance(exc, SoftTimeLimitExceeded):  # task_soft_time_limit_s ran out (prefork)
            code, message = ("time_limit", TIME_LIMIT_ERROR)
        try:
            context(self.app).builds.fail(order_id, code=code, message=message)
        except Exception:  # the sweeper fails it later if the database is down now
            log.exception("could not mark order %s failed", order_id)


def retry_options(app: Celery) -> dict[str, Any]:
    """Exponential backoff (with jitter) on transient errors, bounded by Settings."""
    settings = context(app).settings
    return {
        "autoretry_for": TRANSIENT,
        "retry_backoff": settings.task_retry_backoff_s,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": settings.task_max_retries,
    }
