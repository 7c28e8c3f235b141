"""Worker fixtures: settings for a real Celery worker over Redis, plus the shared order fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from tests.orders.fixtures import db, db_url, jobs, order_settings, storage, svc

__all__ = ["db", "db_url", "jobs", "order_settings", "storage", "svc"]


@pytest.fixture
def worker_settings(order_settings: Settings, redis_url: str, tmp_path: Path) -> Settings:
    """Redis broker, one SQLite file for test and worker, fast retries and redelivery."""
    return order_settings.model_copy(
        update={
            "redis_url": redis_url,
            "database_url": f"sqlite:///{tmp_path / 'worker.db'}",
            "task_retry_backoff_s": 1,
            "task_max_retries": 2,
            "broker_visibility_timeout_s": 2,
        }
    )
