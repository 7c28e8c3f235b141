"""Level themes: names, colours for the renderer, and how each theme leans its terrain."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    title: str
    sky: str
    ground: str
    accent: str
    platform_bias: float  # share of pits bridged with one-way platforms
    flyer_bias: float  # share of enemies that fly


THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        Theme("park", "Sunny Park", "#8fd3ff", "#4a8c3a", "#f6d04d", 0.3, 0.25),
        Theme("beach", "Beach Day", "#9be7ff", "#e8c872", "#2aa7c9", 0.4, 0.3),
        Theme("snow", "Snowy Hills", "#cfe8ff", "#f4f8ff", "#5a8bd6", 0.3, 0.2),
        Theme("city", "City Rooftops", "#ffb38a", "#55606e", "#ffd23f", 0.5, 0.35),
        Theme("space", "Moon Base", "#14142b", "#8a8fa8", "#b46cff", 0.6, 0.45),
    )
}


def get_theme(name: str) -> Theme:
    """The theme called `name`, or a friendly error listing the choices."""
    if name not in THEMES:
        choices = ", ".join(sorted(THEMES))
        raise InvalidRequest(f"Unknown theme {name!r}. Pick one of: {choices}.")
    return THEMES[name]
