"""Soak benchmark: mixed traffic for `--minutes` (10 by default); does memory stay flat?

The production shape, started fresh (as bench/load.py starts it): PostgreSQL (a fresh database),
Redis (a leased database number), `petpixel serve` and `petpixel worker --concurrency W --beat`
(the sweeper runs too), sharing the local storage directory. `--shape embedded` soaks one
`petpixel serve` instead.

The traffic, all at once, for the whole run: `--buyers` people ordering one after another through
the JSON API (upload -> preview -> then, in turn: buy classic; restyle and buy classic; buy deluxe;
walk away after the preview), play-page readers at `--play-rps` over every game made so far (page
and one bundle file), `/health` every second, and a stream of bad requests (unknown codes, a
non-image upload). The RSS of the web process and of the worker processes (with their pool
children) is sampled every second.

Flat means: after the warm-up (the first fifth of the run, at least 30 s: models load, pools fill),
the least-squares slope of each role's RSS is under `--flat-mb-per-min` and the last minute's median
is within `--flat-growth-mb` of the first post-warm-up minute's. Writes bench/results/soak.json.

    .venv/bin/python bench/soak.py [--minutes 10] [--buyers 3] [--workers 2] [--shape production]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (
    ROOT,
    Buyer,
    base_env,
    family,
    percentiles,
    petpixel,
    postgres_database,
    redis_database,
    rss_mb,
    started,
)
from web_bench import cat_photo, free_port, wait_http

RESULTS = ROOT / "bench" / "results" / "soak.json"
ASSET = re.compile(r'(?:src|href)="(?:\./)?([\w/-]+\.[0-9a-f]{10}\.(?:js|css|png|json))"')


class Sampler:
    """RSS of each role's processes (with their children), once a second, kept as a series."""

    def __init__(self, roles: dict[str, int]) -> None:
        self.roles = roles
        self.series: dict[str, list[tuple[float, float]]] = {role: [] for role in roles}
        self._t0 = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            at = time.monotonic() - self._t0
            for role, pid in self.roles.items():
                self.series[role].append((at, sum(rss_mb(p) for p in family(pid))))


def flatness(series: list[tuple[float, float]], warm_up_s: float) -> dict[str, Any]:
    """Growth after the warm-up: least-squares slope and first-minute vs last-minute medians."""
    steady = [(t, mb) for t, mb in series if t >= warm_up_s]
    if len(steady) < 10:
        return {"samples": len(steady)}
    times, mbs = zip(*steady, strict=True)
    slope = statistics.linear_regression(times, mbs).slope * 60
    first = [mb for t, mb in steady if t < steady[0][0] + 60]
    last = [mb for t, mb in steady if t > steady[-1][0] - 60]
    return {
        "samples": len(steady),
        "warm_up_mb": round(series[0][1], 1) if series else None,
        "first_minute_median_mb": round(statistics.median(first), 1),
        "last_minute_median_mb": round(statistics.median(last), 1),
        "growth_mb": round(statistics.median(last) - statistics.median(first), 1),
        "slope_mb_per_min": round(slope, 2),
        "peak_mb": round(max(mbs), 1),
    }


def thin(series: list[tuple[float, float]], every_s: float = 10.0) -> list[list[float]]:
    """One sample per `every_s` seconds, for the JSON."""
    out, next_at = [], 0.0
    for t, mb in series:
        if t >= next_at:
            out.append([round(t, 1), round(mb, 1)])
            next_at = t + every_s
    return out


# --- the traffic -------------------------------------------------------------------------------


class Traffic:
    """Counts of what was sent and how it went, shared by every kind of client."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.orders: dict[str, int] = {}
        self.order_s: list[float] = []
        self.failed: list[str] = []
        self.play_s: list[float] = []
        self.answers: dict[str, int] = {}

    def count(self, what: str, response: httpx.Response | None) -> None:
        key = f"{what} {response.status_code if response is not None else 'error'}"
        self.answers[key] = self.answers.get(key, 0) + 1


PLANS = ("classic", "restyle", "deluxe", "walk_away")


async def buyer(client: httpx.AsyncClient, traffic: Traffic, n0: int, stop: asyncio.Event) -> None:
    """Orders one after another, each following the next plan in turn, until `stop`."""
    photo = cat_photo()
    person = Buyer(client, photo, poll=0.5)
    for n, plan in zip(itertools.count(n0, 100), itertools.cycle(PLANS), strict=False):
        if stop.is_set():
            return
        t0 = time.perf_counter()
        try:
            code = await _order(person, n, plan)
        except (httpx.HTTPError, RuntimeError) as exc:
            traffic.failed.append(f"{plan}: {exc!r}"[:200])
            continue
        traffic.orders[plan] = traffic.orders.get(plan, 0) + 1
        if code:
            traffic.codes.append(code)
            traffic.order_s.append(time.perf_counter() - t0)


async def _order(person: Buyer, n: int, plan: str) -> str | None:
    files = {"photo": ("cat.jpg", person.photo, "image/jpeg")}
    image = (await person.call("POST", "/api/images/upload", files=files))["image_id"]
    body = {"image_id": image, "style": "16bit", "pet_name": f"Soak {n}", "seed": n}
    await person.call("POST", "/api/pixel-art/generate", json=body)
    await person.until(f"/api/images/{image}/status", "preview_ready")
    if plan == "walk_away":
        return None  # an abandoned draft: the sweeper's expiry takes it later
    if plan == "restyle":
        await person.call("POST", "/api/pixel-art/customize", json={**body, "style": "gameboy"})
        await person.until(f"/api/images/{image}/status", "preview_ready")
    package = "deluxe" if plan == "deluxe" else "classic"
    await person.call("POST", "/api/games/create", json={"image_id": image, "package": package})
    game = await person.until(f"/api/games/{image}", "ready")
    return str(game["code"])


async def readers(base: str, traffic: Traffic, rps: float, stop: asyncio.Event) -> None:
    """Play pages (and one bundle file each) of the games made so far, at a steady rate."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        pending: set[asyncio.Task[None]] = set()
        start, n = time.perf_counter(), 0
        while not stop.is_set():
            if traffic.codes:
                code = random.choice(traffic.codes)
                task = asyncio.create_task(_read(client, traffic, code))
                pending.add(task)
                task.add_done_callback(pending.discard)
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, start + n / rps - time.perf_counter()))
        await asyncio.gather(*pending)


