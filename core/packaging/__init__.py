"""Static game bundle: game_template/ + sprite sheet + levels -> hashed files with share tags."""

from core.packaging.bundle import build_bundle, write_bundle

__all__ = ["build_bundle", "write_bundle"]
