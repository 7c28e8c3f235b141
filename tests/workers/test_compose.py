"""compose.yml cannot run here (no Docker daemon): check its shape and env wiring instead."""

from __future__ import annotations

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
    "postgres",
    "redis",
    "minio",
}
APP_SERVICES = {"web", "worker", "gpu-worker", "telegram-bot", "migrate"}


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


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_every_service_command_parses_with_the_real_cli(compose: dict[str, Any], name: str) -> None:
    """Walk the command line through the real Typer/click tree and parse its options."""
    import click
    from typer.main import get_command

    from cli.main import app

    args = list(compose["services"][name]["command"][1:])
    command: click.Command = get_command(app)
    path = ["petpixel"]
    while isinstance(command, click.Group) and args and args[0] in command.commands:
        path.append(args[0])
        command = command.commands[args.pop(0)]
    assert not isinstance(command, click.Group), f"{name}: {path} is a group, not a command"
    command.make_context(" ".join(path), args)  # raises on an unknown command or option
