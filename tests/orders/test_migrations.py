"""Alembic migrations: upgrade from empty on SQLite and PostgreSQL, and match the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core.db import Base, Database, alembic_config, current_revision, make_engine, migrate

TABLES = {
    "users", "identities", "orders", "uploads", "games", "events", "processed_payment_events",
    "runs",
}  # fmt: skip


def head() -> str:
    """The one head of the migration chain (a second head would be two unmerged branches)."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads
    return str(heads[0])


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()
    assert current_revision(db_url) == head()


def test_upgrade_is_repeatable(db_url: str) -> None:
    migrate(db_url)  # the fixture already upgraded once
    assert current_revision(db_url) == head()


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_empty_database_has_no_revision(tmp_path: Path) -> None:
    assert current_revision(f"sqlite:///{tmp_path}/empty.db") is None


def test_sqlite_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/fk.db")  # PostgreSQL always enforces them
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose()


SEED_COLUMNS = {  # what issue 4's seed schema names, table by table
    "users": {"id", "display_name", "created_at"},
    "identities": {"user_id", "provider", "external_id"},
    "orders": {"user_id", "package", "amount", "currency", "status", "payment_ref", "token"},
    "games": {"code", "config", "assets", "metadata", "views", "shares", "expires_at"},
    "uploads": {"order_id", "original_key", "processed_key", "sprite_key"},
    "events": {"type", "data", "created_at", "user_id", "order_id", "game_id"},
}


def test_migrated_schema_has_the_seed_columns_and_unique_keys(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        found = inspect(engine)
        for table, columns in SEED_COLUMNS.items():
            assert columns <= {c["name"] for c in found.get_columns(table)}, table
        unique = {
            (table, tuple(sorted(u["column_names"])))
            for table in ("games", "identities", "orders")
            for u in [*found.get_unique_constraints(table), *found.get_indexes(table)]
            if u.get("unique", True)
        }
    finally:
        engine.dispose()
    assert ("games", ("code",)) in unique  # short codes unique by constraint
    assert ("identities", ("external_id", "provider")) in unique  # one user per identity
    assert ("orders", ("token",)) in unique
