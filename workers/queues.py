"""What the broker holds: the orders that have a preview or build message in Redis.

The sweeper asks before its sweep. A job with no live lease whose order has no message anywhere
(waiting in a queue, or taken by a worker and not yet acknowledged: running, or a retry waiting for
its time) lost its message: an enqueue that failed while Redis was down, or a queue that did not
survive a restart. The sweeper then queues it again after a lease length instead of
`stuck_after_s`. Only Redis can be read this way; kombu's layout there is a list per queue (one per
priority step) and one `unacked` hash of [message, exchange, routing key] entries.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from celery import Celery

from core.config import Settings
from core.jobs import TASK_BUILD, TASK_PREVIEW

log = logging.getLogger(__name__)

# Past this many messages, reading them all each sweep costs more than it saves: the sweeper then
# falls back to stuck_after_s for messages it cannot see.
MAX_MESSAGES = 5000
ORDER_TASKS = frozenset({TASK_PREVIEW, TASK_BUILD})


def queued_orders(app: Celery, settings: Settings) -> set[str] | None:
    """Ids of orders with a preview or build message in Redis; None when that cannot be told
    (no Redis, too many messages, or the broker could not be read)."""
    if settings.redis_url is None:
        return None
    try:
        with app.connection_for_read() as conn:
            return _read(conn.default_channel, {settings.default_queue, settings.gpu_queue})
    except Exception:  # the sweep goes on with stuck_after_s alone
        log.warning("could not read the queues", exc_info=True)
        return None


def _read(channel: Any, queues: set[str]) -> set[str] | None:
    client = channel.client
    lists = [channel._q_for_pri(q, pri) for q in sorted(queues) for pri in channel.priority_steps]
    # the queues first: a message moves from a queue to `unacked`, never back while we read
    sizes = [client.llen(name) for name in lists] + [client.hlen(channel.unacked_key)]
    if sum(sizes) > MAX_MESSAGES:
        return None
    waiting = [m for name in lists for m in client.lrange(name, 0, -1)]
    taken = [json.loads(entry)[0] for entry in client.hvals(channel.unacked_key)]
    return {order for order in map(_order_of, [*map(json.loads, waiting), *taken]) if order}


def _order_of(message: dict[str, Any]) -> str | None:
    """The order id of a preview or build message (Celery protocol 2); None for anything else."""
    if message.get("headers", {}).get("task") not in ORDER_TASKS:
        return None
    body = message.get("body", "")
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]  # [args, kwargs, embed]
    return str(args[0]) if args else None
