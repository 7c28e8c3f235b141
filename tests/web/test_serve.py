"""`petpixel serve`: one command runs the whole product on embedded defaults."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.serve import with_public_url
from core.config import Settings
from tests.conftest import free_port
from tests.web.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_links_default_to_the_serve_address(settings: Settings) -> None:
    assert with_public_url(settings, "127.0.0.1", 8123).public_url == "http://127.0.0.1:8123"
    assert with_public_url(settings, "0.0.0.0", 80).public_url == "http://127.0.0.1:80"
    assert with_public_url(settings, "::1", 8000).public_url == "http://[::1]:8000"
    public = settings.model_copy(update={"public_url": "https://pets.example"})
    assert with_public_url(public, "0.0.0.0", 80).public_url == "https://pets.example"


@pytest.mark.slow
def test_serve_runs_everything_embedded(tmp_path: Path, cat_jpeg: bytes) -> None:
    """A real `petpixel serve`: data under PETPIXEL_DATA_DIR, links built on PETPIXEL_PUBLIC_URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    public = f"http://localhost:{port}"  # differs from the bind address, so links show their source
    data_dir = tmp_path / "pp-data"
    env = {**os.environ, "PETPIXEL_DATA_DIR": str(data_dir), "PETPIXEL_PUBLIC_URL": public}
    for name in ("PETPIXEL_DATABASE_URL", "PETPIXEL_REDIS_URL", "PETPIXEL_STORAGE_BACKEND",
                 "PETPIXEL_PAYMENTS_BACKEND"):  # fmt: skip
        env.pop(name, None)
    cmd = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        health = wait_healthy(f"{base}/health", proc)
        page = httpx.get(f"{base}/")
        preview, gif = preview_of(base, cat_jpeg)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert health["checks"] == {"database": "ok", "storage": "ok", "queue": "ok"}
    assert page.status_code == 200
    assert "Free" in page.text  # free payments on embedded defaults
    assert f"running at {public}" in out
    assert (data_dir / "petpixel.db").is_file()
    assert preview["preview_url"].startswith(f"{public}/files/previews/")
    assert preview["image_id"] not in preview["preview_url"]  # the token stays out of links
    assert gif.startswith(b"GIF8")
    storage = data_dir / "storage"
    assert len(list(storage.glob("orders/*/photo.*"))) == 1  # the photo, in its private folder
    assert any(p.read_bytes() == gif for p in storage.glob("previews/*/*.gif"))


def preview_of(base: str, photo: bytes) -> tuple[dict[str, Any], bytes]:
    """Upload a photo to the served app, wait for its preview; the status and the GIF's bytes."""
    with httpx.Client(base_url=base, timeout=10) as client:
        files = {"photo": ("cat.jpg", photo, "image/jpeg")}
        image_id = client.post("/api/images/upload", files=files).json()["image_id"]
        body = {"image_id": image_id, "style": "pico8", "pet_name": "Rex"}
        assert client.post("/api/pixel-art/generate", json=body).status_code == 202
        status = wait_for(
            lambda: client.get(f"/api/images/{image_id}/status").json(),
            lambda b: b["status"] == "preview_ready",
        )
        gif = client.get(httpx.URL(status["preview_url"]).path)  # same server, bind address
        assert gif.status_code == 200
        return status, gif.content


def wait_healthy(url: str, proc: subprocess.Popen[str]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "petpixel serve exited early"
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                body: dict[str, object] = response.json()
                return body
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("petpixel serve did not become healthy within 60 s")
