// foes.js — every theme's enemy skins, the three boss designs and park's springy bush, as pixel art.
// No colour lives here: letters name theme keys (themes.js), so a style palette remaps the whole world.
//   k ink (outline)   a main   A dark   c accent (beak, nose, stinger)   w light (eyes, belly, snow)
// For an enemy type T, `a`/`A` are the theme's T / TDark; bosses use boss / bossDark.

import { canvas, theme } from './themes.js';

export const FOE_KEYS = ['ink', 'walker', 'walkerDark', 'flyer', 'flyerDark', 'jumper', 'jumperDark', 'boss', 'bossDark',
  'foeAccent', 'foeLight', 'bush', 'bushDark'];

// Sprites face right (the renderer mirrors them); walker 14x12, flyer 14x10, jumper 12x12.
export const SKINS = {
  park: {
    walker: { name: 'hedgehog', rows: ['..............', '...k.k.k......', '..kAkAkAk.....', '.kAaAaAaAkk...',
      'kAaAaAaAkwwk..', 'kaAaAaAakwkwk.', 'kAaAaAaAkwwwck', 'kaAaAaAaAkwwk.', '.kAaAaAaAAkk..', '..kkkkkkkkk...',
      '...kk...kk....', '..............'] },
    flyer: { name: 'bee', rows: ['....kk.kk.....', '...kwwkwwk....', '....kwwwk.....', '..kkkkkkkkk...',
      '.kaAaAaAakwk..', 'kcaAaAaAakkk..', '.kaAaAaAaAak..', '..kkkkkkkkk...', '..............', '..............'] },
    jumper: { name: 'frog', rows: ['............', '..kk....kk..', '.kwwk..kwwk.', '.kwkakkawkk.', 'kaaaaaaaaak.',
      'kaAaaaaaaaAk', 'kaakkkkkkaak', 'kaaaccccaaak', '.kaaaaaaaAk.', 'kAAkkAAkkAAk', 'kkk..kk..kkk', '............'] },
  },
  beach: {
    walker: { name: 'crab', rows: ['..kk......kk..', '.kaak....kaak.', '.kak......kak.', '..kak.kk.kak..',
      '...kkwkkwkk...', '..kaakkkkaak..', '.kaaaaaaaaaak.', 'kaAaaaccaaaAak', 'kaAAAAAAAAAAak', '.kkkkkkkkkkkk.',
      '.k.k.k..k.k.k.', '..............'] },
    flyer: { name: 'gull', rows: ['..............', 'kk..........kk', 'kAk........kAk', '.kAk.kkkk.kAk.',
      '..kAkaaaakAk..', '...kaaaaakwkcc', '...kaaaaaaakk.', '....kAAAAAk...', '.....kkkkk....', '..............'] },
    jumper: { name: 'starfish', rows: ['.....kk.....', '....kaak....', '....kaak....', 'kkkkkaakkkkk',
      'kaaaaaaaaaak', '.kaawkawkak.', '..kaaccaak..', '..kaAaaAak..', '.kaaakkaaak.', '.kaak..kaak.',
      'kaak....kaak', 'kkk......kkk'] },
  },
  snow: {
    walker: { name: 'penguin', rows: ['.....kkkk.....', '....kaaaak....', '...kaaawkak...', '...kaaaaaccc..',
      '...kawwwwak...', '..kaawwwwwak..', '..kAawwwwwak..', '..kAawwwwwak..', '...kawwwwak...', '....kkkkkk....',
      '...kcck.kcck..', '..............'] },
    flyer: { name: 'owl', rows: ['..k........k..', '..kak....kak..', '..kaaakkaaak..', 'kkkawwkkwwakkk',
      'kAkawkkkkwakAk', '.kAkaacaaakAk.', '..kkaaaaaakk..', '....kaAAak....', '.....kkkk.....', '..............'] },
    jumper: { name: 'snowball', rows: ['....kkkk....', '..kkwwwwkk..', '.kwwwwwwwak.', '.kwkwwwkwak.',
      'kwwkwwwkwwak', 'kwwwwwwwwwak', 'kwwwccccwwak', 'kwwwwwwwwaak', '.kwwwwwwaak.', '.kawwwwaaAk.',
      '..kkaaAAkk..', '....kkkk....'] },
  },
  city: {
    walker: { name: 'rat', rows: ['..............', '........kk.kk.', '.......kAkkAk.', '...kkkkaaaaak.',
      '..kaaaaaaawkak', '.kaaaaaaaaaaac', 'kkaaaaaaaaaakk', 'ckAaaaaaaaaAk.', 'c.kAAAAAAAAk..', 'c..kkkkkkkk...',
      '...kk....kk...', '..............'] },
    flyer: { name: 'pigeon', rows: ['..............', '......kkk.....', '.....kaawk....', '..kkkaaakcc...',
      '.kAAAaaaak....', 'kAAAAaaaaak...', '.kAAaaaaaaakk.', '..kkaaaaaAAAk.', '....kkkkkkkk..', '..............'] },
    jumper: { name: 'trash can', rows: ['....kkkk....', '..kkAAAAkk..', '.kAAAAAAAAk.', 'kkkkkkkkkkkk',
      '.kawkaawkak.', '.kakkaakkak.', '.kaaaaaaaak.', '.kaAaccaAak.', '.kaAaaaaAak.', '.kaAaaaaAak.',
      '.kaaaaaaaak.', '..kkkkkkkk..'] },
  },
  space: {
    walker: { name: 'alien', rows: ['...k......k...', '...c......c...', '....k....k....', '....kkkkkk....',
      '..kkaaaaaakk..', '.kaaawwwwaaak.', '.kaawwkkwwaak.', 'kaaaawwwwaaaak', 'kaAaaaaaaaaAak', 'kaAAaaaaaaAAak',
      '.kAkAkAkAkAkk.', '..k.k.k.k.k...'] },
    flyer: { name: 'drone', rows: ['kkkkk....kkkkk', '..k........k..', '.kkk......kkk.', '.kAAkkkkkkAAk.',
      'kAAaaaaaaaaAAk', 'kaaacwwwwcaaak', '.kaaawkkwaaak.', '..kaaaaaaaak..', '....kkcckk....', '..............'] },
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

// The second animation frame: walkers step (feet row shifted a pixel), flyers bob a pixel up.
export function frameRows(rows, type, frame) {
  if (!frame || type === 'jumper') return rows;
  if (type === 'flyer') return [...rows.slice(1), '.'.repeat(rows[0].length)];
  let last = rows.length - 1;
  while (last > 0 && !/[^.]/.test(rows[last])) last--;
  return rows.map((r, i) => (i === last ? `.${r.slice(0, -1)}` : r));
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
// Drawers take (ctx, pal) with pal letters as above; sizes match physics.json boss.designs.

function vacuum(ctx, p) {
  // A robot vacuum cleaner with angry eyes and a warning light.
  const r = (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };
  r('k', 2, 4, 24, 16); r('k', 4, 2, 20, 2);
  r('a', 3, 5, 22, 14); r('a', 5, 3, 18, 2);
  r('A', 3, 13, 22, 2);
  r('w', 7, 7, 5, 4); r('w', 16, 7, 5, 4);
  r('k', 9, 8, 2, 3); r('k', 18, 8, 2, 3); r('k', 6, 6, 6, 1); r('k', 16, 6, 6, 1);
  r('c', 12, 0, 4, 3);
  for (const x of [4, 18]) { r('k', x, 19, 6, 5); r('A', x + 1, 20, 4, 3); }
}

function crab(ctx, p) {
  // A giant crab: eyes on stalks, two raised claws, six legs.
  const r = (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };
  for (const x of [3, 7, 11, 18, 22, 26]) r('k', x, 15, 3, 5);
  for (const x of [4, 8, 12, 19, 23, 27]) r('A', x, 16, 1, 3);
  r('k', 4, 6, 24, 11); r('a', 5, 7, 22, 9); r('A', 5, 14, 22, 2);
  r('k', 10, 1, 1, 6); r('k', 21, 1, 1, 6);
  r('k', 8, 0, 4, 4); r('k', 19, 0, 4, 4); r('w', 9, 1, 2, 2); r('w', 20, 1, 2, 2);
  r('k', 10, 2, 1, 1); r('k', 21, 2, 1, 1);
  for (const x of [0, 25]) { r('k', x, 2, 7, 7); r('a', x + 1, 3, 5, 5); r('k', x + 1, 5, 3, 1); }
  r('k', 5, 8, 1, 2); r('k', 26, 8, 1, 2);
  r('k', 12, 11, 8, 2); r('c', 13, 11, 6, 1);
}

function yeti(ctx, p) {
  // A big furry yeti: horns, a dark face, long arms, stomping feet.
  const r = (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };
  r('k', 3, 7, 18, 18); r('a', 4, 8, 16, 16);
  r('k', 6, 0, 12, 10); r('a', 7, 1, 10, 8);
  r('c', 5, 0, 2, 3); r('c', 17, 0, 2, 3);
  r('A', 8, 3, 8, 5); r('w', 9, 4, 2, 2); r('w', 13, 4, 2, 2); r('k', 10, 5, 1, 1); r('k', 14, 5, 1, 1);
  r('k', 10, 7, 4, 1); r('w', 10, 7, 1, 1); r('w', 13, 7, 1, 1);
  for (const x of [0, 20]) { r('k', x, 9, 4, 13); r('a', x + 1, 10, 2, 11); r('A', x + 1, 19, 2, 2); }
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

// Painted sprites per theme, made on first use: enemies (2 frames) and bosses (normal, hit flash).
export class FoeArt {
  constructor() { this.cache = new Map(); }

  get(key, make) {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key);
  }

  enemy(themeName, type, frame = 0) {
    const f = frame % 2;
    return this.get(`${themeName}:${type}:${f}`, () =>
      fromRows(frameRows(skinOf(themeName, type).rows, type, f), foePalette(theme(themeName), type)));
  }

  // w, h: the boss's size from physics.json (boss.designs), which the drawers are made for.
  boss(themeName, design, w, h, flash = false) {
    const art = BOSS_ART[design] || BOSS_ART.vacuum;
    return this.get(`${themeName}:boss:${design}:${flash}`, () => {
      const [c, ctx] = canvas(w, h);
      art.draw(ctx, foePalette(theme(themeName), 'boss', flash));
      return c;
    });
  }
}
