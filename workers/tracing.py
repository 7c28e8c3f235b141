"""Log ids across Celery: a task carries its sender's request id and channel in a message header,
and the worker binds them, with the task id and the order id, while the task runs.

Receivers of Celery's global signals, connected once per process (`trace_tasks`, from runtime):
`before_task_publish` adds the header to every message sent from a context with ids (a retry
sent from inside a task keeps them), `task_prerun` binds them in the process or thread that runs
the task, until its next task starts. Logs, notices and Sentry events from the task's code and
from its follow-ups (`task_postrun`) then carry them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from celery.signals import before_task_publish, task_prerun

from core.jobs import TASK_BUILD, TASK_PREVIEW
from core.observability import accept_request_id, bind_only, carried

HEADER = "petpixel_ids"
ORDER_TASKS = frozenset({TASK_PREVIEW, TASK_BUILD})


def carry_ids(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """`before_task_publish`: put the ids bound here into the message's headers."""
    ids = carried()
    if ids and isinstance(headers, dict):
        headers.setdefault(HEADER, ids)


def bind_task_ids(
    task_id: str | None = None,
    task: Any = None,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    **_: Any,
) -> None:
    """`task_prerun`: bind the carried ids, this task's id and its order's id."""
    request = getattr(task, "request", None)
    sent = getattr(request, HEADER, None)
    sent = sent if isinstance(sent, dict) else {}
    bind_only({
        "request_id": accept_request_id(_text(sent.get("request_id"))),
        "channel": accept_request_id(_text(sent.get("channel"))),
        "task_id": task_id,
        "order_id": order_of(getattr(task, "name", None), args, kwargs),
    })  # fmt: skip


def order_of(
    name: str | None, args: Sequence[Any] | None, kwargs: dict[str, Any] | None
) -> str | None:
    """The order id of a preview or build task (its first argument)."""
    if name not in ORDER_TASKS:
        return None
    order = (list(args or []) or [(kwargs or {}).get("order_id")])[0]
    return str(order) if order else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def trace_tasks() -> None:
    """Connect both receivers (once per process; later calls do nothing)."""
    before_task_publish.connect(carry_ids, weak=False, dispatch_uid="petpixel.carry_ids")
    task_prerun.connect(bind_task_ids, weak=False, dispatch_uid="petpixel.bind_task_ids")
