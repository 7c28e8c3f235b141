// Parallax scenery per theme: banded sky, sky decorations and three tileable layers drawn procedurally.
// Layers are painted once into 512 px wide strips, then scrolled at different speeds behind the level.
// Every colour comes from theme() (themes.js), so palette styles get their palette here too. The sky is
// painted once per view size; palette styles dither its gradient between the two palette colours.

import { activeInk, parseColour } from './palette.js';
import { canvas, rng, theme } from './themes.js';

const STRIP = 512;
const TAU = Math.PI * 2;
const BANDS = 12;

// A skyline of 1 px columns from a sum of sines whose periods divide the strip, so it tiles.
function ridge(ctx, h, colour, base, waves, jag = 0, rand = Math.random) {
  ctx.fillStyle = colour;
  const phase = waves.map(() => rand() * TAU);
  for (let x = 0; x < STRIP; x++) {
    let y = base;
    waves.forEach(([cycles, amp], i) => { y += Math.sin((x / STRIP) * cycles * TAU + phase[i]) * amp; });
    if (jag) y += Math.abs(((x * 7) % (jag * 2)) - jag);
    const top = Math.round(h - y);
    ctx.fillRect(x, top, 1, h - top);
  }
}

function trees(ctx, h, colour, dark, count, rand, pine) {
  for (let i = 0; i < count; i++) {
    const x = Math.floor(rand() * STRIP), size = 6 + Math.floor(rand() * 8), foot = h - 4;
    ctx.fillStyle = dark;
    ctx.fillRect(x, foot - size, 2, size);
    ctx.fillStyle = colour;
    for (let r = 0; r < size; r++) {
      const half = pine ? Math.floor((r * 0.6) + 1) : Math.round(Math.sqrt(Math.max(0, size * size / 4 - (r - size / 2) ** 2)));
      const y = foot - size * 2 + r + (pine ? 0 : size / 2);
      for (const wrap of [0, STRIP, -STRIP]) ctx.fillRect(x - half + wrap, Math.round(y), half * 2 + 2, 1);
    }
  }
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

function planet(ctx, cx, cy, r, colour, shade) {
  for (let y = -r; y <= r; y++) {
    const half = Math.round(Math.sqrt(r * r - y * y));
    ctx.fillStyle = colour;
    ctx.fillRect(cx - half, cy + y, half * 2, 1);
    ctx.fillStyle = shade;
    ctx.fillRect(cx + Math.round(half * 0.3), cy + y, Math.round(half * 0.7), 1);
  }
}

// Each painter returns the colour of every layer's bottom edge: what fills the view below that strip.
// A layer with no ground band (snow's trees, space's planets) returns null and fills nothing: reading
// back its transparent bottom pixel gave opaque black, the black band across the snow and space views.
const PAINTERS = {
  park: (L, t, rand) => {
    ridge(L.far.ctx, 120, t.far, 70, [[2, 14], [5, 6]], 0, rand);
    trees(L.mid.ctx, 90, t.mid, t.trunk, 34, rand, false);
    ridge(L.mid.ctx, 90, t.mid, 14, [[8, 3]], 0, rand);
    ridge(L.near.ctx, 60, t.near, 16, [[4, 5], [11, 2]], 0, rand);
    return { far: t.far, mid: t.mid, near: t.near };
  },
  beach: (L, t, rand) => {
    L.far.ctx.fillStyle = t.far; L.far.ctx.fillRect(0, 80, STRIP, 40);
    L.far.ctx.fillStyle = t.glint;
    for (let i = 0; i < 70; i++) L.far.ctx.fillRect(Math.floor(rand() * STRIP), 82 + Math.floor(rand() * 36), 4, 1);
    ridge(L.mid.ctx, 90, t.mid, 6, [[3, 2]], 0, rand);
    ridge(L.near.ctx, 60, t.near, 14, [[2, 6], [6, 2]], 0, rand);
    palms(L.near.ctx, t, rand);
    return { far: t.far, mid: t.mid, near: t.near };
  },
  snow: (L, t, rand) => {
    ridge(L.far.ctx, 120, t.far, 70, [[3, 16], [7, 8]], 6, rand);
    ridge(L.far.ctx, 120, t.cap, 96, [[3, 16], [7, 8]], 6, rand);
    trees(L.mid.ctx, 90, t.mid, t.treeDark, 40, rand, true);
    ridge(L.near.ctx, 60, t.drift, 12, [[5, 4]], 0, rand);
    return { far: t.cap, mid: null, near: t.drift };
  },
  city: (L, t, rand) => {
    buildings(L.far.ctx, 120, t.far, t.lit, rand, 100);
    buildings(L.mid.ctx, 90, t.mid, t.litWarm, rand, 70);
    ridge(L.near.ctx, 60, t.near, 10, [[16, 1]], 0, rand);
    return { far: t.far, mid: t.mid, near: t.near };
  },
  space: (L, t, rand) => {
    planet(L.far.ctx, 120, 40, 26, t.planet, t.planetDark);
    planet(L.far.ctx, 380, 70, 10, t.moon, t.moonDark);
    ridge(L.mid.ctx, 90, t.mid, 26, [[3, 8], [9, 3]], 3, rand);
    ridge(L.near.ctx, 60, t.near, 14, [[5, 5], [13, 2]], 0, rand);
    return { far: null, mid: t.mid, near: t.near };
  },
};

function palms(ctx, t, rand) {
  for (let i = 0; i < 6; i++) {
    const x = Math.floor(rand() * STRIP), h = 26 + Math.floor(rand() * 12);
    ctx.fillStyle = t.palmTrunk;
    for (let y = 0; y < h; y++) ctx.fillRect(x + Math.round(Math.sin(y / 9) * 2), 60 - 10 - y, 2, 1);
    ctx.fillStyle = t.palmLeaf;
    for (const dir of [-1, 1]) for (let j = 0; j < 10; j++) ctx.fillRect(x + dir * j, 60 - 10 - h + Math.floor(j * j / 14), 3, 2);
  }
}

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
    const fills = (PAINTERS[themeName] || PAINTERS.park)(this.layers, this.t, rand);
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
