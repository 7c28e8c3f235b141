"""Fixtures for this area come from tests/orders/fixtures.py (shared with its sibling areas)."""

from tests.orders.fixtures import db, db_url, jobs, order_settings, storage, svc

__all__ = ["db", "db_url", "jobs", "order_settings", "storage", "svc"]
