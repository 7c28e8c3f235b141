// The palette styles' machinery (Game Boy, PICO-8, 8-bit NES): each remaps every colour once, when
// themes and sprites are built; nothing is quantized per pixel per frame. Reached only through a
// style's module (styles/<style>.js), so a full-colour game (16-bit, modern) carries none of it.
// - styledTheme(theme, palette, step) maps a theme's colours: nearest in OKLab, or for 4-shade palettes by
//   lightness rank inside the theme, with each `xDark`/`xLight` pair kept in order. `step` is the
//   style's own rule, outside this module so a page carries only its style's: gameboy.js's shadeRoles
//   (each layer of the world its own shade), apart.js for PICO-8 and 8-bit (layers kept apart).
// - Ink.snap(colour) maps any other colour (sprites, effects, HUD) to its nearest palette colour.
// - Ink.lock(ctx) makes a canvas context snap every fillStyle/strokeStyle it is given, so drawing
//   code written with full-colour literals still paints only palette colours. Translucent fills become
//   a 1 px checker of a palette colour (half alpha) or nothing (faint), never a blended colour.

import { parseColour } from '../colour.js';

export const hexes = (text) => text.trim().split(/\s+/).map((h) => `#${h}`);

// OKLab (Björn Ottosson): distances match what the eye sees far better than RGB.
export function oklab([r, g, b]) {
  const lin = (v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const l = Math.cbrt(0.4122214708 * R + 0.5363325363 * G + 0.0514459929 * B);
  const m = Math.cbrt(0.2119034982 * R + 0.6806995451 * G + 0.1073969566 * B);
  const s = Math.cbrt(0.0883024619 * R + 0.2817188376 * G + 0.6299787005 * B);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675778 * s];
}

export const lightness = (colour) => oklab(parseColour(colour))[0];

// Hue and colourfulness count double: a pale blue sky stays blue rather than turning grey. Lightness
// order is then kept where it matters by styledTheme's xDark/xLight pairs.
function distance(a, b) {
  return (a[0] - b[0]) ** 2 + 2 * ((a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);
}

export class Ink {
  // `step`: the style's own rule for styledTheme (gameboy.js shadeRoles, apart.js), or none.
  constructor(palette, step = null) {
    this.step = step;
    this.palette = palette.map((h) => h.toLowerCase());
    this.labs = this.palette.map((h) => oklab(parseColour(h)));
    this.shades = this.palette.length <= 4; // Game Boy: match on lightness alone
    // 4 shades: even cut points in lightness between black and white, darkest to lightest.
    this.order = this.palette.map((_, i) => i).sort((i, j) => this.labs[i][0] - this.labs[j][0]);
    this.cache = new Map();
  }

  // Index of the palette colour nearest to an [r, g, b].
  nearest(rgb) {
    const lab = oklab(rgb);
    if (this.shades) {
      const n = this.order.length, rank = Math.min(n - 1, Math.floor(Math.max(0, lab[0] - 0.15) / (0.8 / n)));
      return this.order[rank];
    }
    let best = 0;
    for (let i = 1; i < this.labs.length; i++) if (distance(lab, this.labs[i]) < distance(lab, this.labs[best])) best = i;
    return best;
  }

  // Any CSS colour -> an opaque palette hex, 'checker:#hex' (about half alpha) or 'none' (faint).
  snap(colour) {
    let out = this.cache.get(colour);
    if (out !== undefined) return out;
    const c = parseColour(colour);
    if (!c) out = colour;
    else if (c[3] < 0.3) out = 'none';
    else out = (c[3] < 0.7 ? 'checker:' : '') + this.palette[this.nearest(c)];
    this.cache.set(colour, out);
    return out;
  }

  // Make this context paint only this palette's colours.
  lock(ctx) {
    if (!ctx || ctx.petpixelInk) return ctx;
    const ink = this;
    const proto = Object.getPrototypeOf(ctx);
    for (const prop of ['fillStyle', 'strokeStyle']) {
      const d = Object.getOwnPropertyDescriptor(proto, prop);
      if (!d) continue;
      Object.defineProperty(ctx, prop, {
        configurable: true,
        get() { return d.get.call(this); },
        set(v) {
          const s = typeof v === 'string' ? ink.snap(v) : v;
          if (s === 'none') d.set.call(this, 'rgba(0,0,0,0)');
          else if (typeof s === 'string' && s.startsWith('checker:')) d.set.call(this, checker(this, s.slice(8)));
          else d.set.call(this, s);
        },
      });
    }
    const a = Object.getOwnPropertyDescriptor(proto, 'globalAlpha');
    if (a) {
      Object.defineProperty(ctx, 'globalAlpha', {
        configurable: true,
        get() { return a.get.call(this); },
        set(v) { a.set.call(this, v < 0.5 ? 0 : 1); },
      });
    }
    Object.defineProperty(ctx, 'petpixelInk', { value: ink });
    return ctx;
  }

  // The DOM overlay's colours (css/game.css custom properties) from the same palette.
  styleDocument(root) {
    for (const [name, colour] of Object.entries(CSS_VARS)) root.style.setProperty(name, this.snap(colour));
    const [r, g, b] = parseColour(this.snap('#1a1c2c'));
    root.style.setProperty('--shade', `rgba(${r}, ${g}, ${b}, 0.88)`);
  }

  // A theme's colours in this palette (styledTheme).
  styledTheme(t) { return styledTheme(t, this.palette, this.step); }
}

const patterns = new Map();
function checker(ctx, hex) {
  let p = patterns.get(hex);
  if (!p) {
    const tile = document.createElement('canvas');
    tile.width = 2;
    tile.height = 2;
    const t = tile.getContext('2d');
    t.fillStyle = hex;
    t.fillRect(0, 0, 1, 1);
    t.fillRect(1, 1, 1, 1);
    p = ctx.createPattern(tile, 'repeat');
    patterns.set(hex, p);
  }
  return p;
}

// The overlay's colours in full colour (css/game.css), snapped by styleDocument.
const CSS_VARS = { '--ink': '#f4f4f4', '--accent': '#ffcd75', '--accent-ink': '#1a1c2c', '--bg': '#1a1c2c',
  '--panel': '#262b44', '--edge': '#333c57', '--soft': '#94b0c2' };

// Every colour in `t` (any key, strings, arrays and nested objects alike) mapped onto `palette` once:
// nearest in OKLab (lightness weighted), or for 4-shade palettes (Game Boy) by lightness rank among the
// theme's own colours; then the style's `step(ink, t, out)` adjusts `out` and returns the keys it
// settled (left alone below). Each key `xDark` drawn darker than `x` stays darker (and `xLight`
// lighter), so edges and shading keep reading.
export function styledTheme(t, palette, step = null) {
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
  const roled = step ? step(ink, t, out) : new Set();
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

export function walk(value, fn) {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, fn)]));
  return value;
}
