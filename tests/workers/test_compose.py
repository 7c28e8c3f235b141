"""compose.yml cannot run here (no Docker daemon): check its shape and env wiring instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "web",
    "worker",
    "gpu-worker",
    "telegram-bot",
    "discord-bot",
    "postgres",
    "redis",
    "minio",
}
APP_SERVICES = {"web", "worker", "gpu-worker", "telegram-bot", "discord-bot", "migrate"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yml").read_text())
    return data


def test_services_exist(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) >= SERVICES
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_services_are_wired_to_the_backing_services(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    env = service["environment"]
    assert env["PETPIXEL_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in env["PETPIXEL_DATABASE_URL"]
    assert env["PETPIXEL_REDIS_URL"] == "redis://redis:6379/0"
    assert env["PETPIXEL_STORAGE_BACKEND"] == "s3"
    assert env["PETPIXEL_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert service["command"][0] == "petpixel"


def test_env_names_are_real_settings(compose: dict[str, Any]) -> None:
    fields = set(Settings.model_fields)
    for name in APP_SERVICES:
        for key in compose["services"][name]["environment"]:
            if key.startswith("PETPIXEL_"):
                field = key.removeprefix("PETPIXEL_").lower()
                assert field in fields, f"{name}: {key} is not a Settings field"


def test_migrations_run_before_the_app(compose: dict[str, Any]) -> None:
    assert compose["services"]["migrate"]["command"] == ["petpixel", "db", "upgrade"]
    for name in APP_SERVICES - {"migrate"}:
        deps = compose["services"][name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_gpu_worker_serves_only_the_gpu_queue(compose: dict[str, Any]) -> None:
    gpu = compose["services"]["gpu-worker"]
    assert gpu["command"][gpu["command"].index("--queues") + 1] == Settings().gpu_queue
    worker = compose["services"]["worker"]
    assert worker["command"][worker["command"].index("--queues") + 1] == Settings().default_queue


def _settings_of(service: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The Settings a compose service starts with (`${VAR:-default}` taken at its default)."""
    with monkeypatch.context() as env:
        for key, value in service["environment"].items():
            default = re.fullmatch(r"\$\{\w+:-(.*)\}", str(value))
            env.setenv(key, default.group(1) if default else str(value))
        return Settings()


def test_every_service_routes_gpu_jobs_to_the_queue_the_gpu_worker_serves(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.jobs import queue_for
    from workers.celery_app import worker_queues

    services = compose["services"]
    settings = {name: _settings_of(services[name], monkeypatch) for name in APP_SERVICES}
    assert {s.gpu_workers for s in settings.values()} == {True}  # senders and workers agree
    gpu, cpu = settings["gpu-worker"], settings["worker"]
    assert gpu.model_path is not None
    assert worker_queues(gpu) == ["gpu"]  # what the command names is what it would pick itself
    assert worker_queues(cpu) == ["petpixel"]
    for sender in ("web", "telegram-bot", "discord-bot", "worker"):  # the worker runs the sweeper
        assert settings[sender].model_path is None
        assert queue_for(settings[sender], "preview") == "gpu"
        assert queue_for(settings[sender], "hd_build") == "gpu"
        assert queue_for(settings[sender], "build") == "petpixel"


def parse_with_the_real_cli(argv: list[str]) -> list[str]:
    """Walk `petpixel ARGV...` through the real Typer tree and parse the options; returns the
    command path. Raises (AssertionError or click's UsageError) on anything the CLI would refuse.

    Groups are recognised by their `.commands`: Typer ships its own copy of click, so an
    isinstance check against the `click` package never matches and would stop at the top.
    """
    from typer.main import get_command

    from cli.main import app

    args, command, path = list(argv), get_command(app), ["petpixel"]
    while hasattr(command, "commands"):
        assert args, f"{path} is a group: name a subcommand"
        assert args[0] in command.commands, f"no command {args[0]!r} in {path}"
        path.append(args[0])
        command = command.commands[args.pop(0)]
    command.make_context(" ".join(path), args)  # raises on an unknown option or extra argument
    return path


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_every_service_command_parses_with_the_real_cli(compose: dict[str, Any], name: str) -> None:
    command = compose["services"][name]["command"]
    assert command[0] == "petpixel"
    assert len(parse_with_the_real_cli(command[1:])) > 1


@pytest.mark.parametrize(
    "argv",
    [["workerz"], ["worker", "--no-such-option"], ["bot"], ["bot", "discord", "extra"], ["db"]],
)
def test_a_wrong_compose_command_is_caught(argv: list[str]) -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - checked just below
        parse_with_the_real_cli(argv)
    # An assertion of the walk, or click's UsageError family (Typer's own copy of click).
    kinds = {cls.__name__ for cls in type(caught.value).__mro__}
    assert kinds & {"AssertionError", "UsageError"}, repr(caught.value)
