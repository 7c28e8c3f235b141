"""Lighthouse (mobile) accessibility scores for /, /o/<token> and /g/<code> with Debian Chromium.

Lighthouse comes from npm, pinned, into a cache outside the repo (`npm install --prefix`, no
scripts); it runs offline against `petpixel serve` (embedded defaults) after one real order made
through the JSON API. Writes bench/results/lighthouse.json (scores and every failed audit).

    .venv/bin/python bench/lighthouse_bench.py [--categories accessibility,best-practices]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import ROOT, cat_photo, free_port, poll, process

LIGHTHOUSE = "lighthouse@12.8.2"
CACHE = Path(
    os.environ.get("PETPIXEL_LIGHTHOUSE_DIR", Path.home() / ".cache" / "petpixel-lighthouse")
)
CHROMIUM = os.environ.get("PETPIXEL_CHROMIUM", "/usr/bin/chromium")
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"


def lighthouse_bin() -> Path:
    """The pinned Lighthouse CLI, installed into the cache on first use."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("Lighthouse needs the npm client (Node.js), which is not on PATH.")
        cmd = [
            npm,
            "install",
            "--prefix",
            str(CACHE),
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
        ]
        subprocess.run([*cmd, LIGHTHOUSE], check=True)
    return binary


def one_order(base: str) -> tuple[str, str]:
    """A finished free order: its private order page and its game page."""
    with httpx.Client(base_url=base, timeout=60) as client:
        files = {"photo": ("cat.jpg", cat_photo(), "image/jpeg")}
        up = client.post("/api/images/upload", files=files, data={"pet_name": "Biscuit"}).json()
        body = {"image_id": up["image_id"], "style": "16bit"}
        client.post("/api/pixel-art/generate", json=body).raise_for_status()
        poll(client, f"/api/images/{up['image_id']}/status", "preview_ready")
        body = {"image_id": up["image_id"], "package": "classic"}
        client.post("/api/games/create", json=body).raise_for_status()
        game = poll(client, f"/api/games/{up['image_id']}", "ready")
    return up["order_url"], f"/g/{game['code']}"


def audit(binary: Path, url: str, categories: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [str(binary), url, f"--only-categories={categories}", f"--chrome-flags={FLAGS}",
               "--output=json", f"--output-path={out}", "--quiet"]  # fmt: skip
        subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=180)
        report = json.loads(out.read_text())
    scores = {name: round(cat["score"] * 100) for name, cat in report["categories"].items()}
    failed = sorted(
        key for key, item in report["audits"].items()
        if item.get("score") is not None and item["score"] < 1
        and item.get("scoreDisplayMode") in ("binary", "numeric")
    )  # fmt: skip
    return {"scores": scores, "failed_audits": failed, "lighthouse": report["lighthouseVersion"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--categories", default="accessibility")
    args = parser.parse_args()
    binary = lighthouse_bin()
    work = Path(tempfile.mkdtemp(prefix="petpixel-lighthouse-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PETPIXEL_DATA_DIR": str(work / "data"), "PETPIXEL_PUBLIC_URL": base}
    for key in ("PETPIXEL_DATABASE_URL", "PETPIXEL_REDIS_URL"):
        env.pop(key, None)
    serve = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    with process(serve, env, f"{base}/health", cwd=ROOT):
        order_page, game_page = one_order(base)
        pages = {"/": "/", "/o/": order_page, "/g/": game_page}
        results = {
            name: audit(binary, base + path, args.categories) for name, path in pages.items()
        }
    shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps({"form_factor": "mobile", "pages": results}, indent=2) + "\n")
    for name, result in results.items():
        print(f"{name:4} {result['scores']} failed: {', '.join(result['failed_audits']) or '-'}")


if __name__ == "__main__":
    main()
