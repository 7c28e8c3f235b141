"""Level JSON v1 checks (the same rules as game_template/js/levelschema.js)."""

from __future__ import annotations

from typing import Any

TILE_CHARS = set(".#=^*")  # `*`: a springy bush (solid; park)
ENTITY_TYPES = {"walker", "flyer", "jumper", "boss", "treat", "checkpoint"}
REQUIRED: tuple[str, ...] = ("version", "index", "theme", "width", "height", "tiles")
REQUIRED += ("start", "goal", "entities", "boss")


def _spot_errors(level: dict[str, Any], name: str, spot: Any) -> list[str]:
    if not isinstance(spot, dict) or not all(isinstance(spot.get(a), int) for a in "xy"):
        return [f"{name} needs integer x and y"]
    if not (0 <= spot["x"] < level["width"] and 0 <= spot["y"] < level["height"]):
        return [f"{name} ({spot['x']}, {spot['y']}) is outside the map"]
    return []


def _tile_errors(level: dict[str, Any]) -> list[str]:
    tiles = level["tiles"]
    if len(tiles) != level["height"]:
        return [f"tiles has {len(tiles)} rows, height says {level['height']}"]
    errors = [
        f"row {y} is not {level['width']} chars"
        for y, r in enumerate(tiles)
        if len(r) != level["width"]
    ]
    bad = {ch for row in tiles for ch in row} - TILE_CHARS
    return errors + ([f"unknown tile chars {sorted(bad)}"] if bad else [])


def _standing_errors(level: dict[str, Any], name: str, spot: dict[str, int]) -> list[str]:
    x, y = spot["x"], spot["y"]
    if level["tiles"][y][x] != ".":
        return [f"{name} ({x}, {y}) is inside a {level['tiles'][y][x]!r} tile"]
    if y + 1 >= level["height"] or level["tiles"][y + 1][x] not in "#=":
        return [f"{name} ({x}, {y}) has no ground under it"]
    return []


def validate_level(level: dict[str, Any]) -> list[str]:
    """Every problem found, as friendly sentences; an empty list means valid."""
    missing = [f for f in REQUIRED if f not in level]
    if missing:
        return [f"missing fields: {', '.join(missing)}"]
    if level["version"] != 1:
        return [f"version {level['version']} is not supported (expected 1)"]
    errors = _tile_errors(level)
    for name in ("start", "goal"):
        errors += _spot_errors(level, name, level[name])
    if errors:
        return errors
    errors += _standing_errors(level, "start", level["start"])
    for i, e in enumerate(level["entities"]):
        if e.get("type") not in ENTITY_TYPES:
            errors.append(f"entity {i} has unknown type {e.get('type')!r}")
        errors += _spot_errors(level, f"entity {i}", e)
    bosses = sum(e.get("type") == "boss" for e in level["entities"])
    if bosses != (1 if level["boss"] else 0):
        errors.append(f"boss is {level['boss']} but the level has {bosses} boss entities")
    return errors
