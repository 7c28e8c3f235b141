"""Small helpers for worker tests: read an order's row, store a photo for a factory-made order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.config import Settings
from core.db import Database, migrate
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Order
from core.storage import new_storage
from tests.orders.factories import add_order


def order_row(db: Database, order_id: str) -> Order:
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order


def status_of(db: Database, order_id: str) -> str:
    return order_row(db, order_id).status


def open_db(settings: Settings) -> Database:
    migrate(settings.resolved_database_url)
    return Database(settings.resolved_database_url)


def order_with_photo(db: Database, settings: Settings, photo: bytes, status: OrderStatus) -> str:
    order_id = add_order(db, status=status)
    new_storage(settings).put(f"orders/{order_id}/photo.jpg", photo, content_type="image/jpeg")
    return order_id


ROOT = Path(__file__).resolve().parents[2]


def worker_process(
    settings: Settings,
    log_path: Path,
    *,
    steps: str,
    pool: str = "solo",
    beat: bool = False,
    **env: str,
) -> subprocess.Popen[bytes]:
    """A real `petpixel worker` process over the settings' Redis, running instrumented `steps`
    (`beat`: it also schedules the sweeper, as compose's worker does)."""
    environ = {
        **os.environ,
        "PETPIXEL_REDIS_URL": str(settings.redis_url),
        "PETPIXEL_DATABASE_URL": settings.resolved_database_url,
        "PETPIXEL_DATA_DIR": str(settings.data_dir),
        "PETPIXEL_BROKER_VISIBILITY_TIMEOUT_S": str(settings.broker_visibility_timeout_s),
        "PETPIXEL_PROGRESS_INTERVAL_S": str(settings.progress_interval_s),
        "PETPIXEL_JOB_LEASE_S": str(settings.job_lease_s),
        "PETPIXEL_JOB_HEARTBEAT_S": str(settings.job_heartbeat_s),
        "PETPIXEL_SWEEPER_INTERVAL_S": str(settings.sweeper_interval_s),
        "PETPIXEL_BUILD_STEPS": steps,
        **env,
    }
    if settings.preview_sprite_size is not None:
        environ.setdefault("PETPIXEL_PREVIEW_SPRITE_SIZE", str(settings.preview_sprite_size))
    cmd = [sys.executable, "-m", "cli.main", "worker", "--pool", pool, "--loglevel", "WARNING",
           *(["--beat"] if beat else [])]  # fmt: skip
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    cwd = settings.data_dir  # where beat keeps its schedule file
    cwd.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    return subprocess.Popen(cmd, cwd=cwd, env=environ, stdout=log, stderr=subprocess.STDOUT)
