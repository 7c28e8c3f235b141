// The park theme: its colours (themes.js styles them), its enemy skins (foes.js draws them) and
// its background painter (background.js). One module a theme, so a packaged game carries only the
// themes its levels use (themes/all.js).

import { ridge, trees } from '../scenery.js';

export const colours = {
  sky: ['#7ec8f0', '#d4f1ff'], far: '#8fc9a0', mid: '#5aa469', near: '#3e8948', deco: 'clouds',
  top: '#63c74d', topDark: '#3e8948', fill: '#8b5a2b', fillDark: '#6b4220', speck: '#a0703c',
  platform: '#b86f50', platformDark: '#743f39', spike: '#c2c3c7', ink: '#1a1c2c',
  walker: '#a0703c', walkerDark: '#6b4220', flyer: '#ffcd75', flyerDark: '#333c57', jumper: '#a7f070',
  jumperDark: '#38b764', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ef7d57', foeLight: '#f4f4f4',
  bush: '#63c74d', bushDark: '#257179',
  trunk: '#3b5d3a', void: '#120d0a', voidEdge: '#3d2a18',
};

export const skins = {
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
};

// Paints the three parallax layers; returns the colour that fills the view below each (null: none).
export function paint(L, t, rand) {
  ridge(L.far.ctx, 120, t.far, 70, [[2, 14], [5, 6]], 0, rand);
  trees(L.mid.ctx, 90, t.mid, t.trunk, 34, rand, false);
  ridge(L.mid.ctx, 90, t.mid, 14, [[8, 3]], 0, rand);
  ridge(L.near.ctx, 60, t.near, 16, [[4, 5], [11, 2]], 0, rand);
  return { far: t.far, mid: t.mid, near: t.near };
}
