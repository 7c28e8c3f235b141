"""`petpixel db upgrade` / `db current` on a fresh embedded database; `upgrade --wait` against
a PostgreSQL address where nothing listens, one that answers, and one that comes up mid-wait."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.db import db_app
from core.db import current_revision
from tests.conftest import PG_HOST, PG_PORT, free_port, need, port_open
from tests.orders.test_migrations import head


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"PETPIXEL_DATA_DIR": str(tmp_path / "data"), "PETPIXEL_DATABASE_URL": ""}
    before = runner.invoke(db_app, ["current"], env=env)
    assert before.exit_code == 0, before.output
    assert "empty" in before.output
    result = runner.invoke(db_app, ["upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert f"revision {head()}" in result.output
    assert (tmp_path / "data" / "petpixel.db").is_file()
    assert runner.invoke(db_app, ["current"], env=env).output.strip() == head()


def test_upgrade_wait_gives_up_with_one_clear_line_when_nothing_answers() -> None:
    port = free_port()  # bound then released: nothing listens there
    url = f"postgresql+psycopg://petpixel:s3cret-pw@127.0.0.1:{port}/petpixel"
    started = time.monotonic()
    result = CliRunner().invoke(
        db_app, ["upgrade", "--wait", "2"], env={"PETPIXEL_DATABASE_URL": url}
    )
    waited = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: database_unreachable: no answer from ")
    assert f"127.0.0.1:{port}/petpixel after 2 s" in lines[0]
    assert "s3cret-pw" not in result.output + result.stderr  # the password stays out of logs
    assert "Traceback" not in result.output + result.stderr
    assert 1.8 <= waited < 6  # it did retry for the deadline, and stopped there
    tries = int(re.search(r"\((\d+) tries", lines[0]).group(1))  # type: ignore[union-attr]
    assert tries >= 2


@pytest.mark.postgres
def test_upgrade_wait_migrates_a_database_that_answers(pg_url: str) -> None:
    result = CliRunner().invoke(
        db_app, ["upgrade", "--wait", "30"], env={"PETPIXEL_DATABASE_URL": pg_url}
    )
    assert result.exit_code == 0, result.output
    assert f"revision {head()}" in result.output
    assert current_revision(pg_url) == head()


@pytest.mark.postgres
def test_upgrade_wait_succeeds_once_the_database_comes_up_mid_wait(pg_url: str) -> None:
    """The compose / Job case: migrate starts first, PostgreSQL opens its port a moment later.
    A forwarder that starts listening after 1.5 s stands in for the late database."""
    need(port_open(PG_HOST, PG_PORT), "PostgreSQL on 127.0.0.1:5432")
    port = free_port()
    late = threading.Thread(target=_forward_later, args=(port, 1.5), daemon=True)
    late.start()
    url = pg_url.replace(f":{PG_PORT}/", f":{port}/")
    started = time.monotonic()
    result = CliRunner().invoke(
        db_app, ["upgrade", "--wait", "20"], env={"PETPIXEL_DATABASE_URL": url}
    )
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 1.4  # it really waited for the port to open
    assert current_revision(pg_url) == head()


def _forward_later(port: int, delay_s: float) -> None:
    """After `delay_s`, listen on `port` and relay each connection to the real PostgreSQL."""
    time.sleep(delay_s)
    server = socket.create_server(("127.0.0.1", port))
    server.settimeout(30)
    with server:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection((PG_HOST, PG_PORT))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
