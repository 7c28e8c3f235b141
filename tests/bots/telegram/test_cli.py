"""`petpixel bot telegram`: a clear error without a token; polling mode answers a real chat."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.bots.telegram.harness import User, web_client
from tests.conftest import free_port
from tests.fakes.telegram_api import FakeTelegram


def test_missing_token_is_a_friendly_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PETPIXEL_TELEGRAM_TOKEN", raising=False)
    monkeypatch.setenv("PETPIXEL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["bot", "telegram"])
    assert result.exit_code == 2
    assert "PETPIXEL_TELEGRAM_TOKEN" in result.output


@pytest.mark.slow
def test_polling_process_answers_and_stops_on_sigint(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeTelegram() as fake:
            env = {
                **os.environ,
                "PETPIXEL_TELEGRAM_TOKEN": fake.token,
                "PETPIXEL_TELEGRAM_API_URL": fake.api_url,
                "PETPIXEL_DATA_DIR": str(tmp_path / "data"),
            }
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "cli.main",
                "bot",
                "telegram",
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            try:
                await fake.wait_for("setMyCommands", within=60)
                ann = User(fake, 501)
                ann.text("/start")
                await ann.says("Send me a photo of your pet")
            finally:
                proc.send_signal(signal.SIGINT)
                await fake.release()
                output, _ = await asyncio.wait_for(proc.communicate(), 60)
            assert proc.returncode == 0, output.decode()
            assert b"polling" in output

    asyncio.run(scenario())


@pytest.mark.slow
def test_serve_with_a_token_runs_the_bot_too(tmp_path: Path) -> None:
    """`petpixel serve` is the one command for the whole product: web app and bot together."""

    async def scenario() -> None:
        port = free_port()
        async with FakeTelegram() as fake:
            env = {
                **os.environ,
                "PETPIXEL_TELEGRAM_TOKEN": fake.token,
                "PETPIXEL_TELEGRAM_API_URL": fake.api_url,
                "PETPIXEL_DATA_DIR": str(tmp_path / "data"),
            }
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "cli.main", "serve", "--port", str(port),
                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                await fake.wait_for("setMyCommands", within=60)
                ann = User(fake, 502)
                ann.text("/start")
                await ann.says("Send me a photo of your pet")
                async with web_client() as client:
                    health = await client.get(f"http://127.0.0.1:{port}/health")
                assert health.status_code == 200
            finally:
                proc.send_signal(signal.SIGINT)
                await fake.release()
                output, _ = await asyncio.wait_for(proc.communicate(), 60)
            assert proc.returncode == 0, output.decode()
            assert b"Telegram bot runs in this process too (polling)" in output

    asyncio.run(scenario())
