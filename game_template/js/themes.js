// Theme palettes: sky, parallax layers, tiles and accents for park, beach, snow, city and space.
// Plain data only; background.js and tiles.js turn it into pixels. theme(name) hands out the colours in
// the game's style (styledTheme below): every colour key, whatever its name, follows the palette.

import { Ink, activeInk, lightness, lockContext, parseColour } from './palette.js';

export const THEMES = {
  park: {
    sky: ['#7ec8f0', '#d4f1ff'], far: '#8fc9a0', mid: '#5aa469', near: '#3e8948', deco: 'clouds',
    top: '#63c74d', topDark: '#3e8948', fill: '#8b5a2b', fillDark: '#6b4220', speck: '#a0703c',
    platform: '#b86f50', platformDark: '#743f39', spike: '#c2c3c7', ink: '#1a1c2c',
    walker: '#a0703c', walkerDark: '#6b4220', flyer: '#ffcd75', flyerDark: '#333c57', jumper: '#a7f070',
    jumperDark: '#38b764', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ef7d57', foeLight: '#f4f4f4',
    bush: '#63c74d', bushDark: '#257179',
    trunk: '#3b5d3a', void: '#120d0a', voidEdge: '#3d2a18',
  },
  beach: {
    sky: ['#4fb6e8', '#ffe9b8'], far: '#2a8fbd', mid: '#3aa7c9', near: '#e8c26a', deco: 'clouds',
    top: '#f7dc8c', topDark: '#e8b85a', fill: '#d9a557', fillDark: '#b9853f', speck: '#f2cf83',
    platform: '#a0703c', platformDark: '#6b4220', spike: '#f4f4f4', ink: '#1a1c2c',
    walker: '#e43b44', walkerDark: '#9e2835', flyer: '#f4f4f4', flyerDark: '#94b0c2', jumper: '#ff9e5e',
    jumperDark: '#c75b39', boss: '#b13e53', bossDark: '#7e2553', foeAccent: '#ffcd75', foeLight: '#ffffff',
    bush: '#38b764', bushDark: '#257179',
    glint: '#8fd3f4', palmTrunk: '#8b5a2b', palmLeaf: '#38b764', void: '#140f0a', voidEdge: '#6b4a22',
  },
  snow: {
    sky: ['#9bb7d4', '#eef4fb'], far: '#c7d6ea', mid: '#94b0c2', near: '#566c86', deco: 'snowflakes',
    top: '#f4f8ff', topDark: '#c7d6ea', fill: '#566c86', fillDark: '#333c57', speck: '#73869e',
    platform: '#94b0c2', platformDark: '#566c86', spike: '#dff6f5', ink: '#1a1c2c',
    walker: '#333c57', walkerDark: '#1a1c2c', flyer: '#a08266', flyerDark: '#5e4a3e', jumper: '#94b0c2',
    jumperDark: '#566c86', boss: '#c7d6ea', bossDark: '#566c86', foeAccent: '#ef7d57', foeLight: '#ffffff',
    bush: '#94b0c2', bushDark: '#566c86',
    cap: '#eef4fb', treeDark: '#333c57', drift: '#dfe9f5', void: '#0b0e1a', voidEdge: '#262b44',
  },
  city: {
    sky: ['#2b2d5c', '#f08a5d'], far: '#5d4a7a', mid: '#3b3556', near: '#262238', deco: 'stars',
    top: '#8a8fa3', topDark: '#5c6075', fill: '#4a4e69', fillDark: '#363a50', speck: '#9a8c98',
    platform: '#c9ada7', platformDark: '#9a8c98', spike: '#f2e9e4', ink: '#141320',
    walker: '#a39aa8', walkerDark: '#625c6e', flyer: '#8a93b5', flyerDark: '#4b5476', jumper: '#94b0c2',
    jumperDark: '#566c86', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ff77a8', foeLight: '#f4f4f4',
    bush: '#38b764', bushDark: '#257179',
    lit: '#f4d58d', litWarm: '#ffcd75', void: '#07060d', voidEdge: '#26283a',
  },
  space: {
    sky: ['#0b0b23', '#2a1b4a'], far: '#3b2a66', mid: '#3a2d6b', near: '#2a2050', deco: 'stars',
    top: '#9d8fd1', topDark: '#6b5b95', fill: '#433870', fillDark: '#2f2752', speck: '#5d4f94',
    platform: '#73eff7', platformDark: '#29adff', spike: '#ff77a8', ink: '#05050f',
    walker: '#a7f070', walkerDark: '#38b764', flyer: '#c2c3c7', flyerDark: '#5f574f', jumper: '#29adff',
    jumperDark: '#1d2b53', boss: '#ff77a8', bossDark: '#7e2553', foeAccent: '#ffec27', foeLight: '#fff1e8',
    bush: '#a7f070', bushDark: '#38b764',
    planet: '#b13e53', planetDark: '#7e2553', moon: '#41a6f6', moonDark: '#3b5dc9', void: '#020207', voidEdge: '#1d1838',
  },
};

// Colours every theme shares unless it names its own.
const COMMON = {
  cloud: '#ffffff', cloudShade: '#e3eef7', star: '#f4f4f4', twinkle: '#ffcd75', flake: '#ffffff',
  shine: '#ffffff',
};

// The theme's colours in the game's style: full colour, or mapped onto the fixed palette (palette.js).
const styled = new Map();
export function theme(name) {
  const base = { ...COMMON, ...(THEMES[name] || THEMES.park) };
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
