"""Shared fixtures: real services (skip locally when absent, fail under CI=true), browser,
photos."""

from __future__ import annotations

import importlib
import io
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image

from core.config import Settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
CHROMIUM = os.environ.get("PETPIXEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need(available: bool, what: str) -> None:
    """Skip when a service, model or tool is missing on a laptop; fail loudly in CI, where it must
    exist. Every runtime skip in the suite goes through here (or need_module), so none passes
    silently under CI=true. At module level it skips (or fails) the whole module."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available", pytrace=False)
    pytest.skip(f"{what} not available", allow_module_level=True)


def need_module(name: str) -> ModuleType:
    """`import name`, or need() it: a missing package (or one whose import fails) skips on a
    laptop and fails under CI=true, unlike pytest.importorskip."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        need(False, f"the Python module {name} ({exc})")
        raise  # need() always raises here; this keeps type checkers content


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded-default settings isolated in a temporary data dir (no models installed)."""
    return Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "models")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    need(port_open(PG_HOST, PG_PORT), "PostgreSQL on 127.0.0.1:5432")
    import psycopg

    name = f"petpixel_test_{uuid.uuid4().hex[:12]}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_db() -> Iterator[int]:
    """Lease one Redis database number (1-15) for this test session.

    Leases are `SET NX` keys in database 0 with an expiry, so two test sessions on one machine
    (say a developer's run beside CI's) never flush each other's queues.
    """
    need(port_open(REDIS_HOST, REDIS_PORT), "Redis on 127.0.0.1:6379")
    import redis

    token = uuid.uuid4().hex
    leases = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
    try:
        for number in range(1, 16):
            if leases.set(f"petpixel:test-lease:{number}", token, nx=True, ex=3 * 3600):
                break
        else:
            pytest.fail("every Redis test database (1-15) is leased by another test session")
        yield number
        if leases.get(f"petpixel:test-lease:{number}") == token.encode():
            leases.delete(f"petpixel:test-lease:{number}")
    finally:
        leases.close()


@pytest.fixture
def redis_url(redis_db: int) -> Iterator[str]:
    """This session's leased Redis database, flushed before and after each test."""
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    need(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """One headless Debian Chromium for the session, driven by Playwright (never downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _hide_playwright_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Playwright's sync API marks its event loop as running in the main thread between calls,
    for the rest of the session once `browser` started; a later test's `asyncio.run` would then
    fail. Tests that do not use the browser run with that mark cleared (restored afterwards)."""
    import asyncio

    loop = asyncio._get_running_loop()
    if loop is None or "browser" in request.fixturenames:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **params)
    return buf.getvalue()


@pytest.fixture(scope="session")
def cat_image() -> Image.Image:
    """A real cat photo (scikit-image's Chelsea, 451x300), offline."""
    from skimage import data

    return Image.fromarray(np.asarray(data.chelsea()))


@pytest.fixture(scope="session")
def cat_jpeg(cat_image: Image.Image) -> bytes:
    return encode(cat_image, "JPEG", quality=92)


@pytest.fixture(scope="session")
def synthetic_pet() -> Image.Image:
    """A cartoon 'pet' on a textured background with a known mask: for IoU checks."""
    return make_synthetic_pet()


def make_synthetic_pet(size: tuple[int, int] = (640, 480), seed: int = 3) -> Image.Image:
    """Brown blob with ears and dark eyes on a noisy green lawn."""
    from PIL import ImageDraw

    rng = np.random.default_rng(seed)
    w, h = size
    bg = np.zeros((h, w, 3), dtype=np.uint8)
    bg[..., 0] = 70
    bg[..., 1] = 150
    bg[..., 2] = 60
    bg = np.clip(bg + rng.normal(0, 18, bg.shape), 0, 255).astype(np.uint8)
    img = Image.fromarray(bg)
    draw = ImageDraw.Draw(img)
    cx, cy = w // 2, h // 2 + 20
    draw.ellipse([cx - 150, cy - 90, cx + 150, cy + 120], fill=(150, 95, 50))
    draw.ellipse([cx - 90, cy - 170, cx + 90, cy - 20], fill=(160, 105, 55))
    draw.polygon(
        [(cx - 85, cy - 140), (cx - 60, cy - 210), (cx - 30, cy - 150)], fill=(120, 70, 35)
    )
    draw.polygon(
        [(cx + 85, cy - 140), (cx + 60, cy - 210), (cx + 30, cy - 150)], fill=(120, 70, 35)
    )
    draw.ellipse([cx - 45, cy - 115, cx - 20, cy - 90], fill=(20, 15, 10))
    draw.ellipse([cx + 20, cy - 115, cx + 45, cy - 90], fill=(20, 15, 10))
    draw.ellipse([cx - 12, cy - 75, cx + 12, cy - 60], fill=(40, 20, 20))
    return img


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, to evaluate in a page (tests/axe.py)."""
    from tests.axe import AXE_JS

    need(AXE_JS.is_file(), f"axe-core at {AXE_JS} (scripts/setup.sh --dev fetches it)")
    return AXE_JS.read_text()
