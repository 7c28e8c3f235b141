"""The composition root: the one place that puts a PetPixel process together.

    with open_runtime(settings, role="web") as rt:   # web app lifespan, a bot, a CLI command
        rt.orders.create_order(...)                  # OrderService (web checkout)
        rt.checkout("telegram")                      # the same service, Telegram's payments
        rt.notifiers, rt.fulfilment                  # chat notices; Stripe fulfilment (or None)

`petpixel worker` uses `worker_app(settings)`: the Celery app whose follow-ups (the game-ready
notice, the refund of a build that gave up) are built here too, lazily in each worker process.
Nothing else builds an OrderService, payments, fulfilment or notifiers. `observe(settings,
role=...)` sets up a process's logs, Sentry and task ids; `serve_worker_metrics` the worker's
metrics port.
"""

from core.payments import CHANNELS, Channel
from runtime.observe import observe, serve_worker_metrics
from runtime.open import Role, Runtime, open_runtime
from runtime.services import (
    boards_for,
    check_payments,
    enabled_channels,
    notifiers_for,
    order_service,
)
from runtime.worker import worker_app

__all__ = [
    "CHANNELS",
    "Channel",
    "Role",
    "Runtime",
    "boards_for",
    "check_payments",
    "enabled_channels",
    "notifiers_for",
    "observe",
    "open_runtime",
    "order_service",
    "serve_worker_metrics",
    "worker_app",
]
