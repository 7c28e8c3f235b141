"""rembg backend: a tiny ONNX net built here (custom path), and the real u2netp weights."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.errors import NoSubjectFound
from core.images import cutout_rembg
from core.images.cutout import new_cutter
from core.images.cutout_rembg import RembgCutter, resolve_model
from core.images.models import ModelError
from tests.conftest import need
from tests.images.conftest import U2NETP_DIR, chelsea_rough_truth, iou, synthetic_pet_truth

SIDE = 320


def build_tiny_net(path: Path, *, red_minus_green: float, bias: float) -> Path:
    """An ONNX net with U^2-Net's I/O (1x3x320x320 -> 1x1x320x320): sigmoid of a 1x1 conv.

    With ImageNet-normalised input, weight k on red and -k on green scores brown fur high and
    green lawn low; a large negative bias makes a net that sees nothing anywhere.
    """
    from onnx import TensorProto, helper, save_model

    weights = helper.make_tensor(
        "w", TensorProto.FLOAT, [1, 3, 1, 1], [red_minus_green, -red_minus_green, 0.0]
    )
    b = helper.make_tensor("b", TensorProto.FLOAT, [1], [bias])
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["input.1", "w", "b"], ["logits"]),
            helper.make_node("Sigmoid", ["logits"], ["d1"]),
        ],
        "tiny_u2net",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, SIDE, SIDE])],
        [helper.make_tensor_value_info("d1", TensorProto.FLOAT, [1, 1, SIDE, SIDE])],
        initializer=[weights, b],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, str(path))
    return path


@pytest.fixture
def tiny_settings(settings: Settings) -> Settings:
    home = settings.resolved_models_dir
    build_tiny_net(home / "custom" / "tiny.onnx", red_minus_green=8.0, bias=2.8)
    return settings.model_copy(
        update={"cutout_backend": "rembg", "rembg_model": str(home / "custom" / "tiny.onnx")}
    )


def test_custom_onnx_inside_models_dir_drives_the_cutout(
    tiny_settings: Settings, synthetic_pet: Image.Image
) -> None:
    cutter = new_cutter(tiny_settings)
    assert isinstance(cutter, RembgCutter)
    assert cutter.session_name == "u2net_custom"
    result = cutter.cut(synthetic_pet)
    assert result.backend == "rembg:tiny"
    assert iou(result.mask, synthetic_pet_truth()) >= 0.95
    assert 0.5 < result.confidence <= 1.0
    # U^2-Net's family runs on onnxruntime itself, and nothing was fetched into the dir.
    session = cutout_rembg.get_session("u2net_custom", cutter.path)
    assert type(session).__name__ == "InferenceSession"
    files = sorted(p.name for p in tiny_settings.resolved_models_dir.rglob("*") if p.is_file())
    assert files == ["tiny.onnx"]


def test_u2net_input_is_rembgs_normalisation(
    tiny_settings: Settings, cat_image: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Skipping rembg's import must not change what the net sees: the same tensor, bit for bit."""
    from rembg import new_session

    path = Path(tiny_settings.rembg_model)
    monkeypatch.setenv("U2NET_HOME", str(path.parent))  # rembg loads custom nets from there only
    session = new_session("u2net_custom", model_path=str(path), providers=["CPUExecutionProvider"])
    for image in (cat_image, Image.new("RGB", (64, 48), (90, 30, 10)), Image.new("L", (40, 40))):
        square = image.resize((SIDE, SIDE), Image.Resampling.BILINEAR)
        ours = cutout_rembg.u2net_input(square)
        theirs = session.normalize(
            square, cutout_rembg.IMAGENET_MEAN, cutout_rembg.IMAGENET_STD, (SIDE, SIDE)
        )
        assert ours.dtype == np.float32
        assert np.array_equal(ours, next(iter(theirs.values())))


def test_raw_probabilities_not_stretched(settings: Settings, synthetic_pet: Image.Image) -> None:
    """A net that sees nothing must not become a confident full-range matte (rembg min-max
    stretches its masks; we read the sigmoid output itself)."""
    path = build_tiny_net(settings.resolved_models_dir / "blind.onnx", red_minus_green=0.5, bias=-9)
    cutter = new_cutter(
        settings.model_copy(update={"cutout_backend": "rembg", "rembg_model": str(path)})
    )
    with pytest.raises(NoSubjectFound):
        cutter.cut(synthetic_pet)


def test_custom_path_via_environment_variable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_tiny_net(settings.resolved_models_dir / "env.onnx", red_minus_green=8.0, bias=2.8)
    monkeypatch.setenv("PETPIXEL_REMBG_MODEL", str(path))
    monkeypatch.setenv("PETPIXEL_MODELS_DIR", str(settings.resolved_models_dir))
    assert resolve_model(Settings()) == ("u2net_custom", path.resolve())


def test_custom_path_outside_models_dir_is_refused(settings: Settings, tmp_path: Path) -> None:
    outside = build_tiny_net(tmp_path / "elsewhere" / "tiny.onnx", red_minus_green=8.0, bias=2.8)
    with pytest.raises(ModelError) as caught:
        resolve_model(settings.model_copy(update={"rembg_model": str(outside)}))
    assert caught.value.code == "model_outside_dir"
    assert "inside the models dir" in caught.value.message
    sneaky = settings.resolved_models_dir / ".." / "elsewhere" / "tiny.onnx"
    with pytest.raises(ModelError, match="inside the models dir"):
        resolve_model(settings.model_copy(update={"rembg_model": str(sneaky)}))


def test_missing_custom_or_named_model(settings: Settings) -> None:
    home = settings.resolved_models_dir
    home.mkdir(parents=True)
    for spec in (str(home / "nope.onnx"), "isnet-general-use"):
        with pytest.raises(ModelError) as caught:
            resolve_model(settings.model_copy(update={"rembg_model": spec}))
        assert caught.value.code == "model_missing"


def u2netp_installed() -> bool:
    path = U2NETP_DIR / "u2netp.onnx"
    return path.is_file() and path.stat().st_size == 4_574_861


@pytest.fixture
def real_u2netp(settings: Settings) -> Settings:
    need(u2netp_installed(), "u2netp weights (petpixel models install u2netp)")
    home = settings.resolved_models_dir
    home.mkdir(parents=True)
    shutil.copy(U2NETP_DIR / "u2netp.onnx", home / "u2netp.onnx")
    return settings


@pytest.mark.models
@pytest.mark.slow
def test_u2netp_is_the_default_once_installed(
    real_u2netp: Settings, cat_image: Image.Image, synthetic_pet: Image.Image
) -> None:
    cutter = new_cutter(real_u2netp)  # auto
    assert cutter.name == "auto"
    cat = cutter.cut(cat_image)
    assert cat.backend == "rembg:u2netp"
    assert iou(cat.mask, chelsea_rough_truth()) >= 0.72
    pet = cutter.cut(synthetic_pet)
    assert iou(pet.mask, synthetic_pet_truth()) >= 0.95
    assert pet.confidence > 0.8
    assert np.array_equal(np.asarray(pet.rgba)[..., 3], pet.mask)
    assert sorted(p.name for p in real_u2netp.resolved_models_dir.iterdir()) == ["u2netp.onnx"]
