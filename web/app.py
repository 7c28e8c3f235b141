"""The FastAPI application: `create_app(settings)` wires middleware, routes and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from core.config import Settings
from core.orders.budget import Busy
from runtime import Runtime
from web.bodylimit import BodyLimitMiddleware
from web.caching import CachedStaticFiles
from web.errors import install_error_handlers
from web.head import HeadAsGetMiddleware
from web.metrics import Metrics, MetricsMiddleware
from web.ratelimit import Buckets, RateLimitMiddleware, new_buckets, on_busy
from web.requestid import RequestIdMiddleware
from web.resources import open_resources
from web.routes import ROUTERS
from web.routes import stripe as stripe_routes
from web.routes import telegram as telegram_routes
from web.routes.play import LiveCodes
from web.security import SecurityHeadersMiddleware, page_csp
from web.templating import STATIC_DIR

API_DESCRIPTION = (
    "Upload a pet photo, turn it into an animated pixel-art sprite, and build a playable "
    'platformer. Errors are always `{"error": {"code", "message"}}`.'
)


# Something that runs beside the web app over its runtime (a chat bot), started after the
# runtime opens and stopped before it closes; what it yields is `app.state.<name>`.
Companion = Callable[[Runtime], AbstractAsyncContextManager[object]]


def create_app(settings: Settings, *, companions: Mapping[str, Companion] | None = None) -> FastAPI:
    """Build one app for these settings; resources open in the lifespan and close after it."""
    metrics = Metrics()
    buckets = new_buckets(settings)
    extra = dict(companions or {})

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_resources(settings, metrics=metrics) as resources:
            app.state.resources = resources
            try:
                async with AsyncExitStack() as running:
                    for name, start in extra.items():
                        setattr(
                            app.state,
                            name,
                            await running.enter_async_context(start(resources.runtime)),
                        )
                    yield
            finally:
                for name in extra:
                    setattr(app.state, name, None)
                await buckets.close()

    app = FastAPI(
        title="PetPixel",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by web.routes.docs with a CSP that fits its one inline script
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.live_codes = LiveCodes()  # which games' files may be served (web/routes/play.py)
    app.state.probes = {}  # /health and /metrics answers, reused for a second (routes/health.py)
    install_error_handlers(app)
    app.add_exception_handler(Busy, on_busy)  # 503 + Retry-After: the work budget is spent
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(stripe_routes.router)
    app.include_router(telegram_routes.router)
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    _add_middleware(app, settings, metrics, buckets)
    return app


def _add_middleware(app: FastAPI, settings: Settings, metrics: Metrics, buckets: Buckets) -> None:
    # Added innermost first: the outer layers (metrics, request ids) see every response, 429s and
    # 413s too.
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    if settings.rate_limit_enabled:
        app.add_middleware(RateLimitMiddleware, settings=settings, buckets=buckets)
    if settings.cors_origins:
        # Outside the rate limiter so a browser can read a cross-origin 429 too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    # Images, zips and event streams are left as they are (starlette's default exclusions).
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(HeadAsGetMiddleware)  # outside gzip: HEAD gets GET's exact headers
    app.add_middleware(SecurityHeadersMiddleware, csp=page_csp(settings))
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)  # outermost: every response and log line has its id
