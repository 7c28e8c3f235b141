"""Prometheus metrics in a registry per app (tests build many apps; no global state)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CountsFn = Callable[[], Mapping[str, int]]


class _StatusCollector(Collector):
    """Reads counts at scrape time, so the numbers come from the database, not this process."""

    def __init__(self, name: str, doc: str, label: str, counts: CountsFn) -> None:
        self.name, self.doc, self.label, self.counts = name, doc, label, counts

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(self.name, self.doc, labels=[self.label])
        try:
            counts = self.counts()
        except Exception:  # a scrape must not fail because the database blinked
            counts = {}
        for key, value in sorted(counts.items()):
            family.add_metric([key], value)
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._watched: dict[str, _StatusCollector] = {}
        self.requests = Counter(
            "petpixel_http_requests_total",
            "HTTP requests by route template",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "petpixel_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.jobs = Counter(
            "petpixel_jobs_enqueued_total",
            "Jobs enqueued by the web app",
            ["kind"],
            registry=self.registry,
        )

    def watch(self, name: str, doc: str, label: str, counts: CountsFn) -> None:
        """Report `counts()` at each scrape; a second lifespan of one app replaces the first."""
        old = self._watched.pop(name, None)
        if old is not None:
            self.registry.unregister(old)
        self._watched[name] = _StatusCollector(name, doc, label, counts)
        self.registry.register(self._watched[name])

    def render(self) -> bytes:
        return generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    # The template ("/g/{code}"), never the raw path: codes and ids would explode the label set.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        start = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = route_template(scope)
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(time.perf_counter() - start)
