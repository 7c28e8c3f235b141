"""Load benchmark: orders per minute, time per order, play-page latency under load, peak memory.

Two shapes, each started fresh in its own processes:
- embedded: one `petpixel serve` (SQLite, local files, the in-process worker thread);
- production: PostgreSQL (127.0.0.1:5432, a fresh database) + Redis (127.0.0.1:6379, a leased
  database number, as the test suite leases them) + `petpixel serve` + a separate
  `petpixel worker --concurrency W` (prefork), sharing the local storage directory.

One warm-up order (models load, the play page's game exists), then `--orders` orders through the
JSON API by `--clients` concurrent buyers (upload -> preview -> free game -> ready, polling status
every `--poll` s, as the order page does). Meanwhile the play page /g/<code> is fetched at a
steady `--play-rps` (open loop: a slow answer does not slow the load), and the RSS of the web
process and of every worker process is sampled every 0.25 s. The play page is also timed idle
first, for comparison. Per-address limits are off (one client address makes all the load); the
upload budgets are raised so they do not bind; the jobs-in-flight cap keeps its default.
Writes bench/results/load.json.

    .venv/bin/python bench/load.py [--orders 30] [--clients 10] [--workers 2] [--shape both]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import cat_photo, free_port, summarize, wait_http

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
PG, REDIS = ("127.0.0.1", 5432), ("127.0.0.1", 6379)
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- processes and their memory -------------------------------------------------------------


def rss_mb(pid: int) -> float:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * PAGE / 2**20


def family(pid: int) -> list[int]:
    """`pid` and its descendants (a prefork worker's pool processes)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


class Memory:
    """Samples the summed RSS of each role's processes (with their children) every 0.25 s."""

    def __init__(self, roles: dict[str, int]) -> None:
        self.roles, self.peak = roles, dict.fromkeys(roles, 0.0)
        self.last = dict.fromkeys(roles, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.sample()

    def sample(self) -> None:
        for role, pid in self.roles.items():
            self.last[role] = sum(rss_mb(p) for p in family(pid))
            self.peak[role] = max(self.peak[role], self.last[role])

    def __enter__(self) -> Memory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def report(self) -> dict[str, Any]:
        return {
            f"{role}_{what}_mb": round(values[role], 1)
            for role in self.roles
            for what, values in (("peak", self.peak), ("after", self.last))
        }


@contextlib.contextmanager
def started(cmd: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def petpixel(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


def base_env(work: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PETPIXEL_")}
    return {
        **env,
        "PETPIXEL_DATA_DIR": str(work / "data"),
        "PETPIXEL_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PETPIXEL_PAYMENTS_BACKEND": "free",
        "PETPIXEL_RATE_LIMIT_ENABLED": "false",
        "PETPIXEL_GLOBAL_UPLOAD_RATE_PER_MINUTE": "100000",
        "PETPIXEL_GLOBAL_UPLOAD_BURST": "100000",
        "PETPIXEL_MAX_UPLOADS_PER_MINUTE": "100000",
    }


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"petpixel_load_{uuid.uuid4().hex[:10]}"
    admin = f"host={PG[0]} port={PG[1]} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG[0]}:{PG[1]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database number leased the way the test suite leases them (tests/conftest.py)."""
    import redis

    token, leases = uuid.uuid4().hex, redis.Redis(host=REDIS[0], port=REDIS[1], db=0)
    number = next(
        (
            n
            for n in range(1, 16)
            if leases.set(f"petpixel:test-lease:{n}", token, nx=True, ex=3600)
        ),
        None,
    )
    if number is None:
        raise RuntimeError("every Redis database 1-15 is leased by a test session")
    url = f"redis://{REDIS[0]}:{REDIS[1]}/{number}"
    redis.Redis.from_url(url).flushdb()
    try:
        yield url
    finally:
        redis.Redis.from_url(url).flushdb()
        if leases.get(f"petpixel:test-lease:{number}") == token.encode():
            leases.delete(f"petpixel:test-lease:{number}")


# --- the load ----------------------------------------------------------------------------------


class Buyer:
    """One order through the JSON API, as the order page makes it."""

    def __init__(self, client: httpx.AsyncClient, photo: bytes, poll: float) -> None:
        self.client, self.photo, self.poll = client, photo, poll
        self.retries = 0

    async def call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        for _ in range(30):
            try:
                response = await self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:  # kept as a failed order, saying where
                raise RuntimeError(f"{method} {url.split('/')[2]}: {exc!r}") from exc
            if response.status_code not in (429, 503):
                response.raise_for_status()
                return response.json()  # type: ignore[no-any-return]
            self.retries += 1  # a limit or the busy budget: wait as told, then again
            await asyncio.sleep(min(float(response.headers.get("Retry-After", 1)), 5.0))
        raise RuntimeError(f"{url} stayed busy")

    async def until(self, url: str, status: str) -> dict[str, Any]:
        while True:
            body = await self.call("GET", url)
            if body["status"] == status:
                return body
            if body["status"] == "failed":
                raise RuntimeError(f"order failed: {body}")
            await asyncio.sleep(self.poll)

    async def order(self, n: int) -> tuple[float, str]:
        """Seconds from upload to a ready game, and the game's code."""
        t0 = time.perf_counter()
        files = {"photo": ("cat.jpg", self.photo, "image/jpeg")}
        image = (await self.call("POST", "/api/images/upload", files=files))["image_id"]
        body = {"image_id": image, "style": "16bit", "pet_name": f"Cat {n}", "seed": n}
        await self.call("POST", "/api/pixel-art/generate", json=body)
        await self.until(f"/api/images/{image}/status", "preview_ready")
        await self.call("POST", "/api/games/create", json={"image_id": image, "package": "classic"})
        game = await self.until(f"/api/games/{image}", "ready")
        return time.perf_counter() - t0, str(game["code"])


async def play_load(url: str, rps: float, stop: asyncio.Event) -> dict[str, Any]:
    """GET `url` at a steady `rps` until `stop`; latency of each (open loop)."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)

    async def one(client: httpx.AsyncClient) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        try:
            response = await client.get(url)
            if response.status_code == 200 and response.content:
                latencies.append(time.perf_counter() - t0)
                return
        except httpx.HTTPError:
            pass
        errors += 1

    start = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        tasks: list[asyncio.Task[None]] = []
        n = 0
        while not stop.is_set():
            tasks.append(asyncio.create_task(one(client)))
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, start + n / rps - time.perf_counter()))
        await asyncio.gather(*tasks)
    return summarize(latencies, errors, time.perf_counter() - start)


async def run_load(base: str, args: argparse.Namespace) -> dict[str, Any]:
    photo = cat_photo()
    timeout = httpx.Timeout(60)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        warm = Buyer(client, photo, args.poll)
        warm_s, code = await warm.order(0)
        play_url = f"{base}/g/{code}"
        idle = await play_load(play_url, args.play_rps, _after(args.idle_seconds))
        buyers = [Buyer(client, photo, args.poll) for _ in range(args.clients)]
        queue = list(range(1, args.orders + 1))
        done: list[float] = []
        failed: list[str] = []
        stop = asyncio.Event()

        async def buyer_loop(buyer: Buyer) -> None:
            while queue:
                try:
                    seconds, _code = await buyer.order(queue.pop(0))
                except (httpx.HTTPError, RuntimeError) as exc:
                    failed.append(repr(exc)[:200])
                    continue
                done.append(seconds)

        start = time.perf_counter()
        play = asyncio.create_task(play_load(play_url, args.play_rps, stop))
        await asyncio.gather(*(buyer_loop(b) for b in buyers))
        wall = time.perf_counter() - start
        stop.set()
        busy = await play
    return {
        "warm_up_order_s": round(warm_s, 2),
        "orders": len(done),
        "failed": failed,
        "clients": args.clients,
        "seconds": round(wall, 2),
        "orders_per_minute": round(len(done) * 60 / wall, 1),
        "order_s": percentiles(done),
        "busy_or_limited_retries": sum(b.retries for b in buyers),
        "play_page_idle": idle,
        "play_page_under_load": busy,
    }


def _after(seconds: float) -> asyncio.Event:
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, event.set)
    return event


def percentiles(values: list[float]) -> dict[str, float | None]:
    ordered = sorted(values)

    def pct(p: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2) if ordered else None

    return {"p50": pct(0.5), "p99": pct(0.99), "max": round(ordered[-1], 2) if ordered else None}


# --- the two shapes ----------------------------------------------------------------------------


def embedded(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    port = free_port()
    env = base_env(work, port)
    base = f"http://127.0.0.1:{port}"
    with started(petpixel("serve", "--port", str(port)), env, work / "serve.log") as web:
        wait_http(f"{base}/health")
        with Memory({"web_and_worker": web.pid}) as memory:
            result = asyncio.run(run_load(base, args))
    return {
        "shape": "embedded: petpixel serve (SQLite, in-process worker)",
        **result,
        "memory": memory.report(),
    }


def production(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with postgres_database() as db_url, redis_database() as redis_url:
        env = {
            **base_env(work, port),
            "PETPIXEL_DATABASE_URL": db_url,
            "PETPIXEL_REDIS_URL": redis_url,
        }
        subprocess.run(
            petpixel("db", "upgrade"), env=env, cwd=ROOT, check=True, capture_output=True
        )
        worker_cmd = petpixel("worker", "--concurrency", str(args.workers), "--loglevel", "WARNING")
        with (
            started(worker_cmd, env, work / "worker.log") as worker,
            started(petpixel("serve", "--port", str(port)), env, work / "serve.log") as web,
        ):
            wait_http(f"{base}/health")
            with Memory({"web": web.pid, "workers": worker.pid}) as memory:
                result = asyncio.run(run_load(base, args))
    shape = (
        f"production: PostgreSQL + Redis + petpixel serve + petpixel worker "
        f"--concurrency {args.workers} (prefork)"
    )
    return {"shape": shape, **result, "memory": memory.report()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--clients", type=int, default=10, help="concurrent buyers")
    parser.add_argument("--workers", type=int, default=2, help="production worker processes")
    parser.add_argument("--poll", type=float, default=0.5, help="status poll interval (s)")
    parser.add_argument("--play-rps", type=float, default=20.0, help="play-page requests/s")
    parser.add_argument("--idle-seconds", type=float, default=5.0, help="idle play-page timing")
    parser.add_argument("--shape", choices=("embedded", "production", "both"), default="both")
    args = parser.parse_args()

    runs = []
    for shape, run in (("embedded", embedded), ("production", production)):
        if args.shape in (shape, "both"):
            work = Path(tempfile.mkdtemp(prefix=f"petpixel-load-{shape}-"))
            try:
                runs.append(run(args, work))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            print(json.dumps(runs[-1], indent=2), flush=True)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "note": "load client, web, workers, PostgreSQL and Redis share these cores",
        },
        "settings": {
            "orders": args.orders,
            "clients": args.clients,
            "poll_s": args.poll,
            "play_rps": args.play_rps,
            "package": "classic",
            "style": "16bit",
        },
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
