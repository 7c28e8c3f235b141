// The chosen style's palette on the whole world. Fixed-palette styles (Game Boy, PICO-8, 8-bit NES)
// remap every colour once, when themes and sprites are built; nothing is quantized per pixel per frame.
// - styledTheme(theme, palette) (themes.js) maps a theme's colours: nearest in OKLab, or for 4-shade
//   palettes by lightness rank inside the theme, with each `xDark`/`xLight` pair kept in order.
// - Ink.snap(colour) maps any other colour (sprites, effects, HUD) to its nearest palette colour.
// - lockContext(ctx) makes a canvas context snap every fillStyle/strokeStyle it is given, so drawing
//   code written with full-colour literals still paints only palette colours. Translucent fills become
//   a 1 px checker of a palette colour (half alpha) or nothing (faint), never a blended colour.

// Must match core/pixelart/palettes.py FIXED for each style in core/pixelart/styles.py whose palette is
// fixed (tests/game/test_look.py checks). Styles not listed here (16-bit, modern) keep full colour.
const NES = ('7c7c7c 0000fc 0000bc 4428bc 940084 a80020 a81000 881400 503000 007800 006800 005800 004058 000000 '
  + 'bcbcbc 0078f8 0058f8 6844fc d800cc e40058 f83800 e45c10 ac7c00 00b800 00a800 00a844 008888 '
  + 'f8f8f8 3cbcfc 6888fc 9878f8 f878f8 f85898 f87858 fca044 f8b800 b8f818 58d854 58f898 00e8d8 787878 '
  + 'fcfcfc a4e4fc b8b8f8 d8b8f8 f8b8f8 f8a4c0 f0d0b0 fce0a8 f8d878 d8f878 b8f8b8 b8f8d8 00fcfc f8d8f8');
const hexes = (text) => text.trim().split(/\s+/).map((h) => `#${h}`);

export const STYLE_PALETTES = {
  gameboy: hexes('0f380f 306230 8bac0f 9bbc0f'),
  pico8: hexes('000000 1d2b53 7e2553 008751 ab5236 5f574f c2c3c7 fff1e8 ff004d ffa300 ffec27 00e436 29adff 83769c ff77a8 ffccaa'),
  '8bit': hexes(NES),
};

// '#rgb', '#rrggbb', '#rrggbbaa', 'rgb(r,g,b)', 'rgba(r,g,b,a)' -> [r, g, b, a (0-1)] or null.
export function parseColour(text) {
  if (typeof text !== 'string') return null;
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    let h = m[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
  }
  m = /^rgba?\(([^)]*)\)$/.exec(s);
  if (!m) return null;
  const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  if (p.length < 3 || p.some(Number.isNaN)) return null;
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}

export const toHex = ([r, g, b]) => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

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
  constructor(palette) {
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
}

let active = null; // the Ink of the game's style, or null for full colour

// Called once at boot with game.json's `style`, before any sprite, tile or background is drawn.
export function setStyle(style) {
  const palette = STYLE_PALETTES[style];
  active = palette ? new Ink(palette) : null;
  return active;
}

export const activeInk = () => active;

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

// Make this context paint only the active palette's colours (no-op in full colour).
export function lockContext(ctx, ink = active) {
  if (!ink || !ctx || ctx.petpixelInk) return ctx;
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
const CSS_VARS = { '--ink': '#f4f4f4', '--accent': '#ffcd75', '--accent-ink': '#1a1c2c', '--bg': '#1a1c2c',
  '--panel': '#262b44', '--edge': '#333c57', '--soft': '#94b0c2' };
export function styleDocument(root = document.documentElement, ink = active) {
  if (!ink) return;
  for (const [name, colour] of Object.entries(CSS_VARS)) root.style.setProperty(name, ink.snap(colour));
  const [r, g, b] = parseColour(ink.snap('#1a1c2c'));
  root.style.setProperty('--shade', `rgba(${r}, ${g}, ${b}, 0.88)`);
}
