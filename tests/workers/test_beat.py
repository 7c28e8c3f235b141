"""`petpixel beat` keeps its schedule file in the data dir, never in the working directory (which
is read-only or root-owned in containers, where beat used to die at start)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.redis
@pytest.mark.slow
def test_beat_writes_its_schedule_in_the_data_dir(tmp_path: Path, redis_url: str) -> None:
    workdir, data = tmp_path / "cwd", tmp_path / "data"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PETPIXEL_")}
    env |= {"PETPIXEL_REDIS_URL": redis_url, "PETPIXEL_DATA_DIR": str(data)}
    cli = [sys.executable, "-c", "from cli.main import main; main()", "beat"]
    proc = subprocess.Popen(cli, cwd=workdir, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not list(data.glob("celerybeat-schedule*")):
            assert proc.poll() is None, proc.communicate()[0].decode()
            assert time.monotonic() < deadline, "no schedule file in the data dir"
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert list(workdir.iterdir()) == []
