// The Game Boy (DMG) style's four shades: the world remapped onto them by ink.js. Must match core/pixelart/palettes.py
// FIXED for the style (tests/game/test_look.py checks). One module a style: see styles/all.js.

import { parseColour } from '../colour.js';
import { Ink, hexes, lightness, walk } from './ink.js';

export const palette = hexes('0f380f 306230 8bac0f 9bbc0f');
export const ink = () => new Ink(palette, shadeRoles);

// Game Boy (4 shades, 0 darkest .. 3 lightest): each layer of the world keeps its own band, so the sky,
// the scenery, the ground and the creatures never melt into one shade (ranking every colour of a theme by
// lightness put park's sky, far hills and grass on one shade). The sky alone is lightest; scenery one
// step down with its trunks and shadows under that; the ground and platforms the two darkest; enemies
// light bodies (2) with darker shading (1) and darkest outlines, so they stand off the ground they walk
// on and, by their outline, off the scenery. A key not listed keeps the lightness-rank mapping.
// `speck: 'rel'`: the ground's flecks, darker or lighter than the fill as drawn.
export const SHADE_ROLES = {
  sky: 3, cloud: 3, lit: 3, litWarm: 3, glint: 3, shine: 3, spike: 3, foeLight: 3, foeAccent: 3,
  far: 2, mid: 2, near: 2, cap: 2, drift: 2, cloudShade: 2, star: 2, flake: 2, planet: 2, moon: 2, palmLeaf: 2,
  trunk: 1, treeDark: 1, palmTrunk: 1, planetDark: 1, moonDark: 1, twinkle: 1,
  top: 1, fill: 1, platform: 1, voidEdge: 1, topDark: 0, fillDark: 0, platformDark: 0, void: 0, ink: 0,
  speck: 'rel', bush: 1, bushDark: 0,
  walker: 2, flyer: 2, jumper: 2, boss: 2, walkerDark: 1, flyerDark: 1, jumperDark: 1, bossDark: 1,
};

// styledTheme's step for a 4-shade palette: each key SHADE_ROLES lists takes its shade; returns them.
export function shadeRoles(ink, t, out) {
  if (!ink.shades || ink.order.length !== 4) return new Set();
  const roled = new Set(Object.keys(SHADE_ROLES).filter((k) => k in t));
  for (const key of roled) {
    let shade = SHADE_ROLES[key];
    if (shade === 'rel') shade = parseColour(t.fill) && lightness(t[key]) > lightness(t.fill) ? 2 : 0;
    out[key] = walk(t[key], (c) => (parseColour(c) ? ink.palette[ink.order[shade]] : c));
  }
  return roled;
}
