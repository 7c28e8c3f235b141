"""Observability fixtures: the worker tests' settings (a real worker over Redis)."""

from __future__ import annotations

from tests.orders.fixtures import order_settings
from tests.workers.conftest import worker_settings

__all__ = ["order_settings", "worker_settings"]
