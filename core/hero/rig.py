"""The parametric side-view rig: a pet's proportions in pixels, from its species, build and height.

A rig is measured once per hero (`build_rig`); poses (core.hero.poses) only move its joints. Units
are pixels of the final sprite: the feet stand on y = -1 (the outline row sits under them, on the
ground line y = 0) and x = 0 is the middle of the body. Proportions follow cute game characters: a
big head (about half the height), short legs, ears and tail that read at 16 px.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.hero.traits import PetLook

# Fractions of the geometry height (the visible height less the outline above and below).
_CAT = {"head_r": 0.27, "body_len": 0.98, "body_h": 0.31, "leg_len": 0.22, "leg_w": 0.13}
_DOG_SMALL = {"head_r": 0.29, "body_len": 0.98, "body_h": 0.36, "leg_len": 0.19, "leg_w": 0.15}
_DOG_LARGE = {"head_r": 0.27, "body_len": 1.02, "body_h": 0.37, "leg_len": 0.27, "leg_w": 0.15}
_EARS = {  # (height above the head, width at the base), for pointed/folded ears
    ("cat", "pointed"): (0.20, 0.19),
    ("dog", "pointed"): (0.22, 0.16),
    ("cat", "folded"): (0.07, 0.16),
    ("dog", "folded"): (0.08, 0.16),
}
_TAILS = {  # (length, thickness)
    "long": (0.52, 0.085),
    "fluffy": (0.50, 0.15),
    "curled": (0.20, 0.10),
    "short": (0.13, 0.10),
}


@dataclass(frozen=True)
class Rig:
    """One hero's measurements in sprite pixels (see the module docstring for the axes)."""

    species: str
    height: float  # visible height, outline included (whole once calibrated)
    head_r: float
    head_x: float
    head_y: float
    body_len: float
    body_h: float
    body_y: float  # body centre
    leg_len: float
    leg_w: float
    front_x: float
    back_x: float
    far_shift: float  # how far the far legs sit from the near ones (to the front)
    ear: str
    ear_h: float
    ear_w: float
    floppy_len: float
    muzzle_len: float
    muzzle_h: float
    tail: str
    tail_len: float
    tail_w: float
    long_coat: bool

    @property
    def detail(self) -> float:
        """How many times bigger than a 48-px hero this one is (1 up to 48 px): the face and the
        stripes of an HD hero grow with it, or a 128-px hero would get a 48-px hero's eyes."""
        return max(1.0, self.height / 48)

    @property
    def eye_px(self) -> int:
        """Eye size in pixels: one pixel on the smallest sprites, a 2x2 or 3x3 block on big ones."""
        return 1 if self.height < 22 else (2 if self.height < 40 else 3)


def build_rig(look: PetLook, height: float) -> Rig:
    """The rig for `look` whose idle pose stands exactly `height` pixels tall (outline included)."""
    base = (
        _CAT if look.species == "cat" else _DOG_LARGE if look.body_size == "large" else _DOG_SMALL
    )
    p = dict(base)
    if look.build == "slim":
        p.update(body_h=p["body_h"] * 0.88, leg_len=p["leg_len"] * 1.12, leg_w=p["leg_w"] * 0.9)
    elif look.build == "stocky":
        p.update(body_h=p["body_h"] * 1.12, leg_len=p["leg_len"] * 0.9, leg_w=p["leg_w"] * 1.15)
    ear_h, ear_w = _EARS.get((look.species, look.ear), (0.0, 0.15))
    floppy = 0.34 if look.ear == "floppy" else 0.0
    tail_len, tail_w = _TAILS[look.tail]
    if look.species == "dog" and look.tail == "long":
        tail_len *= 0.8
    muzzle = (0.08, 0.12) if look.species == "cat" else (0.15, 0.17)
    if look.species == "dog" and look.body_size == "large":
        muzzle = (0.18, 0.18)
    # Stack the parts from the feet up: legs, body, a head riding high on the body's front, ears.
    head_rise = p["head_r"] * 0.62
    raw = p["leg_len"] + p["body_h"] + head_rise + p["head_r"] + ear_h * 0.85
    s = (height - 2) / raw
    body_y = -1 - s * (p["leg_len"] + p["body_h"] / 2)
    head_y = -1 - s * (p["leg_len"] + p["body_h"] + head_rise)
    body_len = s * p["body_len"]
    leg_w = max(2.0, s * p["leg_w"])
    return Rig(
        species=look.species,
        height=height,
        head_r=s * p["head_r"],
        head_x=body_len / 2 - s * p["head_r"] * 0.25,
        head_y=head_y,
        body_len=body_len,
        body_h=s * p["body_h"],
        body_y=body_y,
        leg_len=s * p["leg_len"],
        leg_w=leg_w,
        front_x=body_len / 2 - leg_w * 1.0,
        back_x=-body_len / 2 + leg_w * 0.9,
        far_shift=max(1.0, leg_w * 0.5),
        ear=look.ear,
        ear_h=s * ear_h,
        ear_w=s * ear_w,
        floppy_len=s * floppy,
        muzzle_len=s * muzzle[0],
        muzzle_h=s * muzzle[1],
        tail=look.tail,
        tail_len=s * tail_len,
        tail_w=max(1.6, s * tail_w),
        long_coat=look.coat.length == "long",
    )
