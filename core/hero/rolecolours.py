"""Which exact colour each paint role gets in a style: the pet's own colours, kept readable.

The pet's colours come from the photo (`PetLook`); here they are spread into a ramp that reads at
sprite size (a near-black coat is lifted to charcoal so its shading and eyes still show) and then
fitted to the style's palette: SNES 15-bit, the NES or PICO-8 tables, four Game Boy greens, or
free colours for the modern look. Roles that must differ (base, shade, highlight, eyes) stay
different after the fit.
"""

from __future__ import annotations

import numpy as np
from skimage.color import deltaE_ciede2000

from core.hero.paint import Role
from core.hero.traits import RGB, PetLook
from core.pixelart.colour import hex_array, lab_to_rgb, rgb_to_lab
from core.pixelart.palettes import FIXED, snap_15bit
from core.pixelart.styles import Style

RoleColours = dict[Role, RGB]
FUR_HUES = (15.0, 115.0)  # Lab hues of pigment: red, orange, tan, gold, cream, brown
TINT_CHROMA = 6.0
GREY_WEIGHT = 0.5  # palette fit: CIEDE2000 plus this much per unit of chroma lost
NOT_FUR_PENALTY = 15.0  # ... and this much for a blue, purple or green entry on the coat


def _lab(rgb: RGB) -> np.ndarray:
    return np.asarray(rgb_to_lab(np.array([rgb], dtype=np.uint8))[0])


def _rgb(lab: np.ndarray) -> RGB:
    r, g, b = lab_to_rgb(np.array([lab], dtype=np.float32))[0]
    return int(r), int(g), int(b)


def _with_l(rgb: RGB, light: float, chroma: float = 1.0) -> RGB:
    lab = _lab(rgb).astype(np.float32)
    lab[0] = np.clip(light, 0, 100)
    lab[1:] *= chroma
    return _rgb(lab)


def _delta(a: RGB, b: RGB) -> float:
    return float(np.linalg.norm(_lab(a) - _lab(b)))


def fur(rgb: RGB) -> RGB:
    """A coat colour as fur can be: no pet is blue, purple or green, so on those hues only a faint
    tint (a blue-grey cat's) is kept; more is the light's, such as the sky on glossy black fur."""
    lab = _lab(rgb).astype(np.float32)
    chroma = float(np.hypot(lab[1], lab[2]))
    hue = float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)
    if FUR_HUES[0] <= hue <= FUR_HUES[1] or chroma <= TINT_CHROMA:
        return rgb
    lab[1:] *= TINT_CHROMA / chroma
    return _rgb(lab)


