"""`petpixel bot discord` and `petpixel serve` with a Discord token, as real processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import Member
from tests.bots.telegram.harness import web_client
from tests.conftest import free_port


async def _run(fake: FakeDiscord, tmp_path: Path, *args: str) -> tuple[int | None, bytes]:
    """Start the CLI against the fake, ask /help, then stop it with Ctrl+C."""
    env = {
        **os.environ,
        "PETPIXEL_DISCORD_TOKEN": fake.token,
        "PETPIXEL_DISCORD_API_URL": fake.api_url,
        "PETPIXEL_DISCORD_GATEWAY_URL": fake.gateway_url,
        "PETPIXEL_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("PETPIXEL_TELEGRAM_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", *args,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        await asyncio.wait_for(fake.identified.wait(), 60)
        ann = Member(fake, 801)
        ann.slash("help")
        await ann.sees("How PetPixel works")
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, output


@pytest.mark.slow
def test_bot_process_answers_and_stops_on_sigint(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeDiscord() as fake:
            code, output = await _run(fake, tmp_path, "bot", "discord")
            assert code == 0, output.decode()
            assert b"Discord bot starting" in output
            assert {c["name"] for c in fake.synced} >= {"pixelpet", "delete"}

    asyncio.run(scenario())


@pytest.mark.slow
def test_serve_with_a_token_runs_the_bot_too(tmp_path: Path) -> None:
    async def scenario() -> None:
        port = free_port()
        async with FakeDiscord() as fake:
            serve = _run(fake, tmp_path, "serve", "--port", str(port))
            task = asyncio.create_task(serve)
            await asyncio.wait_for(fake.identified.wait(), 60)
            async with web_client() as client:
                for _ in range(100):  # uvicorn listens a moment after the bot connected
                    try:
                        health = await client.get(f"http://127.0.0.1:{port}/health")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)
            assert health.status_code == 200
            code, output = await task
            assert code == 0, output.decode()
            assert b"The Discord bot runs in this process too." in output

    asyncio.run(scenario())
