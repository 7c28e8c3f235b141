"""What the order services take and return: validated choices in, frozen dataclasses out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.hero.traits import Species, SpeciesChoice
from core.orders.lifecycle import OrderStatus
from core.petnames import PetName

# Named for people; core.levels takes 1 (relaxed) .. 5 (tough).
DIFFICULTY_LEVELS = {"easy": 1, "normal": 3, "hard": 5}
Provider = Literal["telegram", "discord", "web"]


class OrderChoices(BaseModel):
    """The buyer's choices; the service checks style and theme against the pipeline's lists."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    style: str = "16bit"
    theme: str = "park"
    pet_name: PetName = "Buddy"
    difficulty: Literal["easy", "normal", "hard"] = "normal"
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    # (x0, y0, x1, y1) as fractions of the photo, as in core.images.crop.
    user_crop: tuple[float, float, float, float] | None = None
    # The hero's species: "auto" lets the detector guess; cat/dog/other is the person's word.
    species: SpeciesChoice = "auto"

    @field_validator("user_crop")
    @classmethod
    def _crop_in_bounds(
        cls, v: tuple[float, float, float, float] | None
    ) -> tuple[float, float, float, float] | None:
        if v is None:
            return v
        x0, y0, x1, y1 = v
        if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1):
            raise ValueError("crop must be fractions 0..1 with x0 < x1 and y0 < y1")
        return v


@dataclass(frozen=True)
class UserView:
    id: str
    display_name: str
    created_at: datetime


@dataclass(frozen=True)
class Links:
    """Public URLs of an order's preview art and game (None until they exist). The photo and the
    cutout are private: they have no URL."""

    sprite: str | None = None
    sheet: str | None = None
    atlas: str | None = None
    preview_gif: str | None = None
    game: str | None = None  # the play page, /g/<code>
    game_code: str | None = None


@dataclass(frozen=True)
class OrderView:
    id: str
    token: str
    user_id: str
    status: OrderStatus
    package: str | None
    amount: int
    currency: str
    payment_ref: str | None
    choices: OrderChoices
    attempts: int
    created_at: datetime
    updated_at: datetime
    species: Species | None = None  # what the latest preview drew (None before one finished)
    species_guessed: bool = False  # True when the detector chose it (the choice was "auto")


@dataclass(frozen=True)
class OrderStatusView:
    """Everything a status page or bot needs to tell the buyer where their order is."""

    order_id: str
    status: OrderStatus
    percent: int
    label: str
    package: str | None
    error_code: str | None
    error_message: str | None
    refund_due: bool
    links: Links
    updated_at: datetime
    species_choice: SpeciesChoice = "auto"
    species: Species | None = None  # what the latest preview drew (None before one finished)
    species_guessed: bool = False


@dataclass(frozen=True)
class PaymentResult:
    """Outcome of mark_paid: `changed` is False when the order was already paid (a duplicate)."""

    order_id: str
    status: OrderStatus
    payment_ref: str
    amount: int
    currency: str
    changed: bool


@dataclass(frozen=True)
class CheckoutInfo:
    """Where to send the buyer to pay; `free` checkouts need no payment step at all."""

    provider: str
    label: str
    amount: int
    currency: str
    url: str | None = None
    reference: str | None = None
    free: bool = False


@dataclass(frozen=True)
class GameView:
    id: str
    code: str
    order_id: str
    user_id: str
    url: str
    index_url: str
    config: dict[str, Any]
    assets: dict[str, Any]
    meta: dict[str, Any]
    views: int
    shares: int
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class DeletionReport:
    """What delete_user_data removed."""

    user_id: str
    orders: int
    games: int
    files: int
    found: bool = True
    notes: list[str] = field(default_factory=list)
