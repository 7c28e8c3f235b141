"""Liveness/readiness (`/health`: database, queue, storage) and Prometheus `/metrics`."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from web.deps import MetricsDep, ResourcesDep
from web.resources import HealthCheck

router = APIRouter(tags=["ops"])


async def _run(check: HealthCheck) -> str:
    try:
        await asyncio.wait_for(asyncio.to_thread(check), timeout=3)
    except Exception as exc:  # the probe reports the failure instead of crashing
        return f"error: {type(exc).__name__}"
    return "ok"


@router.get("/health", summary="Health of the database, job queue and storage")
async def health(resources: ResourcesDep) -> JSONResponse:
    names = list(resources.checks)
    results = await asyncio.gather(*(_run(resources.checks[n]) for n in names))
    checks = dict(zip(names, results, strict=True))
    ok = all(result == "ok" for result in results)
    body = {"status": "ok" if ok else "degraded", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(metrics: MetricsDep) -> Response:
    payload = await asyncio.to_thread(metrics.render)
    return Response(payload, media_type=CONTENT_TYPE_LATEST)
