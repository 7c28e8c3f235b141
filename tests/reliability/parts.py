"""The real parts a fault test stops and starts: a private redis-server, a cuttable link to the S3
server, worker processes, a size-limited data directory (a tmpfs mount), and the API steps."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from core.config import Settings
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
AWS_ENV = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


def wait_until(check: Any, *, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class RedisServer:
    """A redis-server of this test's own, with an append-only file as compose runs it, so a
    restart keeps what was queued (a `SHUTDOWN` writes it out)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
               "--dir", str(self.workdir), "--appendonly", "yes", "--save", "",
               "--logfile", str(self.workdir / "redis.log")]  # fmt: skip
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(cmd)
        wait_until(lambda: self._ping(), timeout=20, what="redis-server")

    def stop(self) -> None:
        """SHUTDOWN: every client connection drops, the queue is written to its file."""
        import redis

        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(port=self.port).shutdown()
        if self.proc is not None:
            self.proc.wait(timeout=20)
            self.proc = None

    def _ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.ConnectionError:
            return False


class Link:
    """A TCP link to a server that a test can cut: while cut, connecting is refused and open
    connections are reset, as when the server stops; restored, it carries traffic again. The
    server behind it (moto's S3) keeps its data, as a real S3 outage would."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=[listener], daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, set()
        if listener is not None:
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                sock.close()  # linger 0: the peer gets a reset

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    server.close()
                    return
                self._open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=[a, b], daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def s3_server(bucket: str) -> Iterator[Link]:
    """moto's S3 server on 127.0.0.1 behind a Link, with the bucket made."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    link = Link(server.get_host_and_port()[1])
    link.restore()
    try:
        boto3.client("s3", endpoint_url=link.url, **_aws()).create_bucket(Bucket=bucket)
        yield link
    finally:
        link.cut()
        server.stop()


def _aws() -> dict[str, str]:
    return {"aws_access_key_id": "test", "aws_secret_access_key": "test",
            "region_name": "us-east-1"}  # fmt: skip


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    """The settings as PETPIXEL_* variables (those not at their defaults), for another process."""
    values = settings.model_dump(exclude_defaults=True)
    env = {f"PETPIXEL_{name.upper()}": v if isinstance(v, str) else json.dumps(v, default=str)
           for name, v in values.items()}  # fmt: skip
    env = {k: v.strip('"') if v.startswith('"') else v for k, v in env.items()}
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, **AWS_ENV, **env, "PYTHONPATH": pythonpath, **extra}


@contextlib.contextmanager
def worker(settings: Settings, log: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A real `petpixel worker` (solo pool) that also schedules the sweeper (`--beat`)."""
    cmd = [sys.executable, "-m", "cli.main", "worker", "--pool", "solo", "--loglevel", "WARNING",
           "--beat"]  # fmt: skip
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=settings.data_dir, env=env_for(settings, **env),
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def can_mount_tmpfs(where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        return False
    subprocess.run(["umount", str(where)], check=True)
    return True


@contextlib.contextmanager
def small_disk(where: Path, size_mb: int) -> Iterator[Path]:
    """A tmpfs of `size_mb` MB mounted at `where`: writes past it fail with ENOSPC."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where)],
                   check=True)  # fmt: skip
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk is full; returns it (delete it to free the space)."""
    filler = disk / "filler.bin"
    chunk = b"\0" * (64 * 1024)
    with contextlib.suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(chunk)
            out.flush()
    with contextlib.suppress(OSError), filler.open("ab") as out:
        while True:  # the last few kilobytes
            out.write(b"\0" * 512)
            out.flush()
    return filler


# --- The API, as a browser uses it --------------------------------------------------------------
CHOICES = {"style": "16bit", "pet_name": "Rex", "theme": "park"}


def upload(client: TestClient | httpx.Client, photo: bytes) -> httpx.Response:
    files = {"photo": ("cat.jpg", photo, "image/jpeg")}
    return client.post("/api/images/upload", files=files, data=CHOICES)


def generate(client: TestClient | httpx.Client, token: str) -> httpx.Response:
    return client.post("/api/pixel-art/generate", json={"image_id": token, **CHOICES})


def buy(client: TestClient | httpx.Client, token: str) -> httpx.Response:
    return client.post("/api/games/create", json={"image_id": token, "package": "classic"})


def status(client: TestClient | httpx.Client, token: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/api/images/{token}/status").json()
    return body


def wait_status(
    client: TestClient | httpx.Client, token: str, wanted: str, timeout: float = 90
) -> dict[str, Any]:
    """Poll the order's status until `wanted`; a failure (or the time running out) says why."""
    deadline = time.monotonic() + timeout
    while True:
        seen = status(client, token)
        if seen.get("status") == wanted:
            return seen
        assert seen.get("status") != "failed", seen
        assert time.monotonic() < deadline, f"timed out waiting for {wanted}; last {seen}"
        time.sleep(0.1)


def assert_clean_error(response: httpx.Response) -> None:
    """A failed request still answers in the API's error shape, with nothing internal shown."""
    assert response.status_code >= 500, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"]
    assert "Traceback" not in response.text
