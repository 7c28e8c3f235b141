"""Security headers, error shapes, body limits, rate limits and CORS, on the real app."""

from __future__ import annotations

import asyncio
import select
import socket
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from tests.web.conftest import LiveServer, web_client
from web.app import create_app
from web.ratelimit import MemoryBuckets, RedisBuckets, Rule

T = TypeVar("T")


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/health", "/does-not-exist", "/static/app.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "Traceback" not in response.text


def test_unknown_page_is_friendly_html_404(client: TestClient) -> None:
    response = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Back to the start" in response.text


def test_docs_page_allows_only_its_own_inline_script(client: TestClient) -> None:
    response = client.get("/api/docs")
    csp = response.headers["content-security-policy"]
    assert response.status_code == 200
    assert "'sha256-" in csp
    assert "unsafe-inline" not in csp
    assert client.get("/api/openapi.json").json()["info"]["title"] == "PetPixel"


def test_declared_oversized_body_is_refused_before_reading(settings: Settings) -> None:
    headers = {"Content-Length": str(5 * 1024 * 1024), "Content-Type": "application/json"}
    client = web_client(settings, max_upload_bytes=1024)
    response = client.post("/api/images/upload", content=b"x" * 100, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_streamed_oversized_body_is_cut_off(settings: Settings) -> None:
    def chunks():  # no Content-Length: only counting the stream can catch it
        for _ in range(200):
            yield b"y" * 1024

    client = web_client(settings, max_json_bytes=4096)
    response = client.post("/api/pixel-art/generate", content=chunks())
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_rate_limit_returns_429_with_retry_after(settings: Settings) -> None:
    client = web_client(settings, rate_limit_burst=3, rate_limit_per_minute=6)
    codes = [client.get("/api/nothing").status_code for _ in range(4)]
    refused = client.get("/api/nothing")
    assert client.get("/static/app.css").status_code == 200  # our own files are never limited
    assert codes[:3] == [404, 404, 404]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 10


def test_cors_only_for_configured_origins(settings: Settings) -> None:
    origin = "https://friends.example"
    client = web_client(settings, cors_origins=[origin])
    allowed = client.get("/static/app.css", headers={"Origin": origin})
    other = client.get("/static/app.css", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in other.headers


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh loop in a thread (Playwright may own this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_memory_bucket_refills_over_time() -> None:
    now = [100.0]
    buckets = MemoryBuckets(clock=lambda: now[0])
    rule = Rule("t", rate=2.0, burst=2)

    def take(key: str) -> float:
        return run_async(buckets.take(key, rule))

    assert [take("ip"), take("ip")] == [0.0, 0.0]
    assert take("ip") == pytest.approx(0.5)
    assert take("other-ip") == 0.0
    now[0] += 0.5
    assert take("ip") == 0.0


@pytest.mark.redis
def test_redis_buckets_are_shared_between_instances(redis_url: str) -> None:
    rule = Rule("shared", rate=0.5, burst=2)  # two requests in any 4 s
    client = f"client-{uuid.uuid4().hex}"  # Redis outlives test runs: a key of this run's own

    async def scenario() -> list[float]:
        first, second = RedisBuckets(redis_url), RedisBuckets(redis_url)
        try:
            # The third take sees the token the "other process" spent.
            return [
                await first.take(client, rule),
                await second.take(client, rule),
                await first.take(client, rule),
            ]
        finally:
            await first.close()
            await second.close()

    waits = run_async(scenario())
    assert waits[:2] == [0.0, 0.0]
    assert 0 < waits[2] <= rule.window_s


@pytest.mark.redis
def test_redis_backed_limit_in_the_app(settings: Settings, redis_url: str) -> None:
    # One event loop for the whole test: the async Redis client belongs to the loop it met first.
    # One token a minute: a slow machine cannot refill the bucket between the two requests.
    # Redis outlives test runs: this run's requests come from an address of their own.
    limits = {"rate_limit_burst": 1, "rate_limit_per_minute": 1, "trust_proxy_headers": True}
    me = {"X-Forwarded-For": f"client-{uuid.uuid4().hex}"}
    with web_client(settings, redis_url=redis_url, **limits) as client:
        assert client.get("/api/x", headers=me).status_code == 404
        assert client.get("/api/x", headers=me).status_code == 429


def test_live_upload_is_refused_mid_stream(settings: Settings) -> None:
    """A chunked upload with no Content-Length: the 413 arrives long before the body is sent."""
    limited = settings.model_copy(update={"max_upload_bytes": 256 * 1024})
    total, chunk = 32 * 1024 * 1024, b"z" * 65536
    with (
        LiveServer(create_app(limited), lifespan=False) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock,
    ):
        sock.sendall(
            b"POST /api/images/upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=xx\r\n\r\n"
        )
        part = (
            b'--xx\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n"
        )
        sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        sent = 0
        # Pace the sender (10 ms per chunk, the server thread shares our GIL and two busy cores):
        # a server that reads the whole body would get all 32 MB; ours answers after ~320 KB.
        while sent < total and not select.select([sock], [], [], 0.01)[0]:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:  # the server may close its side right after answering
                break
            sent += len(chunk)
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413")
    assert sent < total / 4
