"""deploy/k8s: every manifest validates against the Kubernetes API schemas (offline, with
kubernetes-validate); probes, ports, env names and commands match what the app serves and reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.config import Settings
from tests.conftest import need_module
from web.app import create_app

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30"
# Custom resources have no schema in kubernetes-validate (it ships the core API only); KEDA's are
# checked for shape below instead.
CRD_KINDS = {"ScaledObject", "TriggerAuthentication"}
# Not PETPIXEL_*: read by boto3 itself for the S3 storage (core/storage.py passes no keys).
LIBRARY_ENV = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
WORKLOADS = {"Deployment", "Job", "CronJob"}
COMPONENT = "app.kubernetes.io/component"


def manifests() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(K8S.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield str(path.relative_to(K8S)), doc


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    """The pod a workload runs (a CronJob's sits one Job template deeper)."""
    spec = doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    return pod


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, doc in manifests():
        if doc["kind"] in WORKLOADS:
            for container in pod_spec(doc)["containers"]:
                yield doc["metadata"]["name"], container


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in manifests() if doc["kind"] == kind]


def test_every_manifest_validates_against_the_api_schemas() -> None:
    validator = need_module("kubernetes_validate")
    checked = 0
    for name, doc in manifests():
        if doc["kind"] == "Kustomization" or doc["kind"] in CRD_KINDS:
            continue
        try:
            validator.validate(doc, KUBERNETES_VERSION, strict=True)
        except validator.ValidationError as exc:
            pytest.fail(f"{name}: {doc['kind']} {doc['metadata']['name']}: {exc}")
        checked += 1
    assert checked >= 19, f"only {checked} resources validated"


def test_the_validator_rejects_a_broken_manifest() -> None:
    validator = need_module("kubernetes_validate")
    web = next(d for d in by_kind("Deployment") if d["metadata"]["name"] == "web")
    broken = yaml.safe_load(yaml.safe_dump(web))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(validator.ValidationError):
        validator.validate(broken, KUBERNETES_VERSION, strict=True)


def test_every_listed_resource_exists_and_every_file_is_listed() -> None:
    for kustomization in K8S.rglob("kustomization.yaml"):
        listed = set(yaml.safe_load(kustomization.read_text())["resources"])
        here = {p.name for p in kustomization.parent.glob("*.yaml")}
        assert listed <= here
        assert here - listed == {"kustomization.yaml"} | (
            {"secret.example.yaml"} if kustomization.parent == K8S else set()
        )


def test_keda_scaled_objects_target_real_deployments_and_queues() -> None:
    deployments = {d["metadata"]["name"] for d in by_kind("Deployment")}
    settings = Settings()
    queues = {settings.default_queue, settings.gpu_queue}
    scaled = by_kind("ScaledObject")
    assert {s["spec"]["scaleTargetRef"]["name"] for s in scaled} == {"worker", "gpu-worker"}
    for obj in scaled:
        assert obj["apiVersion"] == "keda.sh/v1alpha1"
        assert obj["spec"]["scaleTargetRef"]["name"] in deployments
        (trigger,) = obj["spec"]["triggers"]
        assert trigger["type"] == "redis"
        assert trigger["metadata"]["listName"] in queues


