"""The hero's size in the world, from its atlas: the one rule shared by levels, physics and drawing.

Computed here at packaging time and written into game.json (`hero`, `physics.player`), so sim.js,
pet.js and the level proofs never re-derive it and cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import InvalidRequest

TARGET_HEIGHT = 24  # world px a hero should stand; taller sprites shrink by whole factors
SPECIES = ("cat", "dog", "other")


@dataclass(frozen=True, slots=True)
class HeroFit:
    """Whole-number shrink, the physics box (world px) and the atlas hitbox it comes from."""

    scale: int
    player: tuple[int, int] | None  # None: the atlas has no hitbox (v1), physics.json's box
    hitbox: dict[str, int] | None  # cell px, top-left origin, as in the atlas

    def game_json(self) -> dict[str, Any]:
        return {"scale": self.scale, "hitbox": self.hitbox}


def shrink(visible_height: int) -> int:
    """Sprites taller than TARGET_HEIGHT shrink by a whole factor so pixels stay crisp squares."""
    return max(1, int(visible_height) // TARGET_HEIGHT)


def _div(v: int, k: int) -> int:
    return (2 * v + k) // (2 * k)  # v / k rounded half up, in integers


def hero_fit(atlas: dict[str, Any], visible_height: int | None = None) -> HeroFit:
    """The hero's fit: atlas v2 gives `visible_height` and `hitbox`; a v1 atlas needs the caller
    to measure the idle frame's opaque height (`visible_height`) and keeps the default box."""
    height = atlas.get("visible_height", visible_height)
    if height is None:
        raise InvalidRequest("The atlas gives no visible_height; measure the idle frame.")
    k = shrink(height)
    box = atlas.get("hitbox")
    if box is None:
        return HeroFit(k, None, None)
    try:
        hitbox = {key: int(box[key]) for key in ("x", "y", "w", "h")}
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidRequest("The atlas hitbox needs whole-number x, y, w and h.") from exc
    return HeroFit(k, (_div(hitbox["w"], k), _div(hitbox["h"], k)), hitbox)


def player_box(atlas: dict[str, Any]) -> tuple[int, int] | None:
    """The physics box (w, h) in world px levels must be proven with; None for a v1 atlas."""
    if "hitbox" not in atlas:
        return None
    return hero_fit(atlas).player


def species_of(atlas: dict[str, Any]) -> str:
    """The atlas's species (v2); "other" (neutral sounds and treats) when it names none."""
    species = atlas.get("species")
    return species if species in SPECIES else "other"
