// Themes: the colours of park, beach, snow, city and space (each theme's own module, themes/<name>.js, holds
// its data; background.js and tiles.js turn it into pixels). theme(name) hands out the colours in
// the game's style (styledTheme below): every colour key, whatever its name, follows the palette.

import { Ink, activeInk, lightness, lockContext, parseColour } from './palette.js';
import { WORLDS } from './themes/all.js';

// Each theme's data and art: its own module (themes/<name>.js), listed by themes/all.js.
export const THEMES = Object.fromEntries(Object.entries(WORLDS).map(([name, w]) => [name, w.colours]));

// A theme's module; a name the game does not carry gets park's (or, packaged, the game's first theme).
export function world(name) {
  return WORLDS[name] || WORLDS.park || Object.values(WORLDS)[0];
}

// Colours every theme shares unless it names its own.
const COMMON = {
  cloud: '#ffffff', cloudShade: '#e3eef7', star: '#f4f4f4', twinkle: '#ffcd75', flake: '#ffffff',
  shine: '#ffffff',
};

// The theme's colours in the game's style: full colour, or mapped onto the fixed palette (palette.js).
const styled = new Map();
export function theme(name) {
  const base = { ...COMMON, ...world(name).colours };
  const ink = activeInk();
  if (!ink) return base;
  const key = `${name}|${ink.palette.join()}`;
  if (!styled.has(key)) styled.set(key, styledTheme(base, ink.palette));
  return styled.get(key);
}

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

// Every colour in `t` (any key, strings, arrays and nested objects alike) mapped onto `palette` once:
// nearest in OKLab (lightness weighted), or for 4-shade palettes (Game Boy) by SHADE_ROLES, and keys it
// does not list by lightness rank among the theme's own colours. Each key `xDark` drawn darker than `x`
// stays darker (and `xLight` lighter), so edges and shading keep reading.
export function styledTheme(t, palette) {
  if (!palette || !palette.length) return t;
  const ink = new Ink(palette);
  const colours = [];
  walk(t, (c) => { if (parseColour(c)) colours.push(c.toLowerCase()); return c; });
  const unique = [...new Set(colours)].sort((a, b) => lightness(a) - lightness(b));
  const n = ink.order.length;
  const pick = (c) => {
    const key = c.toLowerCase(), rgba = parseColour(key);
    if (!ink.shades) return ink.nearest(rgba);
    return ink.order[Math.min(n - 1, Math.floor((unique.indexOf(key) * n) / unique.length))];
  };
  const out = walk(t, (c) => (parseColour(c) ? ink.palette[pick(c)] : c));
  const roled = ink.shades && n === 4 ? new Set(Object.keys(SHADE_ROLES).filter((k) => k in t)) : new Set();
  for (const key of roled) {
    let shade = SHADE_ROLES[key];
    if (shade === 'rel') shade = parseColour(t.fill) && lightness(t[key]) > lightness(t.fill) ? 2 : 0;
    out[key] = walk(t[key], (c) => (parseColour(c) ? ink.palette[ink.order[shade]] : c));
  }
  for (const key of Object.keys(out)) {
    if (roled.has(key)) continue;
    for (const [suffix, darker] of [['Dark', true], ['Light', false]]) {
      const base = key.endsWith(suffix) && key.slice(0, -suffix.length);
      if (!base || typeof out[base] !== 'string' || typeof out[key] !== 'string') continue;
      if (!parseColour(t[key]) || !parseColour(t[base])) continue;
      if (darker !== lightness(t[key]) < lightness(t[base])) continue; // only the order drawn in
      const moved = keepOrder(ink, t[key], out[key], out[base], darker);
      // Nothing darker than the base's colour (or lighter): move the base the other way instead.
      if (moved) out[key] = moved;
      else if (!roled.has(base)) out[base] = keepOrder(ink, t[base], out[base], out[key], !darker) || out[base];
    }
  }
  return out;
}

// `mapped` (from `original`) must stay darker (or lighter) than `anchor`: else the nearest palette
// colour on the right side of it; null when the palette has none.
function keepOrder(ink, original, mapped, anchor, darker) {
  const la = lightness(anchor), ok = (h) => (darker ? lightness(h) < la : lightness(h) > la);
  if (ok(mapped)) return mapped;
  const want = parseColour(original);
  const side = ink.palette.filter(ok).sort((a, b) => lightness(a) - lightness(b));
  if (!side.length) return null;
  if (ink.shades) return darker ? side[side.length - 1] : side[0];
  const sub = new Ink(side);
  return sub.palette[sub.nearest(want)];
}

function walk(value, fn) {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, fn)]));
  return value;
}

// A small seeded generator (mulberry32): the same game always draws the same scenery.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function canvas(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = lockContext(c.getContext('2d')); // palette styles: only palette colours land here
  ctx.imageSmoothingEnabled = false;
  return [c, ctx];
}
