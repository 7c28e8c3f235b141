"""The quality gate: which one pet the hero is drawn from, or why the photo needs a retake.

`check_subject` takes the photo, the cutout's mask and confidence and the detector's guess, and
either returns the chosen pet (its detection and a mask holding only that pet) or raises
`PhotoNeedsRetake` with one stable code and a message a person can act on:

- `no_pet_found`: the detector is installed and sees no cat or dog (choice "other" skips this);
- `several_pets`: two clearly separate pets of comparable size;
- `cutout_unsure`: the cutout is poor and a GrabCut seeded from the detector's box cannot save it;
- `pet_too_small`: the pet fills too little of the photo to read its face and coat;
- `head_cut_off`: the top edge of the photo runs through the pet.

Every threshold was measured on the 35 development photos in tests/data/pets (u2netp cutouts).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.segmentation import watershed

from core.errors import PhotoNeedsRetake
from core.hero.detect import SPECIES_THRESHOLD
from core.hero.traits import Box, Detection, Species, SpeciesChoice, SpeciesGuess
from core.images.cutout import (
    bounds,
    fill_holes,
    keep_subject_components,
    largest_components,
    smooth_edges,
    upscale_mask,
    working_copy,
)

# A second box at least this big relative to the chosen one is a pet of comparable size
# (dev: two dogs playing 0.66, two yorkies one behind the other 0.42).
COMPARABLE = 0.5
# Boxes overlapping less than this (IoU) are different animals.
SEPARATE_IOU = 0.3
# Two weak boxes, each at least this share of the chosen box and mostly inside it, side by
# side: one box drawn round two animals (the sleeping puppies: 0.48 and 0.35, score 0.2-0.25).
PAIR_AREA, PAIR_INSIDE, PAIR_IOU = 0.25, 0.8, 0.1
# The mask is kept within the chosen box grown by this share of its size on every side.
BOX_MARGIN = 0.06
# Cutouts under this confidence, or covering less than MIN_COVER of the box, are redone by
# GrabCut (dev: black cat on black 0.03, white cat on black 0.00; the rest >= 0.50).
RESCUE_BELOW, MIN_COVER = 0.3, 0.15
# Without a detector box a cutout is kept unless it is nearly worthless.
BLIND_FLOOR = 0.1
# Too small: under this share of the photo, or under this many pixels on its shorter side
# (dev: the smallest pets fill 0.09-0.12 of the frame).
MIN_FILL, MIN_SIDE = 0.03, 64
# The pet/intruder split runs on a copy this big; the pet grows from the middle of its box
# (CORE trimmed from each side).
SPLIT_SIDE, CORE = 256, 0.3
# GrabCut runs on a copy this big (~0.3-0.7 s on 2 cores); dark photos are lifted first so the
# colour model can tell black fur from a black room.
RESCUE_SIDE, RESCUE_ITERATIONS, DARK_MEDIAN = 256, 3, 60
# Head cut off: one stretch of the top row this share of the mask's width is in the pet (dev:
# ear tips cut by the frame 0.19-0.25 in two stretches; Chelsea's forehead 0.97).
TOP_RUN = 0.4

MESSAGES = {
    "no_pet_found": "We couldn't find a cat or a dog in this photo. Try a clearer photo of your"
    ' pet; if your pet is another animal, choose "Other" as the species.',
    "several_pets": 'We can see more than one pet in this photo. Use "Fix the crop" to pick'
    " just one, or send a photo with one pet.",
    "cutout_unsure": "We couldn't separate your pet from the background well enough. Try a"
    " photo in good light, against a plainer background that contrasts with the fur.",
    "pet_too_small": "Your pet is too small in this photo to draw its face and coat. Move"
    ' closer, or use "Fix the crop" to zoom in on your pet.',
    "head_cut_off": "The top of the photo cuts through your pet's head. Send a photo that"
    " shows the whole head with a little space above the ears, or crop it that way.",
}


@dataclass(frozen=True)
class Subject:
    """The one pet the hero is drawn from."""

    species: Species  # the choice, or the detector's guess when the choice was "auto"
    detection: Detection | None  # the chosen box (None for "other" or without a detector)
    mask: np.ndarray  # HxW uint8 0/255 at the photo's size: only this pet
    box: Box  # the mask's bounding box
    rescued: bool = False  # the mask came from GrabCut, not the cutout backend


def refuse(code: str) -> PhotoNeedsRetake:
    return PhotoNeedsRetake(MESSAGES[code], code=code)


def check_subject(
    *,
    image: Image.Image,
    mask: np.ndarray,
    confidence: float,
    guess: SpeciesGuess,
    species_choice: SpeciesChoice,
) -> Subject:
    """The chosen pet with a clean one-pet mask, or PhotoNeedsRetake with the reason."""
    if mask.shape[:2] != (image.height, image.width):
        raise ValueError(f"mask {mask.shape[:2]} does not match the photo {image.size[::-1]}")
    detection = choose_detection(guess, species_choice)
    box = detection.box if detection else None
    clean = restrict(separate(mask > 0, box, others(guess, detection)), box)
    rescued = False
    if detection is None and confidence > BLIND_FLOOR and clean.any():
        pass  # no box to rescue with (no weights, or "other"): keep the cutout as before
    elif confidence < RESCUE_BELOW or cover(clean, detection) < MIN_COVER:
        if detection is None:
            raise refuse("cutout_unsure")
        clean, rescued = grabcut_in_box(image, detection.box), True
        clean = restrict(clean, detection.box)
        if not plausible(clean, detection):
            raise refuse("cutout_unsure")
    if detection is not None:  # the hero is read from the head; the photo-pose look needs none
        check_frame(clean)
    species = guess.species if species_choice == "auto" else species_choice
    out = clean.astype(np.uint8) * np.uint8(255)
    return Subject(species, detection, out, bounds(clean), rescued)


def choose_detection(guess: SpeciesGuess, choice: SpeciesChoice) -> Detection | None:
    """The best cat/dog box; refuses photos with no pet or with several."""
    if choice == "other":
        return None  # the detector knows nothing of rabbits: go by the cutout alone
    pets = [d for d in guess.detections if d.score >= SPECIES_THRESHOLD]
    if not pets:
        if guess.backend == "none":
            return None
        raise refuse("no_pet_found")
    chosen = next((d for d in pets if d.species == choice), pets[0])
    rivals = [d for d in pets if d is not chosen and box_iou(d.box, chosen.box) < SEPARATE_IOU]
    if any(area(d.box) >= COMPARABLE * area(chosen.box) for d in rivals):
        raise refuse("several_pets")
    if holds_a_pair(chosen, guess.detections):
        raise refuse("several_pets")
    return chosen


def holds_a_pair(chosen: Detection, found: tuple[Detection, ...]) -> bool:
    """Whether two separate, sizeable weaker boxes sit inside the chosen one (two pets, one box)."""
    inside = [
        d.box
        for d in found
        if d is not chosen
        and area(d.box) >= PAIR_AREA * area(chosen.box)
        and overlap(d.box, chosen.box) >= PAIR_INSIDE * area(d.box)
    ]
    return any(box_iou(a, b) < PAIR_IOU for i, a in enumerate(inside) for b in inside[i + 1 :])


def others(guess: SpeciesGuess, chosen: Detection | None) -> list[Box]:
    """Boxes of other animals the detector saw apart from the chosen one (weak ones too)."""
    if chosen is None:
        return []
    return [
        d.box
        for d in guess.detections
        if d is not chosen and box_iou(d.box, chosen.box) < SEPARATE_IOU
    ]


def separate(mask: np.ndarray, box: Box | None, rivals: list[Box]) -> np.ndarray:
    """Cut people and things that touch the pet off the mask where the two blobs meet.

    A watershed over the mask's distance map grows the pet from the middle of its box and the
    intruder from its mask outside the box (and inside other animals' boxes); they meet at the
    narrowest neck between them, e.g. a girl's arms round a Great Dane, instead of at the box.
    """
    if box is None or not mask.any():
        return mask
    h, w = mask.shape
    scale = SPLIT_SIDE / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_AREA) > 0
    markers = np.zeros(small.shape, np.int32)
    markers[small & ~box_region(small.shape, grow(box, (w, h)), scale)] = 2
    ours_region = box_region(small.shape, box, scale)
    for rival in rivals:
        markers[small & box_region(small.shape, rival, scale) & ~ours_region] = 2
    if not markers.any():
        return mask  # nothing outside the box: nothing to cut off
    core = small & box_region(small.shape, shrink(box, CORE), scale)
    markers[core] = 1
    if not core.any():
        return mask
    depth = -ndimage.distance_transform_edt(small)
    labels = np.asarray(watershed(depth, markers, mask=small))  # type: ignore[no-untyped-call]
    ours = cv2.resize((labels == 1).astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
    return np.asarray(mask & (ours > 0), dtype=bool)


def box_region(shape: tuple[int, ...], box: Box, scale: float) -> np.ndarray:
    """Boolean image of `shape` that is True inside box (given in full-size pixels)."""
    region = np.zeros(shape[:2], dtype=bool)
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    region[y0:y1, x0:x1] = True
    return region


def shrink(box: Box, share: float) -> Box:
    x0, y0, x1, y1 = box
    dx, dy = round((x1 - x0) * share), round((y1 - y0) * share)
    return (x0 + dx, y0 + dy, max(x0 + dx + 1, x1 - dx), max(y0 + dy + 1, y1 - dy))


def restrict(mask: np.ndarray, box: Box | None) -> np.ndarray:
    """Only the main blob of the mask, within the (grown) box: drops people and furniture."""
    h, w = mask.shape
    x0, y0, x1, y1 = (0, 0, w, h) if box is None else grow(box, (w, h))
    kept = np.zeros((h, w), dtype=bool)
    # Blobs and holes are found inside the box only: outside it the mask is empty anyway.
    blobs = largest_components(mask[y0:y1, x0:x1] > 0)
    if not blobs:
        return kept
    if box is None and len(blobs) > 1 and blobs[1][1] >= COMPARABLE * blobs[0][1]:
        raise refuse("several_pets")  # no detector to tell pets from things: two big blobs
    kept[y0:y1, x0:x1] = fill_holes(blobs[0][0])
    return kept


def check_frame(mask: np.ndarray) -> None:
    """Refuse pets too small to read and pets whose head the top edge cuts off."""
    if not mask.any():
        raise refuse("cutout_unsure")
    x0, y0, x1, y1 = bounds(mask)
    if mask.mean() < MIN_FILL or min(x1 - x0, y1 - y0) < MIN_SIDE:
        raise refuse("pet_too_small")
    if longest_run(mask[0]) >= TOP_RUN * (x1 - x0):
        raise refuse("head_cut_off")


def grabcut_in_box(image: Image.Image, box: Box) -> np.ndarray:
    """Full-size boolean mask from GrabCut seeded with the box (everything outside: background)."""
    small = np.asarray(working_copy(image, RESCUE_SIDE))
    scale = small.shape[1] / image.width
    x0, y0 = int(box[0] * scale), int(box[1] * scale)
    x1 = min(small.shape[1] - 1, max(x0 + 2, round(box[2] * scale)))
    y1 = min(small.shape[0] - 1, max(y0 + 2, round(box[3] * scale)))
    pixels = np.ascontiguousarray(lift_shadows(small, (x0, y0, x1, y1))[:, :, ::-1])
    labels = np.zeros(small.shape[:2], np.uint8)
    models = (np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64))
    cv2.setRNGSeed(7)  # GrabCut's k-means draws from OpenCV's RNG: same photo, same mask
    try:
        cv2.grabCut(
            pixels,
            labels,
            (x0, y0, x1 - x0, y1 - y0),
            *models,
            RESCUE_ITERATIONS,
            cv2.GC_INIT_WITH_RECT,
        )
    except cv2.error:  # too few background pixels to model (a box filling the whole frame)
        return np.zeros((image.height, image.width), dtype=bool)
    found = (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)
    found = smooth_edges(fill_holes(keep_subject_components(found)))
    return upscale_mask(found, image.size) > 0


def lift_shadows(rgb: np.ndarray, box: Box) -> np.ndarray:
    """Gamma-brighten a dark photo so GrabCut's colour model sees the fur's texture."""
    x0, y0, x1, y1 = box
    median = float(np.median(rgb[y0:y1, x0:x1].mean(axis=2)))
    if median >= DARK_MEDIAN:
        return rgb
    gamma = float(np.clip(np.log(0.25) / np.log(max(median, 1.0) / 255.0), 0.35, 1.0))
    return (255.0 * (rgb / 255.0) ** gamma).astype(np.uint8)


def plausible(mask: np.ndarray, detection: Detection) -> bool:
    """A rescued mask must cover a fair part of its box without simply filling the rectangle."""
    x0, y0, x1, y1 = detection.box
    inner = mask[y0:y1, x0:x1]
    edges = np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]])
    return MIN_COVER <= float(inner.mean()) <= 0.95 and float(edges.mean()) < 0.9


def cover(mask: np.ndarray, detection: Detection | None) -> float:
    """Share of the detection box the mask fills (1 without a box: nothing to compare)."""
    if detection is None:
        return 1.0
    x0, y0, x1, y1 = detection.box
    return float(mask[y0:y1, x0:x1].mean()) if x1 > x0 and y1 > y0 else 0.0


def longest_run(row: np.ndarray) -> int:
    """Length of the longest stretch of True in a 1-D boolean array."""
    padded = np.concatenate([[0], row.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def grow(box: Box, size: tuple[int, int]) -> Box:
    """The box grown by BOX_MARGIN of its size on each side, clipped to the image."""
    x0, y0, x1, y1 = box
    dx, dy = round((x1 - x0) * BOX_MARGIN), round((y1 - y0) * BOX_MARGIN)
    return (max(0, x0 - dx), max(0, y0 - dy), min(size[0], x1 + dx), min(size[1], y1 + dy))


def area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def overlap(a: Box, b: Box) -> int:
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def box_iou(a: Box, b: Box) -> float:
    inter = overlap(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union else 0.0
