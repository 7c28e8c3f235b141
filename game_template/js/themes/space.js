// The space theme: its colours (themes.js styles them), its enemy skins (foes.js draws them) and
// its background painter (background.js). One module a theme, so a packaged game carries only the
// themes its levels use (themes/all.js).

import { ridge } from '../scenery.js';

export const colours = {
  sky: ['#0b0b23', '#2a1b4a'], far: '#3b2a66', mid: '#3a2d6b', near: '#2a2050', deco: 'stars',
  top: '#9d8fd1', topDark: '#6b5b95', fill: '#433870', fillDark: '#2f2752', speck: '#5d4f94',
  platform: '#73eff7', platformDark: '#29adff', spike: '#ff77a8', ink: '#05050f',
  walker: '#a7f070', walkerDark: '#38b764', flyer: '#c2c3c7', flyerDark: '#5f574f', jumper: '#29adff',
  jumperDark: '#1d2b53', boss: '#ff77a8', bossDark: '#7e2553', foeAccent: '#ffec27', foeLight: '#fff1e8',
  bush: '#a7f070', bushDark: '#38b764',
  planet: '#b13e53', planetDark: '#7e2553', moon: '#41a6f6', moonDark: '#3b5dc9', void: '#020207', voidEdge: '#1d1838',
};

export const skins = {
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
};

// Paints the three parallax layers; returns the colour that fills the view below each (null: none).
export function paint(L, t, rand) {
  planet(L.far.ctx, 120, 40, 26, t.planet, t.planetDark);
  planet(L.far.ctx, 380, 70, 10, t.moon, t.moonDark);
  ridge(L.mid.ctx, 90, t.mid, 26, [[3, 8], [9, 3]], 3, rand);
  ridge(L.near.ctx, 60, t.near, 14, [[5, 5], [13, 2]], 0, rand);
  return { far: null, mid: t.mid, near: t.near };
}

function planet(ctx, cx, cy, r, colour, shade) {
  for (let y = -r; y <= r; y++) {
    const half = Math.round(Math.sqrt(r * r - y * y));
    ctx.fillStyle = colour;
    ctx.fillRect(cx - half, cy + y, half * 2, 1);
    ctx.fillStyle = shade;
    ctx.fillRect(cx + Math.round(half * 0.3), cy + y, Math.round(half * 0.7), 1);
  }
}
