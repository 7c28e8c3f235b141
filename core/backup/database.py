"""The database into one file and back: PostgreSQL with pg_dump / pg_restore (the client tools of
the `postgresql-client` package), SQLite with its online backup API (safe while the app writes).

pg_dump refuses a server newer than itself, and pg_restore a dump from a newer pg_dump: both are
checked first, so the error names the package to install instead of a half-made backup."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError

from core.backup.manifest import BackupError, BackupRefused
from core.db import current_revision, make_engine

PG_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"


def kind_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        return "postgresql"
    if backend == "sqlite":
        return "sqlite"
    raise BackupError(f"Cannot back up a {backend} database (PostgreSQL and SQLite only).")


def dump(url: str, target: Path) -> str | None:
    """Write the database at `url` to `target`; returns the tool's version line (PostgreSQL)."""
    if kind_of(url) == "sqlite":
        _sqlite_copy(Path(_sqlite_path(url)), target)
        return None
    tool = _tool("pg_dump")
    version = _tool_version(tool)
    server = _server_major(url)
    if _major(version) < server:
        raise BackupError(
            f"{version} cannot dump a PostgreSQL {server} server: install postgresql-client-"
            f"{server} (or newer) where the backup runs."
        )
    _run([tool, "--format=custom", f"--file={target}", "--no-password",
          f"--dbname={_libpq_uri(url)}"], url)  # fmt: skip
    return version


def restore(url: str, source: Path, *, dumped_by: str | None) -> None:
    """Replace the database at `url` with the dump at `source` (created when it is missing)."""
    if kind_of(url) == "sqlite":
        path = Path(_sqlite_path(url))
        path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, path)
        return
    tool = _tool("pg_restore")
    version = _tool_version(tool)
    if dumped_by and _major(version) < _major(dumped_by):
        raise BackupRefused(
            f"This backup was made by {dumped_by}; {version} cannot read it: install "
            f"postgresql-client-{_major(dumped_by)} (or newer) where the restore runs."
        )
    _create_database_if_missing(url)
    # One transaction: a restore that fails half-way leaves the database as it was. No owners or
    # grants from the dump: the tables belong to whoever restores (the app's own user).
    _run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={_libpq_uri(url)}", str(source)],
         url)  # fmt: skip


def check_tools(url: str, tool: str) -> None:
    """Fail early, before anything is read or written, when `tool` (pg_dump, pg_restore) is
    missing and the database is PostgreSQL."""
    if kind_of(url) == "postgresql":
        _tool(tool)


def revision(url: str) -> str | None:
    """The database's Alembic revision; BackupError when it cannot be reached."""
    try:
        return current_revision(url)
    except OperationalError as exc:
        raise BackupError(
            f"Cannot reach the database at {_safe(url)}: {_first_line(exc)}"
        ) from None


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return database


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist.")
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)  # page by page, consistent even while another process writes
    finally:
        dst.close()
        src.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools (Debian/Ubuntu: "
            "apt-get install postgresql-client; their major version must be at least the "
            "server's)."
        )
    return found


def _tool_version(tool: str) -> str:
    done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"


def _major(version: str) -> int:
    found = re.search(r"\)\s*(\d+)", version) or re.search(r"(\d+)", version)
    return int(found.group(1)) if found else 0


def _server_major(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SHOW server_version_num")) or 0) // 10000
    except OperationalError as exc:
        raise BackupError(
            f"Cannot reach the database at {_safe(url)}: {_first_line(exc)}"
        ) from None
    finally:
        engine.dispose()


def _create_database_if_missing(url: str) -> None:
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                quoted = '"' + str(parsed.database).replace('"', '""') + '"'
                conn.execute(text(f"CREATE DATABASE {quoted}"))
    except DBAPIError as exc:  # unreachable, or a user without CREATEDB for a missing database
        raise BackupError(
            f"Cannot prepare the database at {_safe(url)}: {_first_line(exc)}"
        ) from None
    finally:
        admin.dispose()


def _libpq_uri(url: str) -> str:
    """The SQLAlchemy URL as libpq reads it, without the password (that goes in PGPASSWORD, so no
    process listing shows it)."""
    parsed: URL = make_url(url).set(drivername="postgresql", password=None)
    return parsed.render_as_string(hide_password=False)


def _run(command: list[str], url: str) -> None:
    env = dict(os.environ)
    password = make_url(url).password
    if password is not None:
        env["PGPASSWORD"] = str(password)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        detail = " / ".join(done.stderr.strip().splitlines()[-3:]) or f"exit {done.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed on {_safe(url)}: {detail}")


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
