// The full-palette styles' rule for styledTheme (styles/ink.js): the world's layers kept apart. Only
// pico8.js and 8bit.js import it, so the Game Boy style's page goes without it.

import { parseColour } from '../colour.js';
import { Ink } from './ink.js';

// Each layer and what it is drawn over (both ends of the sky gradient, the layers behind it).
const LAYERS = [['far', ['sky']], ['mid', ['sky', 'far']], ['near', ['mid']], ['fill', ['sky', 'near']]];
const lower = (v) => [v].flat().filter((c) => typeof c === 'string').map((c) => c.toLowerCase());

// styledTheme's step for a full palette: nearest colours can put a layer on the colour it is drawn
// over (PICO-8 city's skyline went into its sky, 8-bit space's ground too); such a layer takes the
// nearest colour left instead.
export function apart(ink, t, out) {
  if (ink.shades) return new Set();
  for (const [key, behind] of LAYERS) {
    if (typeof out[key] !== 'string' || !parseColour(t[key])) continue;
    if (behind.some((b) => lower(t[b]).includes(t[key].toLowerCase()))) continue; // drawn alike
    const taken = new Set(behind.flatMap((b) => lower(out[b])));
    if (!taken.has(out[key].toLowerCase())) continue;
    const left = ink.palette.filter((h) => !taken.has(h));
    if (left.length > 4) out[key] = left[new Ink(left).nearest(parseColour(t[key]))];
  }
  return new Set(); // it settles no key: the Dark/Light order is still kept after it
}
