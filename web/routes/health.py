"""Liveness/readiness (`/health`: database, queue, storage) and Prometheus `/metrics`.

Both are cheap whatever the request rate: each has its own per-address bucket (web/ratelimit.py)
and each answer is computed at most once a second (`Recent`), so a flood of probes costs neither
the database nor the thread pool that pages need.

`/metrics` is not public: with PETPIXEL_METRICS_TOKEN set it answers only `Authorization: Bearer
<token>` (Prometheus `authorization: {credentials: ...}`); without a token only a peer on this
machine (loopback) that came through no proxy (no forwarding headers), which suits
`petpixel serve` on a laptop. Set a token in production.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.exceptions import HTTPException

from web.deps import MetricsDep, ResourcesDep, SettingsDep
from web.resources import HealthCheck

router = APIRouter(tags=["ops"])
T = TypeVar("T")
FRESH_S = 1.0
PROXY_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")
METRICS_FORBIDDEN = (
    "Metrics need a token: send Authorization: Bearer <PETPIXEL_METRICS_TOKEN>, or ask from "
    "this machine when no token is set."
)


class Recent(Generic[T]):
    """The last value of an async computation, reused for `fresh_s`; callers arriving while it
    runs wait for that one run instead of starting their own."""

    def __init__(self, fresh_s: float = FRESH_S, clock: Callable[[], float] = time.monotonic):
        self.fresh_s, self._clock = fresh_s, clock
        self._value: tuple[float, T] | None = None
        self._lock = asyncio.Lock()

    async def get(self, compute: Callable[[], Awaitable[T]]) -> T:
        async with self._lock:
            now = self._clock()
            if self._value is None or now - self._value[0] >= self.fresh_s:
                self._value = (now, await compute())
            return self._value[1]


def recent(request: Request, name: str) -> Recent[object]:
    """This app's cache for one probe (`app.state.probes`, made by create_app)."""
    caches: dict[str, Recent[object]] = request.app.state.probes
    return caches.setdefault(name, Recent())


async def _run(check: HealthCheck) -> str:
    try:
        await asyncio.wait_for(asyncio.to_thread(check), timeout=3)
    except Exception as exc:  # the probe reports the failure instead of crashing
        return f"error: {type(exc).__name__}"
    return "ok"


@router.get("/health", summary="Health of the database, job queue and storage")
async def health(request: Request, resources: ResourcesDep) -> JSONResponse:
    async def run_checks() -> object:
        names = list(resources.checks)
        results = await asyncio.gather(*(_run(resources.checks[n]) for n in names))
        return dict(zip(names, results, strict=True))

    checks = await recent(request, "health").get(run_checks)
    assert isinstance(checks, dict)
    ok = all(result == "ok" for result in checks.values())
    body = {"status": "ok" if ok else "degraded", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})


@router.get("/metrics", summary="Prometheus metrics (token or this machine only)")
async def metrics(request: Request, metrics: MetricsDep, settings: SettingsDep) -> Response:
    if not metrics_allowed(request, settings.metrics_token):
        raise HTTPException(403, METRICS_FORBIDDEN)

    async def render() -> object:
        return await asyncio.to_thread(metrics.render)

    payload = await recent(request, "metrics").get(render)
    assert isinstance(payload, bytes)
    return Response(payload, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def metrics_allowed(request: Request, token: str | None) -> bool:
    if token:
        sent = request.headers.get("authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())
    if any(name in PROXY_HEADERS for name, _ in request.scope.get("headers", [])):
        return False  # came through a proxy: the peer address says nothing about the client
    client = request.scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:  # not an address (a test client's made-up host name)
        return False
