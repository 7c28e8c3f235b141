"""Request (`XCreate`) and response (`XPublic`) models of the JSON API.

Ids in the API are the order's unguessable token: one photo makes one order, which makes one game,
so `image_id` and a game's `id` are the same opaque string and nobody can walk someone else's ids.
It is the buyer's credential (keep it private); the order's database id is never accepted, and
shareable links (preview art, the game) carry neither.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

from core.hero.traits import Species, SpeciesChoice
from core.petnames import MAX_NAME
from core.petnames import PetName as PetNameRule

Fraction = Field(ge=0.0, le=1.0)


class ErrorBody(BaseModel):
    code: str = Field(examples=["image_rejected"])
    message: str = Field(examples=["That file isn't a photo we can read. Try a JPEG or PNG."])


class ErrorPublic(BaseModel):
    error: ErrorBody


TOKEN_HELP = "The order's private token from the upload (keep it secret: it opens the order)."


class UploadPublic(BaseModel):
    image_id: str = Field(description=TOKEN_HELP)
    status: str
    order_url: str = Field(description="The private 'my order' page for this photo.")
    status_url: str


class ImageRef(BaseModel):
    image_id: str = Field(min_length=8, max_length=128, description=TOKEN_HELP)


class CropCreate(ImageRef):
    """The user's crop as fractions of the photo, so it survives any resizing."""

    x0: float = Fraction
    y0: float = Fraction
    x1: float = Fraction
    y1: float = Fraction

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.x1 - self.x0 < 0.05 or self.y1 - self.y0 < 0.05:
            raise ValueError(
                "the crop box must be at least 5% wide and tall, with x0 < x1, y0 < y1"
            )
        return self

    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


class StylePublic(BaseModel):
    name: str
    title: str
    description: str


class StatusPublic(BaseModel):
    image_id: str = Field(description=TOKEN_HELP)
    status: str = Field(
        description="draft, preview_ready, awaiting_payment, paid, building, ready, failed"
    )
    progress: int = Field(ge=0, le=100)
    label: str
    pet_name: str | None = None
    style: str | None = None
    preview_url: str | None = Field(
        default=None, description="The animated preview: public art, its link safe to share"
    )
    sprite_url: str | None = None
    error_code: str | None = None
    error: str | None = None
    game_url: str | None = None
    species_choice: SpeciesChoice = Field(default="auto", description="auto, cat, dog or other")
    species: Species | None = Field(default=None, description="What the preview drew")
    species_guessed: bool = Field(default=False, description="True when we guessed the species")
    species_note: str | None = Field(default=None, examples=["Looks like a cat to me…"])
    next_steps: list[str] = Field(
        default_factory=list,
        description="After a failed preview: crop (fix the crop), use_other, photo (another one)",
    )


class PetName(BaseModel):
    pet_name: PetNameRule | None = Field(
        default=None, description=f"1 to {MAX_NAME} characters (core.petnames)", examples=["Rex"]
    )


class GenerateCreate(ImageRef, PetName):
    style: str = Field(min_length=1, max_length=32, examples=["16bit"])
    theme: str | None = Field(default=None, min_length=1, max_length=32, examples=["park"])
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    species: SpeciesChoice | None = Field(default=None, examples=["auto"])


class CustomizeCreate(ImageRef, PetName):
    style: str | None = Field(default=None, min_length=1, max_length=32)
    theme: str | None = Field(default=None, min_length=1, max_length=32)
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    species: SpeciesChoice | None = Field(default=None, examples=["cat"])


class GameCreate(ImageRef):
    package: str = Field(min_length=1, max_length=32, examples=["classic"])


class GameCustomize(PetName):
    theme: str | None = Field(default=None, min_length=1, max_length=32)


class GamePublic(BaseModel):
    id: str = Field(description=TOKEN_HELP)
    status: str
    progress: int = Field(ge=0, le=100)
    label: str
    package: str | None = None
    price_label: str | None = None
    checkout_url: str | None = Field(default=None, description="Where to pay; null when free.")
    code: str | None = None
    url: str | None = None
    qr_url: str | None = None
    views: int = 0
    error: str | None = None
