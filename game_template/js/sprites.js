// Small pixel-art sprites for everything but the pet: treats, flags, hearts, digits; enemies and
// bosses come from foes.js in the level's theme colours (enemy(), boss()).
// Drawn from character maps into tiny canvases once; '.' is transparent, other letters index PAL.
// `img.treat` is the species' collectible: a bone (dog), a fish (cat) or a star (other).

import { FoeArt, bossPose } from './foes.js';
import { canvas, fromRows } from './themes.js';

const PAL = {
  k: '#1a1c2c', w: '#f4f4f4', r: '#b13e53', R: '#7e2553', o: '#ef7d57', y: '#ffcd75', g: '#38b764',
  G: '#257179', b: '#41a6f6', B: '#3b5dc9', s: '#94b0c2', S: '#566c86', p: '#ff77a8', c: '#73eff7',
  t: '#a0703c', T: '#6b4220', l: '#a7f070',
};

const MAPS = {
  bone: ['.kk......kk.', 'kwwk....kwwk', 'kwwwkkkkwwwk', '.kwwwwwwwwk.', '.kwwwwwwwwk.', 'kwwwkkkkwwwk',
    'kwwk....kwwk', '.kk......kk.'],
  fish: ['....kkkk....', '..kkbbbbk.kk', '.kbwkbbbbkbk', 'kbbbbbbbbbbk', 'kbbbbbbbbbbk', '.kBBBBBBk.Bk',
    '..kkBBBk..kk', '....kkk.....'],
  star: ['....k....', '...kyk...', 'kkkyyykkk', 'kyyyyyyyk', '.kyywyyk.', '..kyyyk..', '.kyykyyk.', 'kyk...kyk',
    'kk.....kk'],
  heart: ['.kk.kk.', 'krrkrrk', 'krwrrrk', 'krrrrrk', '.krrrk.', '..krk..', '...k...'],
  heartEmpty: ['.kk.kk.', 'kSSkSSk', 'kSSSSSk', 'kSSSSSk', '.kSSSk.', '..kSk..', '...k...'],
  paw: ['.k.k.k.', 'kykykyk', '.k.k.k.', '.kkkkk.', 'kyyyyyk', 'kyyyyyk', '.kkkkk.'],
  shot: ['.kkkk.', 'kssssk', 'ksSssk', 'kssSsk', 'kssssk', '.kkkk.'],
};

const DIGITS = ['111101101101111', '010110010010111', '111001111100111', '111001111001111', '101101111001001',
  '111100111001111', '111100111101111', '111001001001001', '111101111101111', '111101111001111'];

function flag(colour, h) {
  const [c, ctx] = canvas(12, h);
  ctx.fillStyle = '#333c57';
  ctx.fillRect(1, 0, 2, h);
  ctx.fillStyle = '#1a1c2c';
  ctx.fillRect(0, h - 2, 5, 2);
  ctx.fillStyle = colour;
  ctx.fillRect(3, 1, 8, 5);
  ctx.fillRect(3, 6, 5, 1);
  ctx.fillStyle = '#ffffff55';
  ctx.fillRect(3, 1, 8, 1);
  return c;
}

// The pet's home: the goal of every normal level.
function house() {
  const [c, ctx] = canvas(24, 22);
  ctx.fillStyle = '#1a1c2c';
  for (let y = 0; y < 9; y++) ctx.fillRect(11 - y - 1, y, (y + 1) * 2 + 2, 1);
  ctx.fillStyle = '#b13e53';
  for (let y = 1; y < 9; y++) ctx.fillRect(12 - y, y, y * 2, 1);
  ctx.fillStyle = '#1a1c2c';
  ctx.fillRect(2, 9, 20, 13);
  ctx.fillStyle = '#ef7d57';
  ctx.fillRect(3, 9, 18, 12);
  ctx.fillStyle = '#1a1c2c';
  ctx.fillRect(8, 12, 8, 10);
  ctx.fillStyle = '#ffcd75';
  ctx.fillRect(10, 3, 4, 1);
  return c;
}

export class Sprites {
  constructor(collectible = 'bone') {
    this.img = {};
    for (const [name, rows] of Object.entries(MAPS)) this.img[name] = fromRows(rows, PAL);
    this.collectible = MAPS[collectible] ? collectible : 'bone';
    this.img.treat = this.img[this.collectible];
    this.img.flagOff = flag('#94b0c2', 16);
    this.img.flagOn = flag('#38b764', 16);
    this.img.house = house();
    this.foes = new FoeArt();
  }

  // The theme's skin of an enemy type (walker|flyer|jumper), animation frame 0 or 1.
  enemy(themeName, type, frame = 0) {
    return this.foes.enemy(themeName, type, frame);
  }

  // The boss in its design (world.boss.design), the pose of its mode and the theme's colours; flash:
  // hit-flash frame.
  boss(themeName, b, flash = false) {
    return this.foes.boss(themeName, b.design, b.w, b.h, flash, bossPose(b.mode));
  }

  // Compact 3x5 digits with a dark drop shadow, for the GIF's small banner (share.js); the HUD and the
  // score pop-ups use the pixel font (font.js).
  number(ctx, value, x, y, colour = '#f4f4f4') {
    const text = String(Math.max(0, Math.floor(value)));
    for (const [pass, fill] of [[1, '#1a1c2c'], [0, colour]]) {
      ctx.fillStyle = fill;
      [...text].forEach((d, i) => {
        const bits = DIGITS[Number(d)];
        for (let b = 0; b < 15; b++) if (bits[b] === '1') ctx.fillRect(x + i * 4 + (b % 3) + pass, y + Math.floor(b / 3) + pass, 1, 1);
      });
    }
    return text.length * 4;
  }
}
