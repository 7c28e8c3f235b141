// foes.js — every theme's enemy skins, the three boss designs and park's springy bush, as pixel art.
// No colour lives here: letters name theme keys (themes.js), so a style palette remaps the whole world.
//   k ink (outline)   a main   A dark   c accent (beak, nose, stinger)   w light (eyes, belly, snow)
// For an enemy type T, `a`/`A` are the theme's T / TDark; bosses use boss / bossDark.

import { canvas, theme } from './themes.js';

export const FOE_KEYS = ['ink', 'walker', 'walkerDark', 'flyer', 'flyerDark', 'jumper', 'jumperDark', 'boss', 'bossDark',
  'foeAccent', 'foeLight', 'bush', 'bushDark'];

// Sprites face right (the renderer mirrors them); walker 14x12, flyer 14x10, jumper 12x12. `rows` is the
// first animation frame; `alt` (row index -> row) the second: flyers flap (wings up, then down), walkers
// step; a walker without one steps by its feet row. A stunned enemy is drawn belly-up (frameRows).
export const SKINS = {
  park: {
    walker: { name: 'hedgehog', rows: ['..............', '..k.k.k.k.....', '.kAkAkAkAk....', 'kAaAAaAAaAk...',
      'kAAAaAAaAaak..', 'kAaAAAaAaakak.', 'kAAAaAAAaaaakk', 'kAaAAAaAkaaak.', '.kAAAAAAAkkk..', '..kkkkkkkk....',
      '..kAk..kAk....', '..kk...kk.....'],
    alt: { 10: '...kAkkAk.....', 11: '...kk.kk......' } },
    flyer: { name: 'bee', rows: ['...kk..kk.....', '..kwwkkwwk....', '..kwwwkwwk....', '...kkkkkkkkk..',
      '..kaAaAaAAAAk.', '.kaaAaAaAwkAk.', 'ckaaAaAaAkkAk.', '.kaaAaAaAAAk..', '..kkkkkkkkk...', '..............'],
    alt: { 0: '..............', 1: '.kkkk..kkkk...', 2: 'kwwwwkkwwwwk..' } },
    jumper: { name: 'frog', rows: ['............', '.kkk....kkk.', 'kwwwk..kwwwk', 'kwwkkkkkwwkk', 'kaaaaaaaaaak',
      'kaaaaaaaaaak', 'kakaaaaaakak', 'kaakkkkkkaak', '.kaaaaaaaak.', 'kAAkaaaakAAk', 'kAAAkkkkAAAk',
      'kkkk....kkkk'] },
  },
  beach: {
    walker: { name: 'crab', rows: ['..kk......kk..', '.kaak....kaak.', '.kak......kak.', '..kak.kk.kak..',
      '...kkwkkwkk...', '..kaakkkkaak..', '.kaaaaaaaaaak.', 'kaAaaaccaaaAak', 'kaAAAAAAAAAAak', '.kkkkkkkkkkkk.',
      '.k.k.k..k.k.k.', '..............'],
    alt: { 10: '..k.k.k..k.k.k', 0: '.kk......kk...', 1: 'kaak....kaak..', 2: 'kak......kak..' } },
    flyer: { name: 'gull', rows: ['..............', '.kkk..........', '.kAAk.........', '..kAAk...kkk..',
      '...kAAkkkaaak.', '..kaaAAaaakakk', '.kaaaaaaaaaakc', 'kAAkaaaaaaak..', '.kkkkkkkkkk...', '..............'],
    alt: { 1: '..............', 2: '..............', 3: '.........kkk..', 4: '..kkkkkkkaaak.',
      5: '.kaaaaaaaakakk', 7: 'kAAkAAAAAkkk..', 8: '.kkkkAAAk.....', 9: '....kkkk......' } },
    jumper: { name: 'starfish', rows: ['.....kk.....', '....kaak....', '....kaak....', 'kkkkkaakkkkk',
      'kaaaaaaaaaak', '.kaawkawkak.', '..kaaccaak..', '..kaAaaAak..', '.kaaakkaaak.', '.kaak..kaak.',
      'kaak....kaak', 'kkk......kkk'] },
  },
  snow: {
    walker: { name: 'penguin', rows: ['.....kkkk.....', '....kaaaak....', '...kaaawkak...', '...kaaaaaccc..',
      '...kawwwwak...', '..kaawwwwwak..', '..kAawwwwwak..', '..kAawwwwwak..', '...kawwwwak...', '....kkkkkk....',
      '...kcck.kcck..', '..............'],
    alt: { 10: '....kcckcck...' } },
    flyer: { name: 'owl', rows: ['...k......k...', '...kak..kak...', 'kk.kaakkaak.kk', 'kAkkwwaawwkkAk',
      'kAAkwkaawkkAAk', '.kAAkwccwkAAk.', '..kAkaaaakAk..', '...kkaAAakk...', '....kaAAak....', '.....kkkk.....'],
    alt: { 2: '...kaakkaak...', 3: '...kwwaawwk...', 4: '..kkwkaawkkk..', 5: '.kAAkwccwkAAk.',
      6: 'kAAAkaaaakAAAk', 7: 'kAkkkaAAakkkAk', 8: 'kk..kaAAak..kk' } },
    jumper: { name: 'snowball', rows: ['....kkkk....', '..kkwwwwkk..', '.kwwwwwwwak.', '.kwkwwwkwak.',
      'kwwkwwwkwwak', 'kwwwwwwwwwak', 'kwwwccccwwak', 'kwwwwwwwwaak', '.kwwwwwwaak.', '.kawwwwaaAk.',
      '..kkaaAAkk..', '....kkkk....'] },
  },
  city: {
    walker: { name: 'rat', rows: ['..............', '........kk.kk.', '.......kAkkAk.', '...kkkkaaaaak.',
      '..kaaaaaaawkak', '.kaaaaaaaaaaac', 'kkaaaaaaaaaakk', 'ckAaaaaaaaaAk.', 'c.kAAAAAAAAk..', 'c..kkkkkkkk...',
      '...kk....kk...', '..............'],
    alt: { 10: '....kk..kk....' } },
    flyer: { name: 'pigeon', rows: ['..............', '......kkk.....', '.....kaawk....', '..kkkaaakcc...',
      '.kAAAaaaak....', 'kAAAAaaaaak...', '.kAAaaaaaaakk.', '..kkaaaaaAAAk.', '....kkkkkkkk..', '..............'],
    alt: { 1: '.kk...kkk.....', 2: 'kAAk.kaawk....', 3: '.kAAkaaakcc...', 4: '..kAAaaak.....',
      5: '...kAaaaaak...' } },
    jumper: { name: 'trash can', rows: ['....kkkk....', '..kkAAAAkk..', '.kAAAAAAAAk.', 'kkkkkkkkkkkk',
      '.kawkaawkak.', '.kakkaakkak.', '.kaaaaaaaak.', '.kaAaccaAak.', '.kaAaaaaAak.', '.kaAaaaaAak.',
      '.kaaaaaaaak.', '..kkkkkkkk..'] },
  },
  space: {
    walker: { name: 'alien', rows: ['...k......k...', '...c......c...', '....k....k....', '....kkkkkk....',
      '..kkaaaaaakk..', '.kaaawwwwaaak.', '.kaawwkkwwaak.', 'kaaaawwwwaaaak', 'kaAaaaaaaaaAak', 'kaAAaaaaaaAAak',
      '.kAkAkAkAkAkk.', '..k.k.k.k.k...'],
    alt: { 0: '..k........k..', 1: '..c........c..', 2: '...k......k...' } },
    flyer: { name: 'drone', rows: ['kkkkk....kkkkk', '..k........k..', '.kkk......kkk.', '.kAAkkkkkkAAk.',
      'kAAaaaaaaaaAAk', 'kaaacwwwwcaaak', '.kaaawkkwaaak.', '..kaaaaaaaak..', '....kkcckk....', '..............'],
    alt: { 0: '.kkk......kkk.', 8: '....kcccck....' } },
    jumper: { name: 'spring-bot', rows: ['....kkkk....', '...kaaaak...', '..kawwwwak..', '..kawkkwak..',
      '..kaaaaaak..', '...kkkkkk...', '....kAAk....', '...kAkkAk...', '....kAAk....', '...kAkkAk...',
      '..kkkkkkkk..', '..kcccccck..'] },
  },
};

