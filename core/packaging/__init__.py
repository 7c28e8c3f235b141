"""Static game bundle: game_template/ + sprite sheet + levels -> hashed files with share tags."""

from core.packaging.bundle import build_bundle, write_bundle
from core.packaging.hero import hero_fit, player_box, species_of

__all__ = ["build_bundle", "hero_fit", "player_box", "species_of", "write_bundle"]
