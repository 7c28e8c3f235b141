"""The Dockerfile and its lock files: what a build does, read without building (tests/container
builds and runs it where podman exists)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.MULTILINE)


def stages() -> dict[str, list[str]]:
    """Each stage's instructions (continuation lines joined), by stage name."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    result: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("FROM "):
            current = result.setdefault(line.split(" AS ")[-1].strip(), [])
        if line and not line.startswith("#"):
            current.append(line)
    return result


def pins(lock: str) -> dict[str, str]:
    return {canonical(name): v for name, v in PIN.findall((ROOT / lock).read_text())}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def normalized(requirement: str) -> str:
    return canonical(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])


def test_dependencies_come_from_the_lock_before_the_sources() -> None:
    """The locked dependencies are a stage of their own that never sees the sources: a code change
    rebuilds only the project's install and its small layer."""
    all_stages = stages()
    deps = all_stages["deps"]
    lock_install = next(i for i, s in enumerate(deps) if "--require-hashes" in s)
    assert "-r /tmp/requirements.lock" in deps[lock_install]
    assert any(s.startswith("COPY requirements.lock") for s in deps[:lock_install])
    assert not any(s.startswith(("COPY core", "COPY .")) for s in deps)
    builder = all_stages["builder"]
    assert builder[0] == "FROM deps AS builder"
    assert any(s.startswith("COPY core") for s in builder)
    project = next(s for s in builder if "pip install" in s)
    assert "--no-deps" in project  # nothing unlocked comes in with the project
    assert " -e " not in project  # a normal install
    assert "--prefix /out" in project


def test_every_dependency_is_pinned_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, gpu = pins("requirements.lock"), pins("requirements-gpu.lock")
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["sentry"]]:
        assert normalized(requirement) in runtime, requirement
    for requirement in project["optional-dependencies"]["ml"]:
        assert normalized(requirement) in gpu, requirement
    assert {"torch", "diffusers"} <= set(gpu)
    assert "torch" not in runtime
    shared = set(runtime) & set(gpu)
    assert {name for name in shared if runtime[name] != gpu[name]} == set()  # one set of versions
    for lock in ("requirements.lock", "requirements-gpu.lock"):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]} has no hash"


@pytest.mark.parametrize("target", ["runtime", "gpu"])
def test_images_run_as_a_user_with_a_writable_data_dir(target: str) -> None:
    all_stages = stages()
    image = all_stages[target]
    assert image[0].startswith("FROM runtime-base")
    assert image[-1] == "USER petpixel"
    base = " ".join(all_stages["runtime-base"])
    assert "PETPIXEL_DATA_DIR=/data" in base
    assert "PETPIXEL_MODELS_DIR=/models" in base
    assert "chown petpixel:petpixel /data /models" in base
    assert not any("requirements" in s or "COPY core" in s for s in all_stages["runtime-base"])
    deps = "gpu-deps" if target == "gpu" else "deps"
    assert image[1:3] == [f"COPY --from={deps} /venv /venv", "COPY --from=builder /out/ /venv/"]


def test_the_default_target_is_the_cpu_image_with_a_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert list(stages())[-1] == "runtime"  # `docker build .` builds the CPU image
    assert "ARG BASE_IMAGE=python:3.11-slim" in text
    health = next(s for s in stages()["runtime-base"] if s.startswith("HEALTHCHECK"))
    assert "http://127.0.0.1:8000/health/live" in health
    assert "curl" not in health
    gpu_deps = stages()["gpu-deps"]
    assert gpu_deps[0] == "FROM deps AS gpu-deps"
    assert any("--require-hashes -r /tmp/requirements-gpu.lock" in s for s in gpu_deps)


def test_the_lock_script_writes_both_locks() -> None:
    script = (ROOT / "scripts" / "lock.sh").read_text()
    assert "-o requirements.lock" in script
    assert "-o requirements-gpu.lock" in script
    assert "--generate-hashes" in script
