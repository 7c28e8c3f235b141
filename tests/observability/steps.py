"""Build steps for the observability tests, loaded by worker processes through
PETPIXEL_BUILD_STEPS ("tests.observability.steps:leaky_down_steps")."""

from __future__ import annotations

from typing import Any

from core.orders.builds import Steps

DB_PASSWORD = "hunter2hunter2"
LEAKY_URL = f"postgresql://petpixel:{DB_PASSWORD}@db.internal:5432/petpixel"


def leaky_down_steps() -> Steps:
    """The database is 'unreachable' on every try, and the error names its URL with the password
    (as drivers' errors can): retried, then failed for good."""

    def make_sprite(*_: Any, **__: Any) -> Any:
        raise ConnectionError(f"could not connect to {LEAKY_URL}")

    return Steps(make_sprite, lambda **_: [], lambda **_: {})
