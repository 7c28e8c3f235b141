"""Request limits: per client address, per kind of request, and one global upload budget.

Kinds (`rules_from`): pages and API calls (`default`), photo uploads (`upload`, tighter: each can
start a pipeline run), the Stripe and Telegram webhooks (`webhook`, their own generous bucket so a
burst of provider retries never meets the page limits), `/health` and `/metrics` (`probe`, cheap
and separate). On top, every upload from everyone spends one token of `upload_global`: past it the
answer is 503 "busy, try again in N minutes" (core.orders.budget's wording), not a 429.

Two stores: in memory (`MemoryBuckets`: token buckets for one process, bounded, least recently
seen address evicted first, O(1) a request), or Redis when PETPIXEL_REDIS_URL is set
(`RedisBuckets`: the `limits` library's sliding window counter, shared by every web process). A
rule allows `burst` requests in any `burst / rate` seconds, so both stores hold the same sustained
rate and burst. Redis trouble lets requests through (logged) rather than refusing everyone.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from core.config import Settings
from core.orders.budget import Busy, busy_message
from core.telegram_webhook import PREFIX as TELEGRAM_WEBHOOK
from web.errors import error_response, json_error_response

log = logging.getLogger("petpixel.web")
GLOBAL = "*"  # the key of a rule that counts everyone together


@dataclass(frozen=True)
class Rule:
    """Sustained rate (tokens a second) and bucket size (the burst allowed at once)."""

    name: str
    rate: float
    burst: int

    @property
    def window_s(self) -> float:
        """How long an empty bucket takes to fill again."""
        return self.burst / self.rate


class Buckets(Protocol):
    async def take(self, key: str, rule: Rule) -> float:
        """Spend one token; return 0 when allowed, else the seconds until one is available."""
        ...

    async def close(self) -> None: ...


class MemoryBuckets:
    """Token buckets in an insertion-ordered dict, for `petpixel serve` and one web process.

    Each take moves its bucket to the end, so the front holds the least recently seen: past
    `max_keys` the front is evicted, and a couple of front buckets that have filled up again
    (the same as no bucket) are dropped on every take, so memory shrinks when traffic does.
    """

    def __init__(
        self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_keys = max_keys
        self._clock = clock
        # key -> (tokens, last take, seconds to refill)
        self._state: OrderedDict[str, tuple[float, float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._state)

    async def take(self, key: str, rule: Rule) -> float:
        now = self._clock()
        key = f"{rule.name}:{key}"
        tokens, last, _ = self._state.pop(key, (float(rule.burst), now, 0.0))
        tokens = min(float(rule.burst), tokens + (now - last) * rule.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / rule.rate
        self._state[key] = (tokens - 1 if wait == 0 else tokens, now, rule.window_s)
        self._forget(now)
        return wait

    def _forget(self, now: float) -> None:
        while len(self._state) > self.max_keys:
            self._state.popitem(last=False)
        for _ in range(2):  # amortised clean-up: at most two a request
            oldest = next(iter(self._state.items()), None)
            if oldest is None or now - oldest[1][1] < oldest[1][2]:
                return
            self._state.popitem(last=False)

    async def close(self) -> None:
        self._state.clear()


class RedisBuckets:
    """Shared limits in Redis through `limits` (sliding window counter: two counters a key)."""

    def __init__(self, url: str, prefix: str = "petpixel:rl", timeout_s: float = 0.5) -> None:
        import redis.asyncio as aioredis
        from limits.aio.storage import RedisStorage
        from limits.aio.strategies import SlidingWindowCounterRateLimiter

        # Our own pool (closed in close()), with short timeouts: a hung Redis must not hang pages.
        self._pool: Any = aioredis.ConnectionPool.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )
        pool: Any = self._pool  # `limits` types its options as scalars; it passes them on as is
        storage = RedisStorage(
            f"async+{url}", implementation="redispy", key_prefix=prefix, connection_pool=pool
        )
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    async def take(self, key: str, rule: Rule) -> float:
        from limits import RateLimitItemPerSecond

        item = RateLimitItemPerSecond(rule.burst, max(1, round(rule.window_s)), namespace=rule.name)
        try:
            if await self._limiter.hit(item, key):
                return 0.0
            stats = await self._limiter.get_window_stats(item, key)
        except Exception as exc:  # Redis restarting: let the request through, say so once a take
            log.warning("rate limit store unavailable, request allowed: %s", exc)
            return 0.0
        return max(0.5, stats.reset_time - time.time())

    async def close(self) -> None:
        await self._pool.disconnect()


def new_buckets(settings: Settings) -> Buckets:
    if settings.redis_url:
        return RedisBuckets(settings.redis_url)
    return MemoryBuckets(max_keys=settings.rate_limit_max_clients)


def rules_from(settings: Settings) -> dict[str, Rule]:
    s = settings
    rules = [
        Rule("default", s.rate_limit_per_minute / 60, s.rate_limit_burst),
        Rule("upload", s.upload_rate_limit_per_minute / 60, s.upload_rate_limit_burst),
        Rule("upload_global", s.global_upload_rate_per_minute / 60, s.global_upload_burst),
        Rule("webhook", s.webhook_rate_limit_per_minute / 60, s.webhook_rate_limit_burst),
        Rule("probe", s.probe_rate_limit_per_minute / 60, s.probe_rate_limit_burst),
        Rule("runs", s.runs_rate_limit_per_minute / 60, s.runs_rate_limit_burst),
    ]
    return {rule.name: rule for rule in rules}


# Our own static files are cheap and the pages need them: never limited.
EXEMPT_PREFIXES = ("/static/",)
PROBE_PATHS = frozenset({"/health", "/health/live", "/health/ready", "/metrics"})
WEBHOOK_PREFIXES = ("/webhooks/", TELEGRAM_WEBHOOK)
UPLOAD_PATHS = frozenset({"/api/images/upload"})
RUN_SUBMIT = re.compile(r"^/api/games/[^/]+/runs$")


def rules_for(path: str, method: str) -> tuple[str, ...]:
    """The rules a request spends a token of, in order; () when it is never limited."""
    if path.startswith(EXEMPT_PREFIXES):
        return ()
    if path in PROBE_PATHS:
        return ("probe",)
    if path.startswith(WEBHOOK_PREFIXES):
        return ("webhook",)
    if path in UPLOAD_PATHS and method == "POST":
        return ("upload", "upload_global")
    if method == "POST" and RUN_SUBMIT.match(path):  # each one is replayed: its own bucket too
        return ("default", "runs")
    return ("default",)


def client_ip(scope: Scope, trust_proxy: bool) -> str:
    """The peer's address; behind a trusted proxy, the address that proxy appended (the last in
    X-Forwarded-For): everything before it came from the client and may be made up."""
    if trust_proxy:
        forwarded = [v for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
        if forwarded:
            last: str = forwarded[-1].decode("latin-1").split(",")[-1].strip()
            if last:
                return last
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimitMiddleware:
    """429 + Retry-After once a client's bucket is empty; 503 "busy" + Retry-After once the
    global upload budget is."""

    def __init__(self, app: ASGIApp, *, settings: Settings, buckets: Buckets) -> None:
        self.app = app
        self.rules = rules_from(settings)
        self.buckets = buckets
        self.trust_proxy = settings.trust_proxy_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        names = (
            rules_for(scope.get("path", ""), scope.get("method", ""))
            if scope["type"] == "http"
            else ()
        )
        ip = client_ip(scope, self.trust_proxy) if names else ""
        for name in names:
            rule = self.rules[name]
            wait = await self.buckets.take(GLOBAL if name.endswith("_global") else ip, rule)
            if wait > 0:
                await _refusal(name, wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refusal(rule: str, wait: float) -> ASGIApp:
    seconds = max(1, math.ceil(wait))
    headers = {"Retry-After": str(seconds)}
    if rule.endswith("_global"):
        return json_error_response(503, Busy.code, busy_message(seconds), headers=headers)
    message = f"Whoa, that's a lot of requests. Please wait {seconds} s and try again."
    return json_error_response(429, "rate_limited", message, headers=headers)


async def on_busy(request: Request, exc: Exception) -> Response:
    """core's Busy (the work budget) as 503 with Retry-After, JSON or the friendly page."""
    assert isinstance(exc, Busy)
    headers = {"Retry-After": str(exc.retry_after_s)}
    return error_response(request, 503, exc.code, exc.message, headers=headers)
