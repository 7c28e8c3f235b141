"""deploy/prometheus and deploy/grafana: the rules are valid Prometheus rules whose alerts fire
when they should (`promtool`), and every metric they and the dashboard name is one the web app or
the worker really exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, generate_latest

from core.config import Settings
from tests.conftest import need
from web.app import create_app
from workers.celery_app import create_celery
from workers.metrics import QueueLengths, TaskMetrics

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "petpixel.json"
# Prometheus makes `up` for every target itself.
SYNTHETIC = {"up"}
METRIC = re.compile(r"\b(petpixel_[a-z0-9_]+|up)\b(?!\s*\()")
DURATION = re.compile(r"^\d+[smhd]$")


def exported_names(tmp_path: Path) -> set[str]:
    """Every series name the web app's /metrics and a worker's registry expose."""
    settings = Settings(data_dir=tmp_path)
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as client:
        client.get("/health/live")
        web = client.get("/metrics").text
    registry = CollectorRegistry()
    app = create_celery(settings)
    TaskMetrics(app, registry=registry)
    registry.register(QueueLengths(app, settings))
    worker = generate_latest(registry).decode()
    names: set[str] = set()
    for line in (web + worker).splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            suffixes = {"histogram": ("_bucket", "_count", "_sum"), "counter": ("",)}
            names |= {name + s for s in suffixes.get(kind, ("",))}
        elif line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line)[0])
    return names


def expressions() -> list[str]:
    rules = yaml.safe_load(RULES.read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads(DASHBOARD.read_text())
    exprs += [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    return exprs


def test_every_metric_named_in_alerts_and_dashboard_is_exported(tmp_path: Path) -> None:
    exported = exported_names(tmp_path) | SYNTHETIC
    assert {"petpixel_http_requests_total", "petpixel_task_duration_seconds_bucket",
            "petpixel_queue_length", "petpixel_orders"} <= exported  # fmt: skip
    for expr in expressions():
        # label values and strings are not metric names
        names = set(METRIC.findall(re.sub(r'"[^"]*"', '""', expr)))
        assert names, expr
        assert names <= exported, (expr, names - exported)


def test_rules_have_the_shape_prometheus_reads() -> None:
    rules = yaml.safe_load(RULES.read_text())
    names = set()
    for group in rules["groups"]:
        assert set(group) == {"name", "rules"}
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}
            assert rule["alert"].startswith("PetPixel")
            assert rule["alert"] not in names
            names.add(rule["alert"])
            assert DURATION.match(rule.get("for", "0s")), rule["for"]
            assert rule["labels"]["severity"] in {"page", "warning"}
            assert rule["annotations"]["summary"]
            assert rule["expr"].count("(") == rule["expr"].count(")")
    assert {"PetPixelOrdersStuckBuilding", "PetPixelBuildFailureRate", "PetPixelWeb5xxRate",
            "PetPixelQueueBacklog", "PetPixelWorkerDown"} <= names  # fmt: skip


def test_the_dashboard_is_one_grafana_dashboard() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"]
    assert dashboard["title"] == "PetPixel"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids)) >= 10
    for panel in dashboard["panels"]:
        assert panel["targets"]
        assert all(t["expr"] and t["refId"] for t in panel["targets"])


@pytest.mark.parametrize("args", [["check", "rules", "alerts.yml"],
                                  ["test", "rules", "alerts.test.yml"]])  # fmt: skip
def test_promtool_accepts_the_rules_and_their_unit_tests(args: list[str]) -> None:
    promtool = shutil.which("promtool")
    need(promtool is not None, "promtool (apt-get install prometheus)")
    assert promtool is not None
    done = subprocess.run([promtool, *args], cwd=RULES.parent, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
