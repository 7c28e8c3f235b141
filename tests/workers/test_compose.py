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
    "beat",
    "gpu-worker",
    "telegram-bot",
    "discord-bot",
    "postgres",
    "redis",
    "minio",
}
APP_SERVICES = {"web", "worker", "beat", "gpu-worker", "telegram-bot", "discord-bot", "migrate"}
VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?+])([^}]*))?\}")  # ${NAME}, ${NAME:-x}, ${NAME:?x}


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
    assert env["PETPIXEL_REDIS_URL"] == "redis://:${REDIS_PASSWORD:?set it in .env}@redis:6379/0"
    assert env["PETPIXEL_STORAGE_BACKEND"] == "s3"
    assert env["PETPIXEL_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert service["command"][0] == "petpixel"


# Secrets that switch a feature on: set in .env, they must reach the processes that use them.
FEATURE_SECRETS = {
    "PETPIXEL_STRIPE_SECRET_KEY": {"web", "worker", "telegram-bot", "discord-bot"},
    "PETPIXEL_STRIPE_WEBHOOK_SECRET": {"web"},
    "PETPIXEL_RUNS_SECRET": {"web", "telegram-bot", "discord-bot"},
    "PETPIXEL_SENTRY_DSN": {"web", "worker", "beat", "telegram-bot", "discord-bot"},
}


@pytest.mark.parametrize("key", sorted(FEATURE_SECRETS))
def test_optional_secrets_reach_the_services_that_use_them(
    compose: dict[str, Any], key: str
) -> None:
    for name in FEATURE_SECRETS[key]:
        assert compose["services"][name]["environment"].get(key) == f"${{{key}:-}}", (name, key)
    example = (ROOT / ".env.example").read_text()
    assert re.search(rf"^{key}=$", example, re.MULTILINE), f".env.example lacks an empty {key}="


def test_env_names_are_real_settings(compose: dict[str, Any]) -> None:
    fields = set(Settings.model_fields)
    for name in APP_SERVICES:
        for key in compose["services"][name]["environment"]:
            if key.startswith("PETPIXEL_"):
                field = key.removeprefix("PETPIXEL_").lower()
                assert field in fields, f"{name}: {key} is not a Settings field"


def test_migrations_run_before_the_app(compose: dict[str, Any]) -> None:
    command = compose["services"]["migrate"]["command"]
    assert command[:3] == ["petpixel", "db", "upgrade"]
    assert float(command[command.index("--wait") + 1]) >= 60  # PostgreSQL may still be starting
    for name in APP_SERVICES - {"migrate"}:
        deps = compose["services"][name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_gpu_worker_serves_only_the_gpu_queue(compose: dict[str, Any]) -> None:
    gpu = compose["services"]["gpu-worker"]
    assert gpu["command"][gpu["command"].index("--queues") + 1] == Settings().gpu_queue
    worker = compose["services"]["worker"]
    assert worker["command"][worker["command"].index("--queues") + 1] == Settings().default_queue


def _settings_of(
    service: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    dotenv: dict[str, str] | None = None,
) -> Settings:
    """The Settings a compose service starts with: `${VAR:-default}` at its default or at
    `dotenv[VAR]`, a required `${VAR:?...}` at "secret"."""
    dotenv = dotenv or {}

    def value_of(match: re.Match[str]) -> str:
        name, kind, default = match.groups()
        return dotenv.get(name, "secret" if kind == "?" else default or "")

    with monkeypatch.context() as env:
        for key, value in service["environment"].items():
            env.setenv(key, VARIABLE.sub(value_of, str(value)))
        return Settings()


def test_without_the_gpu_profile_every_job_stays_on_the_cpu_queue(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.jobs import queue_for

    services = compose["services"]
    settings = {name: _settings_of(services[name], monkeypatch) for name in APP_SERVICES}
    assert {s.gpu_workers for s in settings.values()} == {False}  # the default .env
    for sender in ("web", "telegram-bot", "discord-bot", "beat"):  # beat runs the sweeper
        for lane in ("preview", "hd_build", "build"):
            assert queue_for(settings[sender], lane) == "petpixel"


def test_every_service_routes_gpu_jobs_to_the_queue_the_gpu_worker_serves(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.jobs import queue_for
    from workers.celery_app import worker_queues

    services = compose["services"]
    dotenv = {"PETPIXEL_GPU_WORKERS": "true"}  # what .env.example says to set with --profile gpu
    settings = {name: _settings_of(services[name], monkeypatch, dotenv) for name in APP_SERVICES}
    assert {s.gpu_workers for s in settings.values()} == {True}  # senders and workers agree
    gpu, cpu = settings["gpu-worker"], settings["worker"]
    assert gpu.model_path is not None
    assert worker_queues(gpu) == ["gpu"]  # what the command names is what it would pick itself
    assert worker_queues(cpu) == ["petpixel"]
    for sender in ("web", "telegram-bot", "discord-bot", "beat"):
        assert settings[sender].model_path is None
        assert queue_for(settings[sender], "preview") == "gpu"
        assert queue_for(settings[sender], "hd_build") == "gpu"
        assert queue_for(settings[sender], "build") == "petpixel"


def test_optional_parts_are_profiles(compose: dict[str, Any]) -> None:
    """Bots without tokens crash-loop and a GPU worker without a GPU never starts: off unless
    their profile is named. Everything else starts with a plain `docker compose up`."""
    services = compose["services"]
    assert services["telegram-bot"]["profiles"] == ["telegram"]
    assert services["discord-bot"]["profiles"] == ["discord"]
    assert services["gpu-worker"]["profiles"] == ["gpu"]
    assert services["backup"]["profiles"] == ["backup"]  # run on demand or from cron
    optional = {"telegram-bot", "discord-bot", "gpu-worker", "backup"}
    for name in set(services) - optional:
        assert "profiles" not in services[name], name


def test_beat_is_one_service_and_no_worker_runs_it(compose: dict[str, Any]) -> None:
    services = compose["services"]
    commands = {name: list(s.get("command") or []) for name, s in services.items()}
    beats = [name for name, command in commands.items() if command[:2] == ["petpixel", "beat"]]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    for name, command in commands.items():
        assert "--beat" not in command, name


def test_web_sends_notices_with_the_tokens_but_runs_no_bot(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli.common import bot_companions

    services = compose["services"]
    tokens = {"PETPIXEL_TELEGRAM_TOKEN": "123:abc", "PETPIXEL_DISCORD_TOKEN": "xyz"}
    web = _settings_of(services["web"], monkeypatch, tokens)
    worker = _settings_of(services["worker"], monkeypatch, tokens)
    for settings in (web, worker):  # the notifiers (runtime/services.py) need the tokens
        assert (settings.telegram_token, settings.discord_token) == ("123:abc", "xyz")
    assert web.serve_bots is False
    assert bot_companions(web) == {}  # what `petpixel serve` starts: no bot inside web
    assert set(bot_companions(web.model_copy(update={"serve_bots": True}))) == {
        "telegram",
        "discord",
    }
    # The bot services still run theirs (`petpixel bot telegram` in webhook mode uses `only`).
    telegram = _settings_of(services["telegram-bot"], monkeypatch, tokens)
    assert set(bot_companions(telegram, only="telegram")) == {"telegram"}
    assert set(bot_companions(web, only="discord")) == {"discord"}


def test_web_healthcheck_probes_liveness(compose: dict[str, Any], tmp_path: Path) -> None:
    from web.app import create_app

    web = compose["services"]["web"]
    probe = " ".join(web["healthcheck"]["test"])
    port = web["command"][web["command"].index("--port") + 1]
    assert f"http://127.0.0.1:{port}/health/live" in probe
    assert "/health/live" in create_app(Settings(data_dir=tmp_path)).openapi()["paths"]


def test_every_password_comes_from_a_required_variable(compose: dict[str, Any]) -> None:
    """No `${VAR:-weak-default}` for a secret: compose stops until .env sets it. An optional
    secret that switches a feature on (Stripe, Sentry, chat boards) defaults to empty: off."""
    text = (ROOT / "compose.yml").read_text()
    secrets = [m for m in VARIABLE.finditer(text) if re.search("PASSWORD|SECRET", m.group(1))]
    assert {m.group(1) for m in secrets} >= {
        "POSTGRES_PASSWORD",
        "REDIS_PASSWORD",
        "MINIO_ROOT_PASSWORD",
    }
    for match in secrets:
        required = match.group(2) == "?"
        off = match.group(0) == f"${{{match.group(1)}:-}}"
        assert required or off, f"{match.group(0)}: a secret is required (${{VAR:?}}) or empty"
    for name, service in compose["services"].items():
        env = service.get("environment") or {}
        for key, value in env.items():
            if re.search("PASSWORD|SECRET", key):
                assert re.fullmatch(r"\$\{\w+(:\?[^}]+|:-)\}", str(value)), (name, key, value)
    # Redis asks for the password the app's URL carries.
    redis = compose["services"]["redis"]["command"]
    required = redis[redis.index("--requirepass") + 1]
    assert required == "${REDIS_PASSWORD:?set it in .env}"
    for name in APP_SERVICES:
        url = compose["services"][name]["environment"]["PETPIXEL_REDIS_URL"]
        assert url.startswith(f"redis://:{required}@"), name


def test_env_example_lists_every_variable_and_holds_no_secret() -> None:
    text = (ROOT / "compose.yml").read_text()
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    used = {m.group(1) for m in VARIABLE.finditer(text)}
    assert used <= set(example), f"missing from .env.example: {used - set(example)}"
    for name, value in example.items():
        if re.search("PASSWORD|SECRET|TOKEN", name):
            assert value == "", f".env.example must not ship a value for {name}"
        if name.startswith("PETPIXEL_"):
            assert name.removeprefix("PETPIXEL_").lower() in Settings.model_fields, name


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
    # And through the CLI itself: `--help` after the arguments still parses each of them.
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, [*command[1:], "--help"])
    assert result.exit_code == 0, (command, result.output)


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


def test_the_backup_service_writes_new_folders_on_the_host(compose: dict[str, Any]) -> None:
    backup = compose["services"]["backup"]
    assert backup["command"][:3] == ["petpixel", "backup", "create"]
    out = backup["command"][backup["command"].index("--out") + 1]
    assert "--timestamp" in backup["command"]  # each run its own folder: create refuses a used one
    assert any(v.endswith(f":{out}") and v.startswith("./") for v in backup["volumes"])
    assert backup["environment"]["PETPIXEL_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_models_are_installed_once_into_the_volume_the_image_processes_read(
    compose: dict[str, Any],
) -> None:
    from core.images.models import MODELS

    services = compose["services"]
    models = services["models"]
    assert models["command"][:3] == ["petpixel", "models", "install"]
    assert models["command"][3] in MODELS
    parse_with_the_real_cli(models["command"][1:])
    assert models["volumes"] == ["models:/models"]  # the image's PETPIXEL_MODELS_DIR
    assert "PETPIXEL_MODELS_DIR=/models" in (ROOT / "Dockerfile").read_text()
    for name in ("web", "worker", "gpu-worker"):
        assert "models:/models:ro" in services[name]["volumes"], name
        assert services[name]["depends_on"]["models"]["condition"] == (
            "service_completed_successfully"
        )


@pytest.mark.parametrize(("name", "check"), [("worker", "worker"), ("beat", "beat"),
                                             ("gpu-worker", "worker")])  # fmt: skip
def test_workers_and_beat_have_health_checks_the_cli_runs(
    compose: dict[str, Any], name: str, check: str
) -> None:
    test = compose["services"][name]["healthcheck"]["test"]
    assert test[0] == "CMD"
    assert test[1:4] == ["petpixel", "health", check]
    parse_with_the_real_cli(test[2:])


def test_services_without_a_web_port_drop_the_images_web_probe(compose: dict[str, Any]) -> None:
    """The image's HEALTHCHECK probes `petpixel serve`; anything else that inherits it would be
    marked unhealthy for ever. Every app service has its own check or none."""
    services = compose["services"]
    for name in (*APP_SERVICES, "models"):
        health = services[name]["healthcheck"]
        if name == "web":
            continue
        assert health.get("disable") is True or "/health/live" not in str(health["test"]), name


def test_the_app_uses_its_own_bucket_user_not_minio_root(compose: dict[str, Any]) -> None:
    import json

    services = compose["services"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["AWS_ACCESS_KEY_ID"] == "${S3_APP_ACCESS_KEY:?set it in .env}", name
        assert env["AWS_SECRET_ACCESS_KEY"] == "${S3_APP_SECRET_KEY:?set it in .env}", name
        assert "MINIO_ROOT" not in str(env), name
    init = services["minio-init"]
    script = init["command"][0]
    assert 'mc admin user add local "$$S3_APP_ACCESS_KEY"' in script
    assert 'mc admin policy attach local petpixel-app --user "$$S3_APP_ACCESS_KEY"' in script
    assert "anonymous set download" not in script  # previews go out as presigned links
    bucket = services["web"]["environment"]["PETPIXEL_S3_BUCKET"]
    policy = json.loads(init["environment"]["APP_POLICY"])
    resources = {r for statement in policy["Statement"] for r in statement["Resource"]}
    assert resources == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    actions = {a for statement in policy["Statement"] for a in statement["Action"]}
    assert actions <= {"s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:PutObject",
                       "s3:DeleteObject"}  # fmt: skip


def test_preview_links_are_signed_for_the_public_s3_endpoint(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.security import page_csp

    web = _settings_of(compose["services"]["web"], monkeypatch)
    assert web.s3_endpoint_url == "http://minio:9000"  # inside the stack
    assert web.s3_public_endpoint_url == "http://localhost:9000"  # what a browser reaches
    assert web.s3_public_url is None  # presigned, the bucket stays private
    assert "http://localhost:9000" in page_csp(web).split("img-src", 1)[1].split(";")[0]