def test_probe_paths_are_routes_of_the_web_app_and_ports_match(tmp_path: Path) -> None:
    routes = set(create_app(Settings(data_dir=tmp_path)).openapi()["paths"])
    web = dict(containers())["web"]
    ports = {p["name"]: p["containerPort"] for p in web["ports"]}
    assert str(ports["http"]) == web["command"][web["command"].index("--port") + 1]
    probes = [web[k] for k in ("livenessProbe", "readinessProbe", "startupProbe")]
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for probe in probes:
        assert probe["httpGet"]["path"] in routes
        assert probe["httpGet"]["port"] in ports
    (service,) = by_kind("Service")
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(ports)
    (ingress,) = by_kind("Ingress")
    assert ingress["spec"]["tls"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    # Each port a policy lets in is a port of a pod it selects; web's own port is let in.
    allowed: set[int] = set()
    for policy in by_kind("NetworkPolicy"):
        rules = policy["spec"].get("ingress", [])
        if not rules:
            continue
        selected = _container_ports(_selected_components(policy["spec"]["podSelector"]))
        for rule in rules:
            for port in rule["ports"]:
                assert port["port"] in selected, (policy["metadata"]["name"], port)
                allowed.add(port["port"])
    assert set(ports.values()) <= allowed


def _selected_components(selector: dict[str, Any]) -> set[str]:
    if not selector:  # every pod
        return {
            d["spec"]["template"]["metadata"]["labels"][COMPONENT] for d in by_kind("Deployment")
        }
    if "matchLabels" in selector:
        return {selector["matchLabels"][COMPONENT]}
    (expression,) = selector["matchExpressions"]
    assert expression["key"] == COMPONENT
    assert expression["operator"] == "In"
    return set(expression["values"])


def _container_ports(components: set[str]) -> set[int]:
    return {
        port["containerPort"]
        for doc in by_kind("Deployment")
        if doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        in components
        for container in doc["spec"]["template"]["spec"]["containers"]
        for port in container.get("ports", [])
    }


def test_workers_serve_metrics_where_prometheus_is_told_to_scrape() -> None:
    workers = {"worker", "gpu-worker"}
    for doc in by_kind("Deployment"):
        if doc["metadata"]["name"] not in workers | {"web"}:
            continue
        template = doc["spec"]["template"]
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        (container,) = template["spec"]["containers"]
        ports = {p["containerPort"] for p in container["ports"]}
        assert int(annotations["prometheus.io/port"]) in ports
        if doc["metadata"]["name"] in workers:
            workers.remove(doc["metadata"]["name"])
            env = {e["name"]: e.get("value") for e in container["env"]}
            assert env["PETPIXEL_WORKER_METRICS_PORT"] == annotations["prometheus.io/port"]
            Settings(worker_metrics_port=env["PETPIXEL_WORKER_METRICS_PORT"])  # a valid port
    assert not workers


def test_every_env_name_is_a_setting_or_a_library_variable() -> None:
    fields = {f"PETPIXEL_{name.upper()}" for name in Settings.model_fields}
    used: set[str] = set()
    (config,) = by_kind("ConfigMap")
    used |= set(config["data"])
    for _, container in containers():
        used |= {env["name"] for env in container.get("env", [])}
        for source in container.get("envFrom", []):
            assert source["configMapRef"]["name"] == config["metadata"]["name"]
    (secret,) = by_kind("Secret")
    used |= {k for k in secret["stringData"] if not k.startswith("KEDA_")}
    assert used - fields - LIBRARY_ENV == set()
    # Every secret key a workload references is in the example Secret.
    referenced = {
        env["valueFrom"]["secretKeyRef"]["key"]
        for _, c in containers() for env in c.get("env", []) if "valueFrom" in env
    }  # fmt: skip
    assert referenced <= set(secret["stringData"])
    # The ConfigMap's values parse as Settings.
    Settings(**{k.removeprefix("PETPIXEL_").lower(): v for k, v in config["data"].items()})


def test_every_command_is_a_real_cli_command() -> None:
    runner = CliRunner()
    commands = [c["command"] for _, c in containers()]
    assert len(commands) >= 8
    for command in commands:
        assert command[0] == "petpixel"
        args = command[1:]
        # Each option given must be accepted: `--help` after the real arguments still parses them.
        result = runner.invoke(cli_app, [*args, "--help"])
        assert result.exit_code == 0, (command, result.output)
        for arg in args:
            if arg.startswith("--"):
                assert arg in result.output, (command, arg)


def test_single_process_roles_are_one_replica_recreated() -> None:
    deployments = {d["metadata"]["name"]: d["spec"] for d in by_kind("Deployment")}
    for name in ("beat", "telegram-bot", "discord-bot"):
        assert deployments[name]["replicas"] == 1
        assert deployments[name]["strategy"] == {"type": "Recreate"}
    gpu = deployments["gpu-worker"]["template"]["spec"]
    assert gpu["nodeSelector"]
    assert gpu["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"


def test_every_container_is_hardened_with_writable_scratch_dirs() -> None:
    for _, doc in manifests():
        if doc["kind"] not in WORKLOADS:
            continue
        pod = pod_spec(doc)
        assert pod["securityContext"]["runAsNonRoot"] is True
        volumes = {v["name"]: v for v in pod["volumes"]}
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"]["drop"] == ["ALL"]
            assert {"requests", "limits"} <= set(container["resources"])
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts["/tmp"]]
            assert "emptyDir" in volumes[mounts["/data"]]  # PETPIXEL_DATA_DIR, beat's schedule


def test_the_backup_runs_nightly_one_at_a_time_into_a_new_folder() -> None:
    (cronjob,) = by_kind("CronJob")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    command = dict(containers())["backup"]["command"]
    assert command[:3] == ["petpixel", "backup", "create"]
    assert command[command.index("--out") + 1].startswith("s3://")
    assert "--timestamp" in command  # each run its own folder: create refuses a used one