def role_colours(look: PetLook) -> RoleColours:
    """The ideal colour of every role, before any palette is applied."""
    coat = look.coat
    coat_base = fur(coat.base)
    base_l = float(np.clip(_lab(coat_base)[0], 24, 90))
    # Near-black fur is nearly neutral: a tint in it is mostly the room's light, and at sprite
    # size it reads as a purple or green pet rather than a black one.
    dark = float(np.clip((_lab(coat_base)[0] - 15) / 25, 0.35, 1.0))
    base = _with_l(coat_base, base_l, dark)
    shade = _with_l(coat_base, base_l - max(12.0, base_l * 0.22), 1.05 * dark)
    if _lab(coat.shade)[0] < base_l - 8:
        shade = _with_l(fur(coat.shade), min(_lab(coat.shade)[0], base_l - 10), dark)
    highlight = _with_l(coat_base, min(98.0, base_l + max(10.0, (100 - base_l) * 0.35)), 0.9 * dark)
    pattern = fur(coat.pattern_colour) if coat.pattern_colour else _with_l(coat_base, base_l - 25)
    if _delta(pattern, base) < 14:
        pattern = _with_l(pattern, base_l - 22 if base_l > 35 else base_l + 22)
    secondary = fur(coat.secondary) if coat.secondary else (245, 242, 235)
    sec_l = float(_lab(secondary)[0])
    tertiary = fur(coat.tertiary) if coat.tertiary else pattern
    ter_l = float(_lab(tertiary)[0])
    colours: RoleColours = {
        Role.BASE: base,
        Role.SHADE: shade,
        Role.HIGHLIGHT: highlight,
        Role.PATTERN: pattern,
        Role.SECONDARY: secondary,
        Role.SECONDARY_SHADE: _with_l(secondary, sec_l - max(12.0, sec_l * 0.18)),
        Role.TERTIARY: tertiary,
        Role.TERTIARY_SHADE: _with_l(tertiary, max(ter_l - max(10.0, ter_l * 0.18), 6.0)),
        Role.PUPIL: (24, 18, 20),
        Role.GLINT: (255, 255, 255),
        Role.PINK: (236, 148, 160),
        Role.MOUTH: (96, 30, 42),
        Role.EFFECT: (255, 250, 220),
        Role.OUTLINE: _with_l(coat_base, 9, 0.6),
    }
    colours[Role.EYE] = _readable_eye(look.eye_colour, base)
    nose = look.nose_colour
    colours[Role.NOSE] = nose if _delta(nose, base) > 18 else _with_l(nose, max(base_l - 40, 8))
    colours[Role.FLASH] = (255, 255, 255) if base_l < 70 else (236, 64, 64)
    return colours


def _readable_eye(eye: RGB, fur: RGB) -> RGB:
    """The eye colour, pushed lighter or darker until it stands out from the fur around it."""
    if _delta(eye, fur) >= 30:
        return eye
    fur_l = float(_lab(fur)[0])
    return _with_l(eye, min(fur_l + 40, 85) if fur_l < 50 else max(fur_l - 45, 12), 1.3)


def fit_style(colours: RoleColours, style: Style) -> RoleColours:
    """The colours moved onto the style's palette, keeping the roles that must differ apart."""
    if style.palette == "free":
        return dict(colours)
    if style.palette == "snes15":
        return {role: _snap(rgb) for role, rgb in colours.items()}
    table = [tuple(int(v) for v in c) for c in hex_array(FIXED[style.palette])]
    if style.luma_only:
        return _fit_shades(colours, table)
    return _fit_table(colours, table, style)


def _snap(rgb: RGB) -> RGB:
    r, g, b = snap_15bit(np.array([rgb], dtype=np.uint8))[0]
    return int(r), int(g), int(b)


_COAT_ROLES = (
    Role.BASE, Role.SHADE, Role.HIGHLIGHT, Role.PATTERN, Role.SECONDARY, Role.SECONDARY_SHADE,
    Role.TERTIARY, Role.TERTIARY_SHADE,
)  # fmt: skip


