"""The ids a log line carries: request, order, task and channel, held in contextvars.

A web request binds its request id (`X-Request-ID` when the client or proxy sent a valid one, else
a new one) and `channel="web"`; a bot update binds a new request id and its channel. Celery tasks
sent meanwhile carry `carried()` in a message header, and the worker binds them again with the
task id and the order id around the task, so one id follows an order from the web (or a chat) to
the worker and on to the notices it sends. Threads started with `asyncio.to_thread` and asyncio
tasks inherit the ids; a new plain thread starts with none.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token

FIELDS = ("request_id", "order_id", "task_id", "channel")
# What travels to a Celery task; the worker adds its own task id and the order id from the task.
CARRIED = ("request_id", "channel")
# Ids from outside end up in logs and response headers: a bounded plain alphabet only, so nothing
# a client sends can forge a log line or a header.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

_VARS: dict[str, ContextVar[str | None]] = {
    name: ContextVar(f"petpixel_{name}", default=None) for name in FIELDS
}


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str | None:
    """`value` when it is a safe id (1-128 of letters, digits and `._:-`), else None."""
    if value and _VALID.fullmatch(value):
        return value
    return None


def current() -> dict[str, str]:
    """The ids bound here, by name (unset ones left out)."""
    return {name: value for name, var in _VARS.items() if (value := var.get()) is not None}


def carried() -> dict[str, str]:
    """The ids a task sent from here carries."""
    ids = current()
    return {name: ids[name] for name in CARRIED if name in ids}


@contextmanager
def bound(*, error_keeps: bool = False, **ids: str | None) -> Iterator[None]:
    """Bind the given ids (a None value unbinds that one) for the `with` block. `error_keeps`:
    an exception leaving the block leaves them bound, for the handlers that report it outside
    (an asyncio task per web request: the ids end with it)."""
    tokens = _set(ids)
    try:
        yield
    except BaseException:
        if not error_keeps:
            _reset(tokens)
        raise
    _reset(tokens)


def _reset(tokens: list[tuple[str, Token[str | None]]]) -> None:
    for name, token in reversed(tokens):
        _VARS[name].reset(token)


def bind_only(ids: Mapping[str, str | None]) -> None:
    """Replace every id with `ids` (those missing unbound), with no block to end it: a worker
    thread or process binds a task's ids as the task starts, until the next one starts."""
    _set({name: ids.get(name) for name in FIELDS})


def _set(ids: Mapping[str, str | None]) -> list[tuple[str, Token[str | None]]]:
    unknown = set(ids) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown log ids: {sorted(unknown)}")
    return [(name, _VARS[name].set(value)) for name, value in ids.items()]
