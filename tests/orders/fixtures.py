"""Fixtures shared by the orders, workers and storage tests (imported by their conftest files)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from core.config import Settings
from core.db import Base, Database, make_engine, migrate
from core.orders.service import OrderService
from core.payments import FreePayments
from core.storage import LocalStorage
from tests.conftest import PG_HOST, PG_PORT, need, port_open

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class RecordingJobs:
    """A JobQueue that keeps what was enqueued, for service tests that stop short of Celery.

    The Celery path itself is tested for real in tests/workers.
    """

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def enqueue_preview(self, order_id: str) -> str:
        self.sent.append(("preview", order_id))
        return f"preview-{len(self.sent)}"

    def enqueue_build(self, order_id: str, *, hd: bool = False) -> str:
        self.sent.append(("hd_build" if hd else "build", order_id))
        return f"build-{len(self.sent)}"


@pytest.fixture
def order_settings(settings: Settings) -> Settings:
    """Embedded settings with small sprites, so pipeline runs stay fast."""
    return settings.model_copy(update={"preview_sprite_size": 32, "progress_interval_s": 0.0})


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: SQLite file, and real PostgreSQL (marker postgres).

    PostgreSQL: one throwaway database per test session, created and migrated from empty on first
    use (so the migrations run on PostgreSQL every session), emptied before each test, dropped at
    the end. Creating and migrating a database per test cost ~2 s each."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'orders.db'}"
        migrate(url)
        return url
    url = _session_pg_database(request.config)
    _empty_database(url)
    return url


_PG_DATABASE: dict[str, str] = {}
_ADMIN_DSN = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"


def _session_pg_database(config: pytest.Config) -> str:
    """The session's migrated PostgreSQL database (made on first call, dropped at session end).

    A plain cache rather than a session fixture: the payments area imports `db_url` alone, and a
    fixture it depends on would have to be imported there too."""
    if "url" in _PG_DATABASE:
        return _PG_DATABASE["url"]
    need(port_open(PG_HOST, PG_PORT), "PostgreSQL on 127.0.0.1:5432")
    import psycopg

    name = f"petpixel_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    config.add_cleanup(drop)
    url = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    migrate(url)
    _PG_DATABASE["url"] = url
    return url


def _empty_database(url: str) -> None:
    """Delete every row (the Alembic revision stays). Connections left by earlier tests are closed
    first, so none can hold a lock the deletes would wait on. DELETE, not TRUNCATE: on tables this
    small it is ~10x faster."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ))  # fmt: skip
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
    finally:
        engine.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "storage", "http://files.test")


@pytest.fixture
def jobs() -> RecordingJobs:
    return RecordingJobs()


@pytest.fixture
def svc(
    order_settings: Settings, db: Database, storage: LocalStorage, jobs: RecordingJobs
) -> OrderService:
    return OrderService(settings=order_settings, db=db, storage=storage,
                        payments=FreePayments(), jobs=jobs)  # fmt: skip


def wait_for(check: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    """Poll until `check()` is true (tests wait on real workers; never a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
