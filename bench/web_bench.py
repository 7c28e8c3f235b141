"""Web benchmark: play-page throughput and latency vs a plain static server, and orders per minute.

Starts `petpixel serve` (embedded defaults: SQLite, local storage, one in-process worker) in its own
process, pushes a few real orders through the JSON API (photo -> preview -> free payment -> game),
then loads the play page `/g/{code}` with an asyncio/httpx client (bounded in requests and time),
and the same bundle's index.html from `python -m http.server` in the same run. Writes
bench/results/web.json. Rate limiting is off for the run (one client IP makes all the load).

    .venv/bin/python bench/web_bench.py [--orders 3] [--concurrency 16] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "web.json"


# The plain static server to compare with: the standard library's file server, threaded, with
# HTTP/1.1 keep-alive (like uvicorn) and a listen backlog that fits the load's concurrency;
# `python -m http.server` (HTTP/1.0, backlog 5) drops connections under 16 clients.
STATIC_SERVER = """
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
class Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


@contextmanager
def process(cmd: list[str], env: dict[str, str], ready_url: str, cwd: Path | None = None):
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_http(ready_url)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def cat_photo() -> bytes:
    import numpy as np
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(np.asarray(data.chelsea())).save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def poll(client: httpx.Client, url: str, status: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(url).json()
        if body["status"] == status:
            return body
        if body["status"] == "failed":
            raise RuntimeError(f"order failed: {body}")
        time.sleep(0.1)
    raise RuntimeError(f"{url} never reached {status}")


def run_orders(base: str, count: int) -> tuple[dict[str, Any], str]:
    """Submit `count` orders at once and wait for every game: one worker works through them."""
    photo = cat_photo()
    start = time.perf_counter()
    with httpx.Client(base_url=base, timeout=60) as client:
        ids = []
        for i in range(count):
            up = client.post(
                "/api/images/upload", files={"photo": ("cat.jpg", photo, "image/jpeg")}
            )
            up.raise_for_status()
            ids.append(up.json()["image_id"])
            body = {"image_id": ids[-1], "style": "16bit", "pet_name": f"Cat {i}", "seed": i}
            client.post("/api/pixel-art/generate", json=body).raise_for_status()
        games = []
        for image_id in ids:
            poll(client, f"/api/images/{image_id}/status", "preview_ready")
            client.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
        for image_id in ids:
            games.append(poll(client, f"/api/games/{image_id}", "ready"))
    seconds = time.perf_counter() - start
    summary = {
        "orders": count,
        "workers": 1,
        "seconds": round(seconds, 2),
        "orders_per_minute": round(count * 60 / seconds, 2),
    }
    return summary, games[0]["code"]


async def load(url: str, *, concurrency: int, seconds: float, max_requests: int) -> dict[str, Any]:
    """Closed loop: `concurrency` clients fetch, wait, fetch again, until time or count is up."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at and len(latencies) + errors < max_requests:
            t0 = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200 and len(response.content) > 0
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    start = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    return summarize(latencies, errors, time.perf_counter() - start)


def summarize(latencies: list[float], errors: int, elapsed: float) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(p: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)

    return {
        "requests": len(ordered),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def copy_bundle(data_dir: Path, code: str, target: Path) -> None:
    shutil.copytree(data_dir / "storage" / "games" / code, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="petpixel-bench-"))
    port, static_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PETPIXEL_DATA_DIR": str(work / "data"),
        "PETPIXEL_RATE_LIMIT_ENABLED": "false",
        "PETPIXEL_PUBLIC_URL": base,
    }
    for key in ("PETPIXEL_DATABASE_URL", "PETPIXEL_REDIS_URL"):
        env.pop(key, None)
    serve = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    load_args = {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "max_requests": args.max_requests,
    }
    with process(serve, env, f"{base}/health", cwd=ROOT):
        orders, code = run_orders(base, args.orders)
        copy_bundle(work / "data", code, work / "static")
        app = asyncio.run(load(f"{base}/g/{code}", **load_args))
        asset = first_asset(work / "static")
        app_asset = asyncio.run(load(f"{base}/g/{code}/{asset}", **load_args))
    static_cmd = [sys.executable, "-c", STATIC_SERVER, str(static_port)]
    static_base = f"http://127.0.0.1:{static_port}"
    with process(static_cmd, env, f"{static_base}/index.html", cwd=work / "static"):
        static = asyncio.run(load(f"{static_base}/index.html", **load_args))
        static_asset = asyncio.run(load(f"{static_base}/{asset}", **load_args))
    shutil.rmtree(work, ignore_errors=True)
    report(orders, app, static, app_asset, static_asset, asset, args)


def first_asset(folder: Path) -> str:
    """The largest hashed file of the bundle (the sprite sheet or the engine): a typical asset."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != "index.html"]
    return max(files, key=lambda p: p.stat().st_size).relative_to(folder).as_posix()


def ratio(app: dict[str, Any], static: dict[str, Any]) -> float | None:
    """Requests per second of the app over the static server's (None when either had errors)."""
    if app["errors"] or static["errors"] or not static["rps"]:
        return None
    return round(app["rps"] / static["rps"], 2)


def report(
    orders: dict[str, Any],
    app: dict[str, Any],
    static: dict[str, Any],
    app_asset: dict[str, Any],
    static_asset: dict[str, Any],
    asset: str,
    args: argparse.Namespace,
) -> None:
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "load client, app and static server share 2 cores: compare ratios",
        },
        "load": {
            "concurrency": args.concurrency,
            "seconds": args.seconds,
            "client": "httpx asyncio",
        },
        "play_page": {
            "app": app,
            "static_server": static,
            "rps_ratio_app_over_static": ratio(app, static),
        },
        "asset": {
            "path": asset,
            "app": app_asset,
            "static_server": static_asset,
            "rps_ratio_app_over_static": ratio(app_asset, static_asset),
        },
        "orders_end_to_end": orders,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
