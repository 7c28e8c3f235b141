"""Real photos end to end: a cat or dog becomes a standing, walking hero; bad photos get an ask."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import Settings
from core.errors import PhotoNeedsRetake
from core.hero.detect import PetDetector
from core.hero.hero import HEIGHTS
from core.pipeline import make_sprite
from tests.conftest import encode
from tests.hero.conftest import PETS_DIR, skimage_photo

HEROES = ["cat-01-head-black", "cat-13-lying-tabby-chair", "dog-07-standing-rottweiler-black-big",
          "dog-10-head-corgi", "dog-12-standing-white-small-person"]  # fmt: skip


@pytest.fixture(scope="module")
def settings(
    models_settings: Settings, pet_detector: PetDetector, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return models_settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("data")})


@pytest.mark.models
@pytest.mark.slow
@pytest.mark.parametrize("name", HEROES)
def test_a_real_pet_becomes_a_walking_side_view_hero(settings: Settings, name: str) -> None:
    photo = (PETS_DIR / f"{name}.jpg").read_bytes()
    result = make_sprite(photo, settings=settings, style="16bit")
    assert result.species == name[:3]
    assert result.species_guessed
    assert result.visible_height == HEIGHTS["16bit"]
    assert result.atlas["species"] == result.species
    assert result.atlas["visible_height"] == HEIGHTS["16bit"]
    walk = [np.asarray(f.image)[..., 3] > 0 for f in result.animations["walk"]]
    assert not np.array_equal(walk[0][-5:], walk[len(walk) // 2][-5:]), "legs move"
    assert result.look is not None
    summary = result.summary()
    assert summary["species"] == result.species
    assert summary["hitbox"]["h"] > 0


@pytest.mark.models
def test_a_chosen_species_is_drawn_and_not_marked_guessed(settings: Settings) -> None:
    photo = (PETS_DIR / "cat-16-sitting-orange-tabby-outdoor.jpg").read_bytes()
    as_dog = make_sprite(photo, settings=settings, style="8bit", species="dog")
    assert (as_dog.species, as_dog.species_guessed) == ("dog", False)
    assert as_dog.visible_height == HEIGHTS["8bit"]
    other = make_sprite(photo, settings=settings, style="8bit", species="other")
    assert other.species == "other"
    assert other.look is None


@pytest.mark.models
def test_no_pet_in_the_photo_is_a_clear_ask(settings: Settings) -> None:
    photo = encode(skimage_photo("coffee"), "JPEG")
    with pytest.raises(PhotoNeedsRetake) as info:
        make_sprite(photo, settings=settings, style="16bit")
    assert info.value.code == "no_pet_found"
    # A pet that is neither a cat nor a dog can still be drawn "as photographed".
    assert make_sprite(photo, settings=settings, style="16bit", species="other").species == "other"


@pytest.mark.models
def test_two_pets_ask_for_a_crop_and_the_crop_fixes_it(settings: Settings) -> None:
    photo = (PETS_DIR / "dog-04-two-dogs-playing-grass-black.jpg").read_bytes()
    with pytest.raises(PhotoNeedsRetake) as info:
        make_sprite(photo, settings=settings, style="16bit")
    assert info.value.code == "several_pets"
    right = make_sprite(photo, settings=settings, style="16bit", user_crop=(0.5, 0.0, 1.0, 1.0))
    assert right.species == "dog"
    assert right.mask.size == (1024, 641)
    assert not np.asarray(right.mask)[:, :500].any(), "nothing outside the crop"
