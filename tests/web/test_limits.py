"""Request limits by kind: the global upload budget, webhooks and probes in buckets of their own,
the client address with and without a trusted proxy, a bounded memory store, Redis trouble, and
the work budget's "busy" answer."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from tests.web.conftest import LOCAL, web_client
from tests.web.test_middleware import run_async
from web.app import create_app
from web.ratelimit import MemoryBuckets, RedisBuckets, Rule, rules_for
from web.routes.health import Recent

UPLOAD = "/api/images/upload"


def _post_upload(client: TestClient, address: str) -> tuple[int, str, dict[str, str]]:
    reply = client.post(UPLOAD, content=b"x", headers={"X-Forwarded-For": address})
    code = reply.json().get("error", {}).get("code", "") if reply.content else ""
    return reply.status_code, code, dict(reply.headers)


def test_rotating_addresses_meet_the_global_upload_budget(settings: Settings) -> None:
    # Per address each may upload plenty; all of them together only three at once.
    client = web_client(settings, trust_proxy_headers=True, upload_rate_limit_burst=100,
                        global_upload_burst=3, global_upload_rate_per_minute=1)  # fmt: skip
    replies = [_post_upload(client, f"198.51.100.{i}") for i in range(8)]
    busy = [r for r in replies if r[1] == "busy"]
    assert len(busy) == 5  # the first three got through (to the route), the rest did not
    status, _, headers = busy[0]
    assert status == 503
    assert 1 <= int(headers["retry-after"]) <= 60
    assert client.get("/api/x").status_code == 404  # pages are not part of the upload budget


def test_busy_wording_is_the_work_budgets(settings: Settings) -> None:
    client = web_client(settings, global_upload_burst=1, global_upload_rate_per_minute=1)
    client.post(UPLOAD, content=b"x")
    refused = client.post(UPLOAD, content=b"x").json()["error"]
    assert refused["code"] == "busy"
    assert refused["message"] == "PetPixel is very busy right now. Please try again in 1 minute."


def test_webhooks_have_their_own_generous_bucket(settings: Settings) -> None:
    client = web_client(settings, rate_limit_burst=2, webhook_rate_limit_burst=20)
    assert [client.get("/api/x").status_code for _ in range(3)] == [404, 404, 429]
    # The page bucket is empty, yet a burst of provider deliveries is not refused by it.
    stripe = [client.post("/webhooks/stripe", content=b"{}").status_code for _ in range(10)]
    telegram = [client.post("/telegram/webhook/abc", content=b"{}").status_code for _ in range(5)]
    assert 429 not in stripe + telegram
    # ...and a webhook flood spends only its own bucket.
    flood = web_client(settings, rate_limit_burst=5, webhook_rate_limit_burst=3,
                       webhook_rate_limit_per_minute=1)  # fmt: skip
    codes = [flood.post("/webhooks/stripe", content=b"{}").status_code for _ in range(4)]
    assert codes[-1] == 429
    assert flood.get("/api/x").status_code == 404


def test_health_and_metrics_are_limited_by_a_bucket_of_their_own(settings: Settings) -> None:
    client = web_client(settings, probe_rate_limit_burst=3, probe_rate_limit_per_minute=1,
                        rate_limit_burst=100)  # fmt: skip
    codes = [client.get("/metrics").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert client.get("/health").status_code == 429  # same bucket: probes of any kind
    assert client.get("/api/x").status_code == 404  # the pages' bucket is untouched


def test_health_checks_run_at_most_once_per_freshness(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"probe_rate_limit_burst": 100}))
    with TestClient(app, raise_server_exceptions=False, client=LOCAL) as client:
        runs: list[int] = []
        app.state.resources.checks = {"database": lambda: runs.append(1)}
        app.state.probes["health"] = Recent(fresh_s=3600)  # this test's clock never moves on
        answers = [client.get("/health").json() for _ in range(20)]
    assert runs == [1]  # a flood of probes ran the database check once
    assert all(a == {"status": "ok", "checks": {"database": "ok"}} for a in answers)


def test_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(settings: Settings) -> None:
    client = web_client(settings, rate_limit_burst=1, trust_proxy_headers=False)
    first = client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.1"})
    second = client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.2"})
    assert (first.status_code, second.status_code) == (404, 429)  # one peer, one bucket


def test_behind_a_trusted_proxy_its_address_counts_not_the_clients(settings: Settings) -> None:
    client = web_client(settings, rate_limit_burst=1, trust_proxy_headers=True)
    # Two people behind the proxy: two buckets.
    assert client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 404
    assert client.get("/api/x", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 404
    # One person making up addresses before the one the proxy appended: still one bucket.
    spoofs = [f"10.9.9.{i}, 203.0.113.3" for i in range(3)]
    codes = [client.get("/api/x", headers={"X-Forwarded-For": s}).status_code for s in spoofs]
    assert codes == [404, 429, 429]


def test_request_kinds() -> None:
    assert rules_for("/api/images/upload", "POST") == ("upload", "upload_global")
    assert rules_for("/api/images/upload", "GET") == ("default",)
    assert rules_for("/webhooks/stripe", "POST") == ("webhook",)
    assert rules_for("/health", "GET") == ("probe",)
    assert rules_for("/metrics", "GET") == ("probe",)
    assert rules_for("/static/app.css", "GET") == ()
    assert rules_for("/g/Ab3xK9pQ", "GET") == ("default",)


def test_memory_buckets_stay_bounded_and_shrink_when_traffic_does() -> None:
    now = [0.0]
    buckets = MemoryBuckets(max_keys=1_000, clock=lambda: now[0])
    rule = Rule("t", rate=1.0, burst=5)  # refills in 5 s

    def take(key: str) -> float:
        return run_async(buckets.take(key, rule))

    async def many(keys: range) -> None:
        for i in keys:
            await buckets.take(f"10.0.{i // 256}.{i % 256}", rule)

    run_async(many(range(5_000)))  # 5,000 addresses at once: the least recent are evicted
    assert len(buckets) == 1_000
    now[0] += 10  # everyone's bucket has filled up again: the same as no bucket at all
    run_async(many(range(500)))  # each take drops up to two full buckets from the front
    assert len(buckets) <= 500
    assert take("10.0.0.0") == 0.0  # a bucket seen again still works


@pytest.mark.redis
def test_redis_trouble_lets_requests_through(redis_url: str) -> None:
    async def scenario() -> list[float]:
        buckets = RedisBuckets("redis://127.0.0.1:1/0", timeout_s=0.2)  # nothing listens there
        try:
            return [await buckets.take("1.2.3.4", Rule("t", rate=1.0, burst=1)) for _ in range(3)]
        finally:
            await buckets.close()

    assert run_async(scenario()) == [0.0, 0.0, 0.0]


@pytest.mark.redis
def test_the_global_upload_budget_is_shared_through_redis(
    settings: Settings, redis_url: str
) -> None:
    async def scenario() -> list[float]:
        first, second = RedisBuckets(redis_url), RedisBuckets(redis_url)
        rule = Rule(f"upload_global_{uuid.uuid4().hex}", rate=1 / 60, burst=2)
        try:  # two web processes, one budget
            return [await b.take("*", rule) for b in (first, second, first)]
        finally:
            await first.close()
            await second.close()

    waits = run_async(scenario())
    assert waits[:2] == [0.0, 0.0]
    assert waits[2] > 0


def test_the_work_budget_answers_503_busy_with_retry_after(
    settings: Settings, cat_jpeg: bytes
) -> None:
    app = create_app(settings.model_copy(update={"max_uploads_per_minute": 1}))
    photo = {"photo": ("cat.jpg", cat_jpeg, "image/jpeg")}
    with TestClient(app, raise_server_exceptions=False, client=LOCAL) as client:
        assert client.post(UPLOAD, files=photo).status_code == 201
        refused = client.post(UPLOAD, files=photo)
        page = client.post(UPLOAD, files=photo, headers={"Accept": "text/html"})
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "60"
    assert refused.json()["error"] == {
        "code": "busy",
        "message": "PetPixel is very busy right now. Please try again in 1 minute.",
    }
    assert page.status_code == 503  # an API path: JSON even when a browser asks for HTML
