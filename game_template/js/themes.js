// Themes: the colours of park, beach, snow, city and space (each theme's own module, themes/<name>.js, holds
// its data; background.js and tiles.js turn it into pixels). theme(name) hands out the colours in
// the game's style (styles/ink.js styledTheme): every colour key, whatever its name, follows the palette.

import { activeInk, lockContext } from './palette.js';
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
  if (!styled.has(key)) styled.set(key, ink.styledTheme(base));
  return styled.get(key);
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

// A canvas drawn from text rows: each character a pixel in `pal[ch]`, '.' transparent.
export function fromRows(rows, pal) {
  const [c, ctx] = canvas(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    if (ch === '.') return;
    ctx.fillStyle = pal[ch];
    ctx.fillRect(x, y, 1, 1);
  }));
  return c;
}
