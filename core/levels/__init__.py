"""Level generation with a completability proof over the game's own physics (physics.json)."""

from core.levels.generator import generate_levels
from core.levels.themes import THEMES, Theme, get_theme

__all__ = ["THEMES", "Theme", "generate_levels", "get_theme"]
