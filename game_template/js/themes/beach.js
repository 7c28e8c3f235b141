// The beach theme: its colours (themes.js styles them), its enemy skins (foes.js draws them) and
// its background painter (background.js). One module a theme, so a packaged game carries only the
// themes its levels use (themes/all.js).

import { STRIP, ridge } from '../scenery.js';

export const colours = {
  sky: ['#4fb6e8', '#ffe9b8'], far: '#2a8fbd', mid: '#3aa7c9', near: '#e8c26a', deco: 'clouds',
  top: '#f7dc8c', topDark: '#e8b85a', fill: '#d9a557', fillDark: '#b9853f', speck: '#f2cf83',
  platform: '#a0703c', platformDark: '#6b4220', spike: '#f4f4f4', ink: '#1a1c2c',
  walker: '#e43b44', walkerDark: '#9e2835', flyer: '#f4f4f4', flyerDark: '#94b0c2', jumper: '#ff9e5e',
  jumperDark: '#c75b39', boss: '#b13e53', bossDark: '#7e2553', foeAccent: '#ffcd75', foeLight: '#ffffff',
  bush: '#38b764', bushDark: '#257179',
  glint: '#8fd3f4', palmTrunk: '#8b5a2b', palmLeaf: '#38b764', void: '#140f0a', voidEdge: '#6b4a22',
};

export const skins = {
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
};

// Paints the three parallax layers; returns the colour that fills the view below each (null: none).
export function paint(L, t, rand) {
  L.far.ctx.fillStyle = t.far; L.far.ctx.fillRect(0, 80, STRIP, 40);
  L.far.ctx.fillStyle = t.glint;
  for (let i = 0; i < 70; i++) L.far.ctx.fillRect(Math.floor(rand() * STRIP), 82 + Math.floor(rand() * 36), 4, 1);
  ridge(L.mid.ctx, 90, t.mid, 6, [[3, 2]], 0, rand);
  ridge(L.near.ctx, 60, t.near, 14, [[2, 6], [6, 2]], 0, rand);
  palms(L.near.ctx, t, rand);
  return { far: t.far, mid: t.mid, near: t.near };
}

function palms(ctx, t, rand) {
  for (let i = 0; i < 6; i++) {
    const x = Math.floor(rand() * STRIP), h = 26 + Math.floor(rand() * 12);
    ctx.fillStyle = t.palmTrunk;
    for (let y = 0; y < h; y++) ctx.fillRect(x + Math.round(Math.sin(y / 9) * 2), 60 - 10 - y, 2, 1);
    ctx.fillStyle = t.palmLeaf;
    for (const dir of [-1, 1]) for (let j = 0; j < 10; j++) ctx.fillRect(x + dir * j, 60 - 10 - h + Math.floor(j * j / 14), 3, 2);
  }
}