def _fit_table(colours: RoleColours, table: list[tuple[int, ...]], style: Style) -> RoleColours:
    labs = rgb_to_lab(np.array(table, dtype=np.uint8))
    chroma = np.hypot(labs[:, 1], labs[:, 2])
    hue = np.degrees(np.arctan2(labs[:, 2], labs[:, 1])) % 360
    not_fur = (chroma > 2 * TINT_CHROMA) & ((hue < FUR_HUES[0]) | (hue > FUR_HUES[1]))

    def nearest(rgb: RGB, *, lighter: float | None = None, darker: float | None = None,
                avoid: tuple[RGB, ...] = (), coat: bool = True) -> RGB:  # fmt: skip
        target = _lab(rgb)
        # CIEDE2000 weighs hue and chroma as the eye does (plain Lab distance turns a tan coat
        # grey); chroma lost on the way counts extra (never toward grey), and a coat never takes
        # a blue, purple or green entry while a fur-coloured one is near (a black saddle navy).
        dist = deltaE_ciede2000(np.broadcast_to(target, labs.shape), labs)  # type: ignore[no-untyped-call]
        dist = dist + GREY_WEIGHT * np.maximum(np.hypot(*target[1:]) - chroma, 0.0)
        if coat:
            dist = dist + np.where(not_fur, NOT_FUR_PENALTY, 0.0)
        ok = np.ones(len(table), dtype=bool)
        if lighter is not None:
            ok &= labs[:, 0] > lighter + 3
        if darker is not None:
            ok &= labs[:, 0] < darker - 3
        for a in avoid:
            ok &= np.linalg.norm(labs - _lab(a), axis=1) > 1
        pick = int(np.argmin(np.where(ok, dist, np.inf))) if ok.any() else int(np.argmin(dist))
        return tuple(table[pick])  # type: ignore[return-value]

    out = {role: nearest(rgb, coat=role in _COAT_ROLES) for role, rgb in colours.items()}
    base_l = float(_lab(out[Role.BASE])[0])
    out[Role.SHADE] = nearest(colours[Role.SHADE], darker=base_l)
    out[Role.HIGHLIGHT] = nearest(colours[Role.HIGHLIGHT], lighter=base_l)
    out[Role.PATTERN] = nearest(colours[Role.PATTERN], avoid=(out[Role.BASE],))
    eye_avoid = (out[Role.BASE], out[Role.HIGHLIGHT])
    out[Role.EYE] = nearest(colours[Role.EYE], avoid=eye_avoid, coat=False)
    sec_l = float(_lab(out[Role.SECONDARY])[0])
    out[Role.SECONDARY_SHADE] = nearest(colours[Role.SECONDARY_SHADE], darker=sec_l)
    if style.outline_colour:
        out[Role.OUTLINE] = tuple(int(v) for v in hex_array([style.outline_colour])[0])  # type: ignore[assignment]
    # A black saddle drawn in the outline's black would read as a hole in the outline.
    marks = (out[Role.BASE], out[Role.SECONDARY], out[Role.OUTLINE])
    out[Role.TERTIARY] = nearest(colours[Role.TERTIARY], avoid=marks)
    ter_l = float(_lab(out[Role.TERTIARY])[0])
    out[Role.TERTIARY_SHADE] = nearest(colours[Role.TERTIARY_SHADE], darker=ter_l)
    return out


def _fit_shades(colours: RoleColours, table: list[tuple[int, ...]]) -> RoleColours:
    """Four-shade palettes: roles by lightness; the darkest shade is kept for the outline."""
    shades = [tuple(c) for c in table]  # darkest first

    def idx(rgb: RGB) -> int:
        light = float(_lab(rgb)[0])
        return int(np.clip(round(light / 100 * 3), 1, 3))

    base = idx(colours[Role.BASE])
    pick = {role: shades[idx(rgb)] for role, rgb in colours.items()}
    pick[Role.SHADE] = shades[max(1, base - 1)] if base > 1 else shades[0]
    pick[Role.HIGHLIGHT] = shades[min(3, base + 1)]
    pick[Role.BASE] = shades[base]
    pick[Role.PATTERN] = shades[base - 1 if base > 1 else base + 1]
    pick[Role.EYE] = shades[0] if base >= 2 else shades[3]
    pick[Role.PUPIL] = shades[0]
    pick[Role.GLINT] = shades[3]
    pick[Role.OUTLINE] = shades[0]
    sec = idx(colours[Role.SECONDARY])
    if sec == base:
        sec = 3 if base < 3 else 2
    pick[Role.SECONDARY] = shades[sec]
    pick[Role.SECONDARY_SHADE] = shades[max(1, sec - 1)]
    ter = idx(colours[Role.TERTIARY])
    if ter == base:
        ter = base - 1 if base > 1 else base + 1
    pick[Role.TERTIARY] = shades[ter]
    pick[Role.TERTIARY_SHADE] = shades[max(1, ter - 1)]
    pick[Role.FLASH] = shades[3] if base < 3 else shades[1]
    return pick  # type: ignore[return-value]
