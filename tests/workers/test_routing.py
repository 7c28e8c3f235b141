"""Job routing: senders pick the queue by job kind (core.jobs), workers pick the queues they serve.

The compose case: PETPIXEL_GPU_WORKERS on every service, PETPIXEL_MODEL_PATH only on the GPU
worker. Two real `petpixel worker` processes over real Redis, each deciding its own queues, and
the process that ran each step is read back from what the steps recorded."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from core.config import Settings
from core.jobs import LANES, TASK_BUILD, TASK_PREVIEW, TASKS, CeleryJobs, queue_for
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.payments import FreePayments
from core.storage import new_storage
from tests.orders.fixtures import wait_for
from tests.workers.helpers import open_db, order_with_photo, status_of, worker_process
from workers.celery_app import create_celery, unserved_warning, worker_queues
from workers.embedded import EmbeddedWorker

ON = Settings(gpu_workers=True)
OFF = Settings(gpu_workers=False)


def test_one_table_routes_each_job_kind() -> None:
    assert LANES == {"preview": "gpu", "build": "cpu", "hd_build": "gpu"}
    assert TASKS == {"preview": TASK_PREVIEW, "build": TASK_BUILD, "hd_build": TASK_BUILD}
    assert {kind: queue_for(ON, kind) for kind in LANES} == {
        "preview": "gpu", "build": "petpixel", "hd_build": "gpu"
    }  # fmt: skip


def test_without_gpu_workers_every_job_stays_on_the_default_queue(tmp_path: Path) -> None:
    # A sender that holds a model path decides nothing by it: only gpu_workers moves jobs.
    sender = OFF.model_copy(update={"model_path": tmp_path})
    assert {queue_for(sender, kind) for kind in LANES} == {"petpixel"}
    assert Settings().gpu_workers is False  # the embedded default never strands a job


def test_workers_choose_their_queues_from_their_own_settings(tmp_path: Path) -> None:
    model = {"model_path": tmp_path}
    assert worker_queues(ON.model_copy(update=model)) == ["gpu"]  # the compose gpu-worker
    assert worker_queues(ON) == ["petpixel"]  # the compose worker
    assert worker_queues(OFF.model_copy(update=model)) == ["petpixel"]  # one box, no GPU lane
    assert worker_queues(OFF) == ["petpixel"]


def test_a_gpu_worker_nobody_sends_to_is_warned_about() -> None:
    assert "PETPIXEL_GPU_WORKERS" in (unserved_warning(OFF, ["gpu"]) or "")
    assert unserved_warning(ON, ["gpu"]) is None
    assert unserved_warning(OFF, ["petpixel"]) is None


def test_the_embedded_worker_serves_gpu_jobs_too(order_settings: Settings, cat_jpeg: bytes) -> None:
    settings = order_settings.model_copy(update={"gpu_workers": True})  # set by mistake, or not
    app = create_celery(settings)
    db = open_db(settings)
    order_id = order_with_photo(db, settings, cat_jpeg, OrderStatus.DRAFT)
    with EmbeddedWorker(app):
        CeleryJobs(app, settings).enqueue_preview(order_id)  # to the gpu queue
        wait_for(lambda: status_of(db, order_id) != "draft", what="preview")
    assert status_of(db, order_id) == "preview_ready"


@pytest.mark.redis
@pytest.mark.parametrize("gpu_workers", [True, False])
def test_messages_land_in_the_redis_queue_of_their_kind(
    worker_settings: Settings, gpu_workers: bool
) -> None:
    sender = worker_settings.model_copy(update={"gpu_workers": gpu_workers})
    jobs = CeleryJobs(create_celery(sender), sender)
    jobs.enqueue_preview("order-a")
    jobs.enqueue_build("order-b")
    jobs.enqueue_build("order-c", hd=True)
    queues = redis.Redis.from_url(str(worker_settings.redis_url))
    try:
        # kombu's Redis transport keeps each queue as a list named after it
        waiting = {name: [_order_of(m) for m in queues.lrange(name, 0, -1)]
                   for name in ("gpu", "petpixel")}  # fmt: skip
    finally:
        queues.close()
    if gpu_workers:
        assert waiting == {"gpu": ["order-c", "order-a"], "petpixel": ["order-b"]}
    else:
        assert waiting == {"gpu": [], "petpixel": ["order-c", "order-b", "order-a"]}


def _order_of(message: bytes | str) -> str:
    body = json.loads(base64.b64decode(json.loads(message)["body"]))
    order_id: str = body[0][0]  # protocol 2 body: [args, kwargs, embed]
    return order_id


@pytest.fixture
def two_workers(worker_settings: Settings, tmp_path: Path) -> Iterator[dict[str, int]]:
    """A CPU and a GPU `petpixel worker` as compose runs them; each picks its own queues."""
    env = {"PETPIXEL_GPU_WORKERS": "true", "PETPIXEL_PREVIEW_SPRITE_SIZE": "32",
           "PETPIXEL_STYLIZER": "classical"}  # fmt: skip  # no weights here: routing is the test
    (tmp_path / "model").mkdir()
    procs = {
        "cpu": worker_process(worker_settings, tmp_path / "cpu.log",
                              steps="tests.workers.steps:recording_steps", **env),
        "gpu": worker_process(worker_settings, tmp_path / "gpu.log",
                              steps="tests.workers.steps:recording_steps",
                              PETPIXEL_MODEL_PATH=str(tmp_path / "model"), **env),
    }  # fmt: skip
    try:
        yield {role: proc.pid for role, proc in procs.items()}
        for role, proc in procs.items():
            assert proc.poll() is None, (tmp_path / f"{role}.log").read_text()[-3000:]
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.redis
@pytest.mark.slow
def test_previews_and_hd_builds_reach_the_gpu_worker_plain_builds_the_cpu_worker(
    worker_settings: Settings, cat_jpeg: bytes, two_workers: dict[str, int]
) -> None:
    # The web app's settings in compose: GPU workers on, no model path of its own.
    web = worker_settings.model_copy(update={"gpu_workers": True})
    assert web.model_path is None
    db = open_db(web)
    svc = OrderService(settings=web, db=db, storage=new_storage(web), payments=FreePayments(),
                       jobs=CeleryJobs(create_celery(web), web))  # fmt: skip
    user = svc.create_user().id
    classic, deluxe = (svc.create_order(user_id=user, photo=cat_jpeg).id for _ in range(2))
    for order_id in (classic, deluxe):
        svc.request_preview(order_id=order_id)
    _wait_status(svc, [classic, deluxe], "preview_ready")
    svc.choose_package(order_id=classic, package="classic")  # free: paid and queued at once
    svc.choose_package(order_id=deluxe, package="deluxe")
    _wait_status(svc, [classic, deluxe], "ready")

    ran = _ran_by(web.data_dir / "step-calls.jsonl", two_workers)
    assert ran[classic] == [("make_sprite", "gpu", "gpu", 32),  # the preview
                            ("generate_levels", "cpu", "petpixel", None),  # the plain build
                            ("build_bundle", "cpu", "petpixel", None)]  # fmt: skip
    assert ran[deluxe] == [("make_sprite", "gpu", "gpu", 32),
                           ("generate_levels", "gpu", "gpu", None),  # the HD build, whole
                           ("build_bundle", "gpu", "gpu", None),
                           ("make_sprite", "gpu", "gpu", 128)]  # fmt: skip


def _wait_status(svc: OrderService, order_ids: list[str], status: str) -> None:
    def done() -> bool:
        views = [svc.status(order_id=o) for o in order_ids]
        failed = [v.error_message for v in views if v.status == "failed"]
        assert not failed, failed
        return all(v.status == status for v in views)

    wait_for(done, timeout=120, what=f"orders {status}")


def _ran_by(log: Path, pids: dict[str, int]) -> dict[str, list[tuple[str, str, str, Any]]]:
    """order id -> [(step, worker role, queue the task came from, sprite size)], in run order."""
    role_of = {pid: role for role, pid in pids.items()}
    ran: dict[str, list[tuple[str, str, str, Any]]] = {}
    for line in log.read_text().splitlines():
        call = json.loads(line)
        ran.setdefault(call["order_id"], []).append(
            (call["step"], role_of[call["pid"]], call["queue"], call["size"])
        )
    return ran
