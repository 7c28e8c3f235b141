// The snow theme: its colours (themes.js styles them), its enemy skins (foes.js draws them) and
// its background painter (background.js). One module a theme, so a packaged game carries only the
// themes its levels use (themes/all.js).

import { ridge, trees } from '../scenery.js';

export const colours = {
  sky: ['#9bb7d4', '#eef4fb'], far: '#c7d6ea', mid: '#94b0c2', near: '#566c86', deco: 'snowflakes',
  top: '#f4f8ff', topDark: '#c7d6ea', fill: '#566c86', fillDark: '#333c57', speck: '#73869e',
  platform: '#94b0c2', platformDark: '#566c86', spike: '#dff6f5', ink: '#1a1c2c',
  walker: '#333c57', walkerDark: '#1a1c2c', flyer: '#a08266', flyerDark: '#5e4a3e', jumper: '#94b0c2',
  jumperDark: '#566c86', boss: '#c7d6ea', bossDark: '#566c86', foeAccent: '#ef7d57', foeLight: '#ffffff',
  bush: '#94b0c2', bushDark: '#566c86',
  cap: '#eef4fb', treeDark: '#333c57', drift: '#dfe9f5', void: '#0b0e1a', voidEdge: '#262b44',
};

export const skins = {
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
};

// Paints the three parallax layers; returns the colour that fills the view below each (null: none).
export function paint(L, t, rand) {
  ridge(L.far.ctx, 120, t.far, 70, [[3, 16], [7, 8]], 6, rand);
  ridge(L.far.ctx, 120, t.cap, 96, [[3, 16], [7, 8]], 6, rand);
  trees(L.mid.ctx, 90, t.mid, t.treeDark, 40, rand, true);
  ridge(L.near.ctx, 60, t.drift, 12, [[5, 4]], 0, rand);
  return { far: t.cap, mid: null, near: t.drift };
}
