// Parallax scenery per theme: banded sky, sky decorations and three tileable layers drawn procedurally.
// Layers are painted once into 512 px wide strips, then scrolled at different speeds behind the level.

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

const PAINTERS = {
  park: (L, t, rand) => {
    ridge(L.far.ctx, 120, t.far, 70, [[2, 14], [5, 6]], 0, rand);
    trees(L.mid.ctx, 90, t.mid, '#3b5d3a', 34, rand, false);
    ridge(L.mid.ctx, 90, t.mid, 14, [[8, 3]], 0, rand);
    ridge(L.near.ctx, 60, t.near, 16, [[4, 5], [11, 2]], 0, rand);
  },
  beach: (L, t, rand) => {
    L.far.ctx.fillStyle = t.far; L.far.ctx.fillRect(0, 80, STRIP, 40);
    L.far.ctx.fillStyle = '#8fd3f4';
    for (let i = 0; i < 70; i++) L.far.ctx.fillRect(Math.floor(rand() * STRIP), 82 + Math.floor(rand() * 36), 4, 1);
    ridge(L.mid.ctx, 90, t.mid, 6, [[3, 2]], 0, rand);
    ridge(L.near.ctx, 60, t.near, 14, [[2, 6], [6, 2]], 0, rand);
    palms(L.near.ctx, rand);
  },
  snow: (L, t, rand) => {
    ridge(L.far.ctx, 120, t.far, 70, [[3, 16], [7, 8]], 6, rand);
    ridge(L.far.ctx, 120, '#eef4fb', 96, [[3, 16], [7, 8]], 6, rand);
    trees(L.mid.ctx, 90, t.mid, '#333c57', 40, rand, true);
    ridge(L.near.ctx, 60, '#dfe9f5', 12, [[5, 4]], 0, rand);
  },
  city: (L, t, rand) => {
    buildings(L.far.ctx, 120, t.far, '#f4d58d', rand, 100);
    buildings(L.mid.ctx, 90, t.mid, '#ffcd75', rand, 70);
    ridge(L.near.ctx, 60, t.near, 10, [[16, 1]], 0, rand);
  },
  space: (L, t, rand) => {
    planet(L.far.ctx, 120, 40, 26, '#b13e53', '#7e2553');
    planet(L.far.ctx, 380, 70, 10, '#41a6f6', '#3b5dc9');
    ridge(L.mid.ctx, 90, t.mid, 26, [[3, 8], [9, 3]], 3, rand);
    ridge(L.near.ctx, 60, t.near, 14, [[5, 5], [13, 2]], 0, rand);
  },
};

function palms(ctx, rand) {
  for (let i = 0; i < 6; i++) {
    const x = Math.floor(rand() * STRIP), h = 26 + Math.floor(rand() * 12);
    ctx.fillStyle = '#8b5a2b';
    for (let y = 0; y < h; y++) ctx.fillRect(x + Math.round(Math.sin(y / 9) * 2), 60 - 10 - y, 2, 1);
    ctx.fillStyle = '#38b764';
    for (const dir of [-1, 1]) for (let j = 0; j < 10; j++) ctx.fillRect(x + dir * j, 60 - 10 - h + Math.floor(j * j / 14), 3, 2);
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
    (PAINTERS[themeName] || PAINTERS.park)(this.layers, this.t, rand);
    this.dots = Array.from({ length: 60 }, () => [rand(), rand(), rand()]);
  }

  draw(ctx, view, cam, worldH, frame) {
    this.sky(ctx, view);
    this.decor(ctx, view, cam, frame);
    const bottom = worldH - cam.y; // screen y of the level's floor
    for (const L of Object.values(this.layers)) {
      const base = Math.round(view.h + (bottom - view.h) * L.factor) - L.lift;
      const off = Math.floor(cam.x * L.factor) % STRIP;
      for (let x = -off; x < view.w; x += STRIP) ctx.drawImage(L.c, x, base - L.h);
      ctx.fillStyle = this.fillColour(L);
      if (base < view.h) ctx.fillRect(0, base, view.w, view.h - base);
    }
  }

  fillColour(L) {
    if (!L.fill) {
      const d = L.ctx.getImageData(0, L.h - 1, 1, 1).data;
      L.fill = `rgb(${d[0]},${d[1]},${d[2]})`;
    }
    return L.fill;
  }

  sky(ctx, view) {
    const [a, b] = this.t.sky.map((hex) => parseInt(hex.slice(1), 16));
    for (let i = 0; i < BANDS; i++) {
      const f = i / (BANDS - 1);
      const ch = (s) => Math.round(((a >> s) & 255) + ((((b >> s) & 255) - ((a >> s) & 255)) * f));
      ctx.fillStyle = `rgb(${ch(16)},${ch(8)},${ch(0)})`;
      const y0 = Math.floor((view.h * i) / BANDS);
      ctx.fillRect(0, y0, view.w, Math.ceil(view.h / BANDS) + 1);
    }
  }

  decor(ctx, view, cam, frame) {
    const kind = this.t.deco;
    for (const [u, v, w] of this.dots) {
      if (kind === 'stars') {
        ctx.fillStyle = (frame + Math.floor(w * 90)) % 90 < 6 ? '#ffcd75' : '#f4f4f4';
        const x = Math.floor(((u * 1024 - cam.x * 0.05) % 1024 + 1024) % 1024);
        if (x < view.w) ctx.fillRect(x, Math.floor(v * view.h * 0.7), w > 0.8 ? 2 : 1, w > 0.8 ? 2 : 1);
      } else if (kind === 'snowflakes') {
        ctx.fillStyle = '#ffffff';
        const x = Math.floor(((u * view.w + Math.sin(frame / 40 + w * 9) * 6 - cam.x * 0.5) % view.w + view.w) % view.w);
        ctx.fillRect(x, Math.floor((v * view.h + frame * (0.3 + w * 0.4)) % view.h), 1, 1);
      } else if (w > 0.75) {
        this.cloud(ctx, Math.floor(((u * 1024 - cam.x * 0.08 - frame * 0.05) % 1024 + 1024) % 1024) - 40, Math.floor(v * view.h * 0.35) + 6, w);
      }
    }
  }

  cloud(ctx, x, y, w) {
    const s = 10 + Math.floor(w * 14);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(x, y + 4, s * 2, 6);
    ctx.fillRect(x + 4, y, s, 6);
    ctx.fillRect(x + s, y + 2, s - 4, 4);
    ctx.fillStyle = '#e3eef7';
    ctx.fillRect(x + 2, y + 9, s * 2 - 4, 2);
  }
}
