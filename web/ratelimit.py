"""Per-client token buckets: in memory for one process, in Redis when several processes share."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.types import ASGIApp, Receive, Scope, Send

from core.config import Settings
from web.errors import json_error_response


@dataclass(frozen=True)
class Rule:
    """Sustained rate (tokens a second) and bucket size (the burst allowed at once)."""

    name: str
    rate: float
    burst: int


class Buckets(Protocol):
    async def take(self, key: str, rule: Rule) -> float:
        """Spend one token; return 0 when allowed, else the seconds until one is available."""
        ...

    async def close(self) -> None: ...


class MemoryBuckets:
    """Buckets in a dict: exact for one process, the default for `petpixel serve`."""

    MAX_KEYS = 50_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._state: dict[str, tuple[float, float]] = {}

    async def take(self, key: str, rule: Rule) -> float:
        now = self._clock()
        key = f"{rule.name}:{key}"
        tokens, last = self._state.get(key, (float(rule.burst), now))
        tokens = min(float(rule.burst), tokens + (now - last) * rule.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / rule.rate
        self._state[key] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._state) > self.MAX_KEYS:
            self._forget_full(now, rule)
        return wait

    def _forget_full(self, now: float, rule: Rule) -> None:
        # A bucket that has refilled is the same as no bucket: dropping it bounds memory.
        refill = rule.burst / rule.rate
        self._state = {k: v for k, v in self._state.items() if now - v[1] < refill}

    async def close(self) -> None:
        self._state.clear()


# One atomic round trip; Redis's own clock so web processes with skewed clocks agree.
_TAKE_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RedisBuckets:
    """The same buckets in Redis, shared by every web process behind a load balancer."""

    def __init__(self, url: str, prefix: str = "petpixel:rl:") -> None:
        import redis.asyncio as aioredis

        self._redis: Any = aioredis.Redis.from_url(url)
        self._script = self._redis.register_script(_TAKE_LUA)
        self._prefix = prefix

    async def take(self, key: str, rule: Rule) -> float:
        wait = await self._script(
            keys=[f"{self._prefix}{rule.name}:{key}"], args=[rule.rate, rule.burst]
        )
        return float(wait)

    async def close(self) -> None:
        await self._redis.aclose()


def new_buckets(settings: Settings) -> Buckets:
    return RedisBuckets(settings.redis_url) if settings.redis_url else MemoryBuckets()


def rules_from(settings: Settings) -> dict[str, Rule]:
    return {
        "default": Rule("default", settings.rate_limit_per_minute / 60, settings.rate_limit_burst),
        "upload": Rule(
            "upload", settings.upload_rate_limit_per_minute / 60, settings.upload_rate_limit_burst
        ),
    }


# Probes, metrics scrapes and our own static files are cheap and must never be refused.
EXEMPT_PREFIXES = ("/health", "/metrics", "/static/")
UPLOAD_PATHS = frozenset({"/api/images/upload"})


def client_ip(scope: Scope, trust_proxy: bool) -> str:
    if trust_proxy:
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                first: str = value.decode("latin-1").split(",")[0]
                return first.strip()
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RateLimitMiddleware:
    """Refuses with 429 + Retry-After once a client's bucket for this kind of request is empty."""

    def __init__(self, app: ASGIApp, *, settings: Settings, buckets: Buckets) -> None:
        self.app = app
        self.rules = rules_from(settings)
        self.buckets = buckets
        self.trust_proxy = settings.trust_proxy_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        is_upload = path in UPLOAD_PATHS and scope["method"] == "POST"
        rule = self.rules["upload" if is_upload else "default"]
        wait = await self.buckets.take(client_ip(scope, self.trust_proxy), rule)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        seconds = max(1, math.ceil(wait))
        response = json_error_response(
            429,
            "rate_limited",
            f"Whoa, that's a lot of requests. Please wait {seconds} s and try again.",
            headers={"Retry-After": str(seconds)},
        )
        await response(scope, receive, send)