// The letters of one sprite mapped to the theme's colours (flash: the body lights up, for hits).
export function foePalette(t, type, flash = false) {
  const main = flash ? t.foeLight : t[type], dark = flash ? t.foeLight : t[`${type}Dark`];
  return { k: t.ink, a: main, A: dark, c: t.foeAccent, w: t.foeLight };
}

export function skinOf(themeName, type) {
  return (SKINS[themeName] || SKINS.park)[type];
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

function fromRows(rows, pal) {
  const [c, ctx] = canvas(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((ch, x) => {
    if (ch === '.') return;
    ctx.fillStyle = pal[ch];
    ctx.fillRect(x, y, 1, 1);
  }));
  return c;
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

const rect = (ctx, p) => (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };

// Two eyes (whites x, y, w, h): looking ahead, glaring (brows slanting in), or shut.
function eyes(r, pose, [lx, rx], y, w, h) {
  if (pose === 'stun') { for (const x of [lx, rx]) r('k', x, y + h - 2, w, 1); return; }
  for (const x of [lx, rx]) { r('w', x, y, w, h); r('k', x, y + 1, 2, h - 1); }
  if (pose === 'walk') return;
  for (let i = 0; i < w; i++) { r('k', lx + i, y + Math.floor((i * 2) / w), 1, 1); r('k', rx + w - 1 - i, y + Math.floor((i * 2) / w), 1, 1); }
}

function vacuum(ctx, p, pose) {
  // A robot vacuum cleaner: a round lid, a bumper with angry eyes, a warning light, side brushes.
  const r = rect(ctx, p), lit = pose === 'windup' || pose === 'attack';
  r('k', 1, 6, 26, 14); r('k', 3, 4, 22, 2); r('k', 6, 3, 16, 1);
  r('a', 2, 7, 24, 12); r('a', 4, 5, 20, 2); r('a', 7, 4, 14, 1);
  r('A', 2, 15, 24, 3); r('k', 2, 14, 24, 1);
  r('w', 8, 5, 4, 1); // the lid's shine
  eyes(r, pose, [6, 17], 8, 5, 4);
  r('k', 11, 0, 6, 4); r(lit ? 'c' : 'A', 12, 1, 4, 3);
  if (pose === 'windup') r('w', 13, 1, 2, 1);
  for (const x of [3, 19]) { r('k', x, 19, 6, 5); r('A', x + 1, 20, 4, 3); r('w', x + 2, 21, 2, 1); }
  if (lit) for (const x of [0, 26]) { r('c', x, 18, 2, 1); r('c', x, 20, 2, 1); }
}

function crab(ctx, p, pose) {
  // A giant crab: eyes on stalks, two big claws (raised high in the wind-up, thrust low to attack), six legs.
  const r = rect(ctx, p), cy = pose === 'windup' ? 0 : pose === 'attack' ? 6 : 3;
  for (const x of [3, 7, 11, 18, 22, 26]) r('k', x, 15, 3, 5);
  for (const x of [4, 8, 12, 19, 23, 27]) r('A', x, 16, 1, 3);
  r('k', 4, 6, 24, 11); r('a', 5, 7, 22, 9); r('A', 5, 14, 22, 2);
  r('k', 10, 1, 1, 6); r('k', 21, 1, 1, 6);
  r('k', 8, 0, 4, 4); r('k', 19, 0, 4, 4);
  if (pose === 'stun') { r('A', 9, 1, 2, 2); r('A', 20, 1, 2, 2); r('k', 9, 2, 2, 1); r('k', 20, 2, 2, 1); }
  else { r('w', 9, 1, 2, 2); r('w', 20, 1, 2, 2); r('k', 9, 2, 1, 1); r('k', 20, 2, 1, 1); }
  for (const x of [0, 25]) {
    r('k', x, cy, 7, 7); r('a', x + 1, cy + 1, 5, 5); r('A', x + 1, cy + 5, 5, 1);
    r('k', x + 2, cy, 3, pose === 'walk' || pose === 'stun' ? 3 : 4); // the pincer's notch, open to strike
    r('k', x === 0 ? 5 : 26, cy + 6, 1, Math.max(1, 9 - cy - 1));
  }
  r('k', 12, 11, 8, 2); r(pose === 'stun' ? 'A' : 'c', 13, 11, 6, 1);
}

function yeti(ctx, p, pose) {
  // A big furry yeti: horns, a dark face, long arms (thrown up in the wind-up), stomping feet.
  const r = rect(ctx, p), up = pose === 'windup' || pose === 'attack';
  r('k', 3, 7, 18, 18); r('a', 4, 8, 16, 16);
  for (const x of [4, 8, 12, 16]) r('k', x, 24, 2, 1); // a shaggy hem
  r('k', 6, 0, 12, 10); r('a', 7, 1, 10, 8);
  r('c', 5, 0, 2, 3); r('c', 17, 0, 2, 3);
  r('A', 8, 3, 8, 5);
  if (pose === 'stun') { r('k', 9, 5, 2, 1); r('k', 13, 5, 2, 1); }
  else { r('w', 9, 4, 2, 2); r('w', 13, 4, 2, 2); r('k', 9, 5, 1, 1); r('k', 13, 5, 1, 1); }
  if (up) { r('k', 8, 3, 3, 1); r('k', 13, 3, 3, 1); }
  r('k', 10, 7, 4, 1); r('w', 10, 7, 1, 1); r('w', 13, 7, 1, 1);
  if (pose === 'windup' || pose === 'attack') r('k', 10, 8, 4, 1); // a roar
  const arm = up ? [0, 13] : [9, 13];
  for (const x of [0, 20]) { r('k', x, arm[0], 4, arm[1]); r('a', x + 1, arm[0] + 1, 2, arm[1] - 2); r('A', x + 1, arm[0] + arm[1] - 3, 2, 2); }
  r('A', 7, 14, 10, 1); r('A', 9, 17, 6, 1);
  for (const x of [4, 14]) { r('k', x, 24, 6, 4); r('A', x + 1, 25, 4, 2); }
}

export const BOSS_ART = { vacuum: { name: 'robot vacuum', draw: vacuum }, crab: { name: 'giant crab', draw: crab },
  yeti: { name: 'yeti', draw: yeti } };

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
    const art = BOSS_ART[design] || BOSS_ART.vacuum;
    return this.get(`${themeName}:boss:${design}:${flash}:${pose}`, () => {
      const [c, ctx] = canvas(w, h);
      art.draw(ctx, foePalette(theme(themeName), 'boss', flash), pose);
      return c;
    });
  }
}
