"""What can be bought: the free preview and the paid game packages, priced from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import Settings
from core.errors import InvalidRequest


@dataclass(frozen=True)
class Package:
    """One offer. `amount` is in the smallest currency unit (cents); 0 means free."""

    name: str
    title: str
    description: str
    amount: int
    currency: str
    levels: int
    boss: bool
    hd_sprite: bool

    @property
    def is_game(self) -> bool:
        return self.levels > 0


def packages(settings: Settings) -> dict[str, Package]:
    """Every package, in the order they are offered."""
    cur = settings.currency
    return {
        "preview": Package(
            "preview", "Preview", "Animated sprite sheet and GIF", 0, cur, 0, False, False
        ),
        "classic": Package(
            "classic", "Classic game", "3 levels starring your pet, ending in a boss fight",
            settings.price_classic, cur, 3, True, False,
        ),
        "deluxe": Package(
            "deluxe", "Deluxe game", "6 levels, a boss fight and an HD sprite download",
            settings.price_deluxe, cur, 6, True, True,
        ),
    }  # fmt: skip


def game_packages(settings: Settings) -> dict[str, Package]:
    """The packages that build a game (everything except the preview)."""
    return {name: p for name, p in packages(settings).items() if p.is_game}


def get_package(settings: Settings, name: str) -> Package:
    """The game package called `name`, or InvalidRequest listing the ones on offer."""
    offered = game_packages(settings)
    if name not in offered:
        raise InvalidRequest(
            f"Unknown package {name!r}. Choose one of: {', '.join(offered)}.", code="bad_package"
        )
    return offered[name]


def draws_hd(settings: Settings, name: str | None) -> bool:
    """Whether building package `name` draws the HD sprite (a GPU job, see core.jobs.LANES)."""
    offer = packages(settings).get(name or "")
    return offer is not None and offer.hd_sprite
