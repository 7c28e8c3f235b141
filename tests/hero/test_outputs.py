"""The hero reaches what a paying customer takes away: the game's share card and the HD download."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.db import Database
from core.hero.detect import PetDetector
from core.hero.hero import draw_hero
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.packaging.cards import share_card
from core.pipeline import make_sprite
from core.storage import LocalStorage
from tests.hero.conftest import PETS_DIR
from tests.orders.fixtures import db, db_url, jobs, storage, svc

__all__ = ["db", "db_url", "jobs", "storage", "svc"]  # fixtures of tests/orders used here

PHOTO = "dog-09-standing-bicolour-spaniel-grass"


@pytest.fixture
def order_settings(
    models_settings: Settings, pet_detector: PetDetector, tmp_path: Path
) -> Settings:
    """The real cutout and detector (the orders area's own settings have neither)."""
    return models_settings.model_copy(
        update={"data_dir": tmp_path / "data", "progress_interval_s": 0.0}
    )


def asset(assets: dict[str, str], prefix: str) -> str:
    """The storage key of the one bundle file whose (content-hashed) name starts with prefix."""
    (key,) = [key for path, key in assets.items() if path.startswith(prefix)]
    return key


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


@pytest.mark.models
@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_deluxe_game_shows_the_hero_on_its_card_and_in_the_hd_download(
    svc: OrderService, db: Database, storage: LocalStorage, order_settings: Settings
) -> None:
    photo = (PETS_DIR / f"{PHOTO}.jpg").read_bytes()
    order = svc.create_order(
        user_id=svc.create_user().id, photo=photo, choices={"pet_name": "Rex", "style": "modern"}
    )
    svc.request_preview(order_id=order.id)
    builds = Builds(settings=order_settings, db=db, storage=storage)
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY
    svc.choose_package(order_id=order.id, package="deluxe")
    assert builds.run_build(order.id) == OrderStatus.READY
    code = svc.status(order_id=order.id).links.game_code
    game = svc.game_by_code(code=code or "")
    assert game is not None
    assert game.config["species"] == "dog"

    # The hero drawn straight from what the reader sees in the photo, at the game's style.
    look = make_sprite(photo, settings=order_settings, style="modern").look
    assert look is not None
    hero, hd = draw_hero(look, style="modern"), draw_hero(look, style="modern", height=128)
    card = pixels(storage.get(asset(game.assets, "card.")))
    assert np.array_equal(card, pixels(share_card(hero.still, game.config["theme"], "Rex")))
    download = pixels(storage.get(game.assets["download/sprite-hd.png"]))
    assert download.shape[0] == 128, "the HD download is the 128-px hero, feet to ear tips"
    assert np.array_equal(download, np.asarray(hd.still))
