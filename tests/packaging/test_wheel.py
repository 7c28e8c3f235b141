"""A normal install works: a wheel built here, installed (not editable) into a fresh venv and run
from another directory, builds a game and serves a paid order over real HTTP.

The venv sees this environment's dependencies through a .pth line instead of downloading them. A
path added by a .pth is not scanned for .pth files, so the checkout's editable finder stays out and
every PetPixel module comes from the wheel."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def top_packages() -> list[str]:
    """The checkout's top-level packages that pyproject.toml ships."""
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    patterns = find["find"]["include"]
    names = (p.parent.name for p in ROOT.glob("*/__init__.py"))
    return sorted(n for n in names if any(fnmatch.fnmatch(n, pat) for pat in patterns))


PACKAGES = top_packages()


@dataclass(frozen=True)
class Installed:
    """A venv holding only the wheel, and an empty folder outside the checkout to run it from."""

    venv: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]], cwd=self.cwd, env=self.env,
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site_packages(venv) / "_petpixel_test_deps.pth").write_text("\n".join(sorted(dependencies)))
    cwd = work / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PETPIXEL_")}
    env.pop("PYTHONPATH", None)
    env["PETPIXEL_DATA_DIR"] = str(work / "data")
    box = Installed(venv, cwd, env)
    # --ignore-installed: the checkout's editable petpixel is visible and must not be "upgraded".
    done = box.run("python", "-m", "pip", "install", "--no-deps", "--no-index",
                   "--ignore-installed", "--quiet", str(wheel))  # fmt: skip
    assert done.returncode == 0, done.stderr
    return box


def build_wheel(work: Path) -> Path:
    """A wheel of a copy of the sources, so the checkout gets no build/ or egg-info folders."""
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in PACKAGES:
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = work / "dist"
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run([*pip, "--quiet", "-w", str(dist), str(src)],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = dist.glob("petpixel-*.whl")
    return wheel


def site_packages(venv: Path) -> Path:
    return (
        venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    )


def test_every_package_and_the_template_come_from_the_wheel(installed: Installed) -> None:
    probe = (
        "import importlib, json, sys\n"
        "from core.package_data import game_template, package_folder\n"
        f"files = {{n: importlib.import_module(n).__file__ for n in {PACKAGES!r}}}\n"
        "files['template'] = str(game_template())\n"
        "files['migrations'] = str(package_folder('core.orders', 'migrations'))\n"
        "print(json.dumps(files))\n"
    )
    done = installed.run("python", "-c", probe)
    assert done.returncode == 0, done.stderr
    where = json.loads(done.stdout)
    assert {"core", "web", "cli", "workers", "bots", "game_template"} <= set(where)
    inside = site_packages(installed.venv).resolve()
    outside = {n: p for n, p in where.items() if not Path(p).resolve().is_relative_to(inside)}
    assert not outside, f"not from the installed wheel: {outside}"
    shipped = Path(where["template"])
    assert (shipped / "physics.json").is_file()
    assert (shipped / "js" / "main.js").is_file()
    assert not (shipped / "tools").exists()  # Node dev tools stay in the checkout


def test_petpixel_game_builds_a_game(installed: Installed, cat_jpeg: bytes) -> None:
    (installed.cwd / "cat.jpg").write_bytes(cat_jpeg)
    done = installed.run("petpixel", "game", "cat.jpg", "--out", "game", "--name", "Chelsea",
                         "--levels", "1")  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = installed.cwd / "game"
    game = json.loads(next(out.glob("game.*.json")).read_text())
    assert game["pet_name"] == "Chelsea"
    assert game["physics"]["tile"] == 16  # physics.json read from the wheel
    assert any(out.glob("js/late.*.js"))  # the code after the first frame; the rest is inline
    assert '<script type="module">' in (out / "index.html").read_text()  # the inline bundle
    assert "Chelsea" in (out / "index.html").read_text()


@pytest.fixture
def served(installed: Installed) -> Iterator[str]:
    """`petpixel serve` on embedded defaults (SQLite, local files, free payments, no Redis)."""
    port = free_port()
    cmd = [str(installed.venv / "bin" / "petpixel"), "serve", "--port", str(port)]
    log_path = installed.cwd / f"serve-{port}.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=installed.cwd, env=installed.env, stdout=log,
                                stderr=subprocess.STDOUT)  # fmt: skip
        try:
            wait_healthy(base, proc, log_path)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    log_text = log_path.read_text()
    assert "Traceback" not in log_text, log_text


def wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"petpixel serve exited early:\n{log.read_text()}"
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("petpixel serve did not become healthy within 60 s")


def test_petpixel_serve_sells_and_serves_a_game(
    installed: Installed, served: str, cat_jpeg: bytes
) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        home = client.get("/")  # web templates from the wheel
        assert home.status_code == 200
        assert client.get("/static/app.css").status_code == 200
        game = buy(client, cat_jpeg)
        page = client.get(f"/g/{game['code']}")
        assert page.status_code == 200
        assert "Rex" in page.text
        module = re.search(r"js/late\.[0-9a-f]+\.js", page.text)  # named in the inline code
        assert module, page.text
        assert client.get(f"/g/{game['code']}/{module[0]}").status_code == 200
    assert (Path(installed.env["PETPIXEL_DATA_DIR"]) / "petpixel.db").is_file()


def buy(client: httpx.Client, photo: bytes) -> dict[str, Any]:
    """Upload, preview, buy in free mode and wait for the built game; its status."""
    choices = {"style": "16bit", "pet_name": "Rex", "theme": "park"}
    files = {"photo": ("cat.jpg", photo, "image/jpeg")}
    upload = client.post("/api/images/upload", files=files, data=choices)
    assert upload.status_code == 201, upload.text
    image_id = upload.json()["image_id"]
    generate = client.post("/api/pixel-art/generate", json={"image_id": image_id, **choices})
    assert generate.status_code == 202, generate.text
    wait_for(
        lambda: client.get(f"/api/images/{image_id}/status").json(),
        lambda body: body["status"] == "preview_ready",
    )
    bought = client.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
    assert bought.status_code == 202, bought.text
    assert bought.json()["checkout_url"] is None  # free payments: paid at once
    game: dict[str, Any] = wait_for(
        lambda: client.get(f"/api/games/{image_id}").json(), lambda body: body["status"] == "ready"
    )
    return game


def wait_for(
    fetch: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Poll a JSON status until done(body); a failed order is reported with its reason."""
    deadline = time.monotonic() + 90
    while True:
        body = fetch()
        if done(body):
            return body
        assert body.get("status") != "failed", f"order failed: {body}"
        assert time.monotonic() < deadline, f"timed out waiting; last status {body}"
        time.sleep(0.1)
