// foes.js — enemies from each theme's skins (themes/<name>.js), bosses by design (bosses/<design>.js), park's springy bush.
// No colour lives here: letters name theme keys (themes.js), so a style palette remaps the whole world.
//   k ink (outline)   a main   A dark   c accent (beak, nose, stinger)   w light (eyes, belly, snow)
// For an enemy type T, `a`/`A` are the theme's T / TDark; bosses use boss / bossDark.

import { BOSSES } from './bosses/all.js';
import { WORLDS } from './themes/all.js';
import { canvas, fromRows, theme, world } from './themes.js';

export const FOE_KEYS = ['ink', 'walker', 'walkerDark', 'flyer', 'flyerDark', 'jumper', 'jumperDark', 'boss', 'bossDark',
  'foeAccent', 'foeLight', 'bush', 'bushDark'];

// Sprites face right (the renderer mirrors them); walker 14x12, flyer 14x10, jumper 12x12. `rows` is the
// first animation frame; `alt` (row index -> row) the second: flyers flap (wings up, then down), walkers
// step; a walker without one steps by its feet row. A stunned enemy is drawn belly-up (frameRows).
// Each theme's skins live in its module (themes/<name>.js).
export const SKINS = Object.fromEntries(Object.entries(WORLDS).map(([name, w]) => [name, w.skins]));

// The letters of one sprite mapped to the theme's colours (flash: the body lights up, for hits).
export function foePalette(t, type, flash = false) {
  const main = flash ? t.foeLight : t[type], dark = flash ? t.foeLight : t[`${type}Dark`];
  return { k: t.ink, a: main, A: dark, c: t.foeAccent, w: t.foeLight };
}

export function skinOf(themeName, type) {
  return world(themeName).skins[type];
}

// One frame of a skin: 0, 1 (its `alt` rows; a walker without them steps its feet row a pixel) or
// 'stun' (frame 0 upside down: belly-up, legs in the air, plainly out of action while it lasts).
export function frameRows(skin, frame) {
  if (frame === 'stun') return [...skin.rows].reverse();
  if (!frame) return skin.rows;
  if (skin.alt) return skin.rows.map((r, i) => skin.alt[i] ?? r);
  let last = skin.rows.length - 1;
  while (last > 0 && !/[^.]/.test(skin.rows[last])) last--;
  return skin.rows.map((r, i) => (i === last ? `.${r.slice(0, -1)}` : r));
}

// ---- bosses: three designs, each its own silhouette, coloured by the theme ----
// Drawers take (ctx, pal, pose) with pal letters as above; sizes match physics.json boss.designs. Poses
// (bossPose): 'walk'; 'windup' (the warning: a pose held before every attack, which the renderer also
// shakes under a "!"); 'attack' (charge, hop, slam, lob, shoot); 'stun' (dazed: eyes shut). Bosses face
// left (the renderer mirrors them when they go right).

export function bossPose(mode) {
  if (mode === 'windup' || mode === 'stunned') return mode === 'windup' ? 'windup' : 'stun';
  return ['charge', 'hop', 'slam', 'lob', 'shoot'].includes(mode) ? 'attack' : 'walk';
}

// Each design's drawer lives in its module (bosses/<design>.js).
export const BOSS_ART = BOSSES;

// Park's springy bush `*`: a round shrub with a coiled spring showing, drawn into one tile.
export function bushTile(t, size) {
  const [c, ctx] = canvas(size, size);
  const r = (colour, x, y, w, h) => { ctx.fillStyle = colour; ctx.fillRect(x, y, w, h); };
  r(t.fill, 0, 6, size, size - 6);
  r(t.ink, 1, 1, size - 2, 8); r(t.ink, 0, 3, size, 5);
  r(t.bush, 2, 2, size - 4, 6); r(t.bush, 1, 4, size - 2, 3);
  r(t.bushDark, 2, 6, size - 4, 1);
  for (let x = 3; x < size - 3; x += 4) r(t.foeLight, x, 3, 1, 1);
  r(t.foeAccent, 5, 9, size - 10, 1); r(t.foeAccent, 6, 11, size - 12, 1); r(t.foeAccent, 5, 13, size - 10, 1);
  return c;
}

// Painted sprites per theme, made on first use: enemies (2 frames, stunned) and bosses (pose, hit flash).
export class FoeArt {
  constructor() { this.cache = new Map(); }

  get(key, make) {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key);
  }

  // frame: 0 or 1 (walking, flying), 'stun' (dazed by the special).
  enemy(themeName, type, frame = 0) {
    const f = frame === 'stun' ? frame : frame % 2;
    return this.get(`${themeName}:${type}:${f}`, () =>
      fromRows(frameRows(skinOf(themeName, type), f), foePalette(theme(themeName), type)));
  }

  // w, h: the boss's size from physics.json (boss.designs), which the drawers are made for.
  // pose: bossPose(boss.mode).
  boss(themeName, design, w, h, flash = false, pose = 'walk') {
    const art = BOSS_ART[design] || BOSS_ART.vacuum || Object.values(BOSS_ART)[0];
    return this.get(`${themeName}:boss:${design}:${flash}:${pose}`, () => {
      const [c, ctx] = canvas(w, h);
      art.draw(ctx, foePalette(theme(themeName), 'boss', flash), pose);
      return c;
    });
  }
}