async def _read(client: httpx.AsyncClient, traffic: Traffic, code: str) -> None:
    t0 = time.perf_counter()
    try:
        page = await client.get(f"/g/{code}")
        traffic.count("play", page)
        if page.status_code == 200:
            traffic.play_s.append(time.perf_counter() - t0)
            if found := ASSET.search(page.text):  # one bundle file the page names
                traffic.count("game file", await client.get(f"/g/{code}/{found[1]}"))
    except httpx.HTTPError:
        traffic.count("play", None)


async def probes(base: str, traffic: Traffic, stop: asyncio.Event) -> None:
    """/health every second, and bad requests: unknown codes and tokens, a non-image upload."""
    bad_photo = {"photo": ("cat.jpg", b"this is not a photo", "image/jpeg")}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for n in itertools.count():
            if stop.is_set():
                return
            with contextlib.suppress(httpx.HTTPError):
                traffic.count("health", await client.get("/health"))
                traffic.count("unknown game", await client.get(f"/g/nope{n % 97:04d}"))
                traffic.count("unknown order", await client.get(f"/api/images/x{n}/status"))
                if n % 5 == 0:
                    traffic.count("bad upload", await client.post("/api/images/upload",
                                                                  files=bad_photo))  # fmt: skip
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)


async def soak(base: str, args: argparse.Namespace) -> Traffic:
    traffic = Traffic()
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(args.minutes * 60, stop.set)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        await asyncio.gather(
            *(buyer(client, traffic, i, stop) for i in range(args.buyers)),
            readers(base, traffic, args.play_rps, stop),
            probes(base, traffic, stop),
        )
    return traffic


# --- the shapes --------------------------------------------------------------------------------


@contextlib.contextmanager
def production_stack(args: argparse.Namespace, work: Path, port: int) -> Iterator[dict[str, int]]:
    with postgres_database() as db_url, redis_database() as redis_url:
        env = {**base_env(work, port), "PETPIXEL_DATABASE_URL": db_url,
               "PETPIXEL_REDIS_URL": redis_url}  # fmt: skip
        subprocess.run(petpixel("db", "upgrade"), env=env, cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        worker_cmd = petpixel("worker", "--concurrency", str(args.workers), "--loglevel",
                              "WARNING", "--beat")  # fmt: skip
        (work / "data").mkdir(parents=True, exist_ok=True)
        with (
            started(worker_cmd, env, work / "worker.log") as worker,
            started(petpixel("serve", "--port", str(port)), env, work / "serve.log") as web,
        ):
            yield {"web": web.pid, "workers": worker.pid}


@contextlib.contextmanager
def embedded_stack(args: argparse.Namespace, work: Path, port: int) -> Iterator[dict[str, int]]:
    del args
    with started(petpixel("serve", "--port", str(port)), base_env(work, port),
                 work / "serve.log") as web:  # fmt: skip
        yield {"web_and_worker": web.pid}


def run(args: argparse.Namespace, shape: str, work: Path) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stack = production_stack if shape == "production" else embedded_stack
    with stack(args, work, port) as roles:
        wait_http(f"{base}/health")
        with Sampler(roles) as sampler:
            traffic = asyncio.run(soak(base, args))
    warm_up_s = max(30.0, args.minutes * 60 / 5)
    memory = {role: flatness(series, warm_up_s) for role, series in sampler.series.items()}
    flat = all(
        abs(m.get("slope_mb_per_min", 0)) < args.flat_mb_per_min
        and abs(m.get("growth_mb", 0)) < args.flat_growth_mb
        for m in memory.values()
    )
    return {
        "shape": shape,
        "minutes": args.minutes,
        "orders": traffic.orders,
        "games": len(traffic.codes),
        "orders_failed": traffic.failed[:20],
        "order_s": percentiles(traffic.order_s),
        "play_page_s": percentiles(traffic.play_s),
        "answers": dict(sorted(traffic.answers.items())),
        "memory_flat": flat,
        "memory": memory,
        "memory_series_mb": {role: thin(series) for role, series in sampler.series.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--buyers", type=int, default=3, help="people ordering at once")
    parser.add_argument("--workers", type=int, default=2, help="production worker processes")
    parser.add_argument("--play-rps", type=float, default=10.0, help="play-page reads a second")
    parser.add_argument("--shape", choices=("production", "embedded", "both"), default="production")
    parser.add_argument("--flat-mb-per-min", type=float, default=2.0)
    parser.add_argument("--flat-growth-mb", type=float, default=25.0)
    args = parser.parse_args()

    runs = []
    for shape in ("production", "embedded"):
        if args.shape in (shape, "both"):
            work = Path(tempfile.mkdtemp(prefix=f"petpixel-soak-{shape}-"))
            try:
                runs.append(run(args, shape, work))
            finally:
                shutil.rmtree(work, ignore_errors=True)
            summary = {k: v for k, v in runs[-1].items() if k != "memory_series_mb"}
            print(json.dumps(summary, indent=2), flush=True)
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "note": "traffic, web, workers, PostgreSQL and Redis share these cores",
        },
        "settings": dict(vars(args)),
        "runs": runs,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
