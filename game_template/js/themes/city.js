// The city theme: its colours (themes.js styles them), its enemy skins (foes.js draws them) and
// its background painter (background.js). One module a theme, so a packaged game carries only the
// themes its levels use (themes/all.js).

import { STRIP, ridge } from '../scenery.js';

export const colours = {
  sky: ['#2b2d5c', '#f08a5d'], far: '#5d4a7a', mid: '#3b3556', near: '#262238', deco: 'stars',
  top: '#8a8fa3', topDark: '#5c6075', fill: '#4a4e69', fillDark: '#363a50', speck: '#9a8c98',
  platform: '#c9ada7', platformDark: '#9a8c98', spike: '#f2e9e4', ink: '#141320',
  walker: '#a39aa8', walkerDark: '#625c6e', flyer: '#8a93b5', flyerDark: '#4b5476', jumper: '#94b0c2',
  jumperDark: '#566c86', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ff77a8', foeLight: '#f4f4f4',
  bush: '#38b764', bushDark: '#257179',
  lit: '#f4d58d', litWarm: '#ffcd75', void: '#07060d', voidEdge: '#26283a',
};

export const skins = {
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
};

// Paints the three parallax layers; returns the colour that fills the view below each (null: none).
export function paint(L, t, rand) {
  buildings(L.far.ctx, 120, t.far, t.lit, rand, 100);
  buildings(L.mid.ctx, 90, t.mid, t.litWarm, rand, 70);
  ridge(L.near.ctx, 60, t.near, 10, [[16, 1]], 0, rand);
  return { far: t.far, mid: t.mid, near: t.near };
}

function buildings(ctx, h, colour, lit, rand, tall) {
  for (let x = 0; x < STRIP;) {
    const w = 14 + Math.floor(rand() * 22), top = h - (tall * 0.4 + rand() * tall);
    ctx.fillStyle = colour;
    ctx.fillRect(x, Math.round(top), w - 2, h);
    ctx.fillStyle = lit;
    for (let wy = Math.round(top) + 4; wy < h - 4; wy += 6) {
      for (let wx = x + 3; wx < x + w - 5; wx += 5) if (rand() < 0.35) ctx.fillRect(wx, wy, 2, 3);
    }
    x += w;
  }
}
