"""Liveness (`/health/live`), readiness (`/health/ready`), `/health` and Prometheus `/metrics`.

`/health/live` answers while the process serves requests and touches nothing else, so a database
blip never makes an orchestrator restart the web. `/health/ready` checks the database, the job queue
and storage (503 when one fails: take this replica out of the load balancer) and reports whether
the cutout model is installed as a detail that never fails it (without it cutouts use the classical
fallback); the first probe of each app logs that once. `/health` is the older combined answer,
kept as it was for existing monitors.

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
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.exceptions import HTTPException

from core.config import Settings
from core.images.cutout_rembg import resolve_model
from core.images.models import ModelError
from web.deps import MetricsDep, ResourcesDep, SettingsDep
from web.resources import HealthCheck, Resources

log = logging.getLogger("petpixel.web")
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


async def _checks(request: Request, resources: Resources) -> dict[str, str]:
    async def run_checks() -> object:
        names = list(resources.checks)
        results = await asyncio.gather(*(_run(resources.checks[n]) for n in names))
        return dict(zip(names, results, strict=True))

    checks = await recent(request, "health").get(run_checks)
    assert isinstance(checks, dict)
    return checks


def _answer(body: dict[str, object], ok: bool) -> JSONResponse:
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})


@router.get("/health", summary="Health of the database, job queue and storage")
async def health(request: Request, resources: ResourcesDep) -> JSONResponse:
    checks = await _checks(request, resources)
    ok = all(result == "ok" for result in checks.values())
    return _answer({"status": "ok" if ok else "degraded", "checks": checks}, ok)


@router.get("/health/live", summary="Liveness: the process answers (checks nothing else)")
async def live() -> JSONResponse:
    return _answer({"status": "ok"}, True)


@router.get("/health/ready", summary="Readiness: database, job queue, storage; model details")
async def ready(request: Request, resources: ResourcesDep) -> JSONResponse:
    checks = await _checks(request, resources)
    ok = all(result == "ok" for result in checks.values())
    models = {"cutout": cutout_model_status(resources.settings)}
    if not getattr(request.app.state, "models_logged", False):
        request.app.state.models_logged = True
        log_model_status(models["cutout"])
    body: dict[str, object] = {"status": "ok" if ok else "degraded", "checks": checks}
    body["models"] = models
    return _answer(body, ok)


def cutout_model_status(settings: Settings) -> str:
    """'installed: <name>', 'missing: <reason>' or 'not used' (cutout_backend=classical)."""
    if settings.cutout_backend == "classical":
        return "not used"
    try:
        name, path = resolve_model(settings)
    except ModelError as exc:
        return f"missing: {exc.code}"
    return f"installed: {name} ({path.name})"


def log_model_status(status: str) -> None:
    if status.startswith("missing"):
        log.warning("cutout_model_missing: %s; cutouts use the classical fallback", status)
    else:
        log.info("cutout_model: %s", status)


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
