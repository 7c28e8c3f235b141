// Parallax scenery per theme: banded sky, sky decorations and three tileable layers drawn procedurally.
// Layers are painted once into 512 px wide strips, then scrolled at different speeds behind the level.
// Every colour comes from theme() (themes.js), so palette styles get their palette here too. The sky is
// painted once per view size; palette styles dither its gradient between the two palette colours.

import { activeInk, parseColour } from './palette.js';
import { STRIP } from './scenery.js';
import { canvas, rng, theme, world } from './themes.js';

const BANDS = 12;

// Game Boy: the scenery's shade is all but the sky's, so each layer's skyline gets a 1 px outline in
// the second-darkest shade (down the sides of buildings and cliffs too): hills and trees read as shapes.
function outline(L, colour) {
  const { data } = L.ctx.getImageData(0, 0, STRIP, L.h);
  const top = Array.from({ length: STRIP }, (_, x) => {
    for (let y = 0; y < L.h; y++) if (data[(y * STRIP + x) * 4 + 3] > 0) return y;
    return L.h;
  });
  L.ctx.fillStyle = colour;
  for (let x = 0; x < STRIP; x++) {
    if (top[x] >= L.h) continue;
    const side = Math.max(top[(x + STRIP - 1) % STRIP], top[(x + 1) % STRIP]);
    L.ctx.fillRect(x, top[x], 1, Math.max(1, Math.min(side, L.h) - top[x]));
  }
}

export class Background {
  constructor(themeName, seed) {
    this.t = theme(themeName);
    this.name = themeName;
    const rand = rng(seed ^ 0x5eed);
    this.layers = {};
    // [name, strip height, scroll factor, lift: px above the level's floor where the strip ends]
    for (const [key, h, factor, lift] of [['far', 120, 0.15, 88], ['mid', 90, 0.35, 64], ['near', 60, 0.6, 40]]) {
      const [c, ctx] = canvas(STRIP, h);
      this.layers[key] = { c, ctx, h, factor, lift };
    }
    // Each theme's painter (themes/<name>.js) returns the colour of every layer's bottom edge: what fills
    // the view below that strip; null for a layer with no ground band (snow's trees, space's planets).
    const fills = world(themeName).paint(this.layers, this.t, rand);
    const ink = activeInk();
    if (ink && ink.shades) for (const L of Object.values(this.layers)) outline(L, ink.palette[ink.order[1]]);
    for (const [key, L] of Object.entries(this.layers)) L.fill = fills[key] || null;
    this.dots = Array.from({ length: 60 }, () => [rand(), rand(), rand()]);
  }

  draw(ctx, view, cam, worldH, frame) {
    this.sky(ctx, view);
    this.decor(ctx, view, cam, frame);
    const bottom = worldH - cam.y; // screen y of the level's floor
    for (const L of Object.values(this.layers)) {
      const base = Math.round(view.h + (bottom - view.h) * L.factor) - L.lift;
      const off = ((Math.floor(cam.x * L.factor) % STRIP) + STRIP) % STRIP; // also for a camera left of 0
      for (let x = -off; x < view.w; x += STRIP) ctx.drawImage(L.c, x, base - L.h);
      if (L.fill && base < view.h) {
        ctx.fillStyle = L.fill;
        ctx.fillRect(0, Math.max(0, base), view.w, view.h - Math.max(0, base));
      }
    }
  }

  // The sky, painted once per view size into its own canvas (one blit a frame).
  sky(ctx, view) {
    if (!this.skyCanvas || this.skyCanvas.width !== view.w || this.skyCanvas.height !== view.h) {
      const [c, g] = canvas(view.w, view.h);
      if (activeInk()) ditherSky(g, view, this.t.sky);
      else bandSky(g, view, this.t.sky);
      this.skyCanvas = c;
    }
    ctx.drawImage(this.skyCanvas, 0, 0);
  }

  decor(ctx, view, cam, frame) {
    const kind = this.t.deco;
    for (const [u, v, w] of this.dots) {
      if (kind === 'stars') {
        ctx.fillStyle = (frame + Math.floor(w * 90)) % 90 < 6 ? this.t.twinkle : this.t.star;
        const x = Math.floor(((u * 1024 - cam.x * 0.05) % 1024 + 1024) % 1024);
        if (x < view.w) ctx.fillRect(x, Math.floor(v * view.h * 0.7), w > 0.8 ? 2 : 1, w > 0.8 ? 2 : 1);
      } else if (kind === 'snowflakes') {
        ctx.fillStyle = this.t.flake;
        const x = Math.floor(((u * view.w + Math.sin(frame / 40 + w * 9) * 6 - cam.x * 0.5) % view.w + view.w) % view.w);
        ctx.fillRect(x, Math.floor((v * view.h + frame * (0.3 + w * 0.4)) % view.h), 1, 1);
      } else if (w > 0.75) {
        this.cloud(ctx, Math.floor(((u * 1024 - cam.x * 0.08 - frame * 0.05) % 1024 + 1024) % 1024) - 40, Math.floor(v * view.h * 0.35) + 6, w);
      }
    }
  }

  cloud(ctx, x, y, w) {
    const s = 10 + Math.floor(w * 14);
    ctx.fillStyle = this.t.cloud;
    ctx.fillRect(x, y + 4, s * 2, 6);
    ctx.fillRect(x + 4, y, s, 6);
    ctx.fillRect(x + s, y + 2, s - 4, 4);
    ctx.fillStyle = this.t.cloudShade;
    ctx.fillRect(x + 2, y + 9, s * 2 - 4, 2);
  }
}

// Full colour: BANDS flat bands from the top colour to the bottom one, covering every row of the view.
function bandSky(g, view, [top, bottom]) {
  const a = parseColour(top), b = parseColour(bottom);
  for (let i = 0; i < BANDS; i++) {
    const f = i / (BANDS - 1), ch = (k) => Math.round(a[k] + (b[k] - a[k]) * f);
    g.fillStyle = `rgb(${ch(0)},${ch(1)},${ch(2)})`;
    const y0 = Math.floor((view.h * i) / BANDS), y1 = Math.floor((view.h * (i + 1)) / BANDS);
    g.fillRect(0, y0, view.w, y1 - y0);
  }
}

// Palette styles: the two palette colours mixed by a 4x4 ordered (Bayer) dither, in BANDS steps.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];
function ditherSky(g, view, [top, bottom]) {
  for (let i = 0; i < BANDS; i++) {
    const f = i / (BANDS - 1); // share of the bottom colour
    const [tile, t] = canvas(4, 4);
    for (let k = 0; k < 16; k++) {
      t.fillStyle = (BAYER[k] + 0.5) / 16 < f ? bottom : top;
      t.fillRect(k % 4, Math.floor(k / 4), 1, 1);
    }
    g.fillStyle = g.createPattern(tile, 'repeat');
    const y0 = Math.floor((view.h * i) / BANDS), y1 = Math.floor((view.h * (i + 1)) / BANDS);
    g.fillRect(0, y0, view.w, y1 - y0);
  }
}
