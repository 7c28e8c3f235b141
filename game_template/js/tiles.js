// Level tiles drawn per theme: ground with a lit top edge, one-way platforms, spikes and pits.
// Each variant is painted once into a small canvas; drawing a level is then one blit per visible tile.
// Colours come from theme() (themes.js): palette styles get their palette here too.

import { bushTile } from './foes.js';
import { canvas, theme } from './themes.js';

const LIP = 4; // px: the ground's lit top edge, which overhangs a pit's rims
const WALL = 3; // px: a pit's dark inner wall under each rim

// The top row of the solid stack standing on the level's bottom row in column tx, or null.
function surface(world, tx) {
  if (tx < 0 || tx >= world.width) return null;
  let row = world.height - 1;
  if (world.tiles[row][tx] !== '#') return null;
  while (row > 0 && world.tiles[row - 1][tx] === '#') row--;
  return row;
}

function paint(size, fn) {
  const [c, ctx] = canvas(size, size);
  fn(ctx, size);
  return c;
}

function speckle(ctx, s, colour, seed) {
  ctx.fillStyle = colour;
  for (let i = 0; i < 5; i++) {
    const n = (seed * 73 + i * 151) % 997;
    ctx.fillRect(n % (s - 2) + 1, Math.floor(n / 13) % (s - 6) + 5, 2, 1);
  }
}

function solid(t, s, top, seed) {
  return paint(s, (ctx) => {
    ctx.fillStyle = t.fill;
    ctx.fillRect(0, 0, s, s);
    speckle(ctx, s, t.speck, seed);
    ctx.fillStyle = t.fillDark;
    ctx.fillRect(0, s - 1, s, 1);
    ctx.fillRect(s - 1, 0, 1, s);
    if (!top) return;
    ctx.fillStyle = t.top;
    ctx.fillRect(0, 0, s, 4);
    ctx.fillStyle = t.topDark;
    for (let x = 0; x < s; x += 3) ctx.fillRect(x, 4, 2, 1 + ((x + seed) % 3 === 0 ? 1 : 0));
    ctx.fillStyle = `${t.shine}33`;
    ctx.fillRect(0, 0, s, 1);
  });
}

function platform(t, s) {
  return paint(s, (ctx) => {
    ctx.fillStyle = t.platform;
    ctx.fillRect(0, 0, s, 5);
    ctx.fillStyle = t.platformDark;
    ctx.fillRect(0, 4, s, 1);
    ctx.fillRect(2, 5, 2, 3);
    ctx.fillRect(s - 4, 5, 2, 3);
    ctx.fillStyle = `${t.shine}44`;
    ctx.fillRect(0, 0, s, 1);
  });
}

function spikes(t, s) {
  return paint(s, (ctx) => {
    const n = 3, w = s / n;
    for (let i = 0; i < n; i++) {
      for (let y = 0; y < s / 2; y++) {
        const half = Math.floor((y / (s / 2)) * (w / 2));
        ctx.fillStyle = y < 2 ? t.shine : t.spike;
        ctx.fillRect(Math.round(i * w + w / 2 - half), s / 2 + y, Math.max(1, half * 2), 1);
        ctx.fillStyle = t.ink;
        ctx.fillRect(Math.round(i * w + w / 2 + half), s / 2 + y, 1, 1);
      }
    }
  });
}

export class TileSet {
  constructor(themeName, size) {
    const t = theme(themeName);
    this.t = t;
    this.size = size;
    this.top = [0, 1, 2].map((v) => solid(t, size, true, v + 1));
    this.inner = [0, 1, 2].map((v) => solid(t, size, false, v + 7));
    this.platform = platform(t, size);
    this.spikes = spikes(t, size);
    this.bush = bushTile(t, size); // `*`: park's springy bush
  }

  // Only the tiles inside the view: a long level costs the same per frame as a short one.
  draw(ctx, world, cam, view) {
    this.pits(ctx, world, cam, view);
    const s = this.size;
    const x0 = Math.max(0, Math.floor(cam.x / s)), x1 = Math.min(world.width - 1, Math.floor((cam.x + view.w) / s));
    const y0 = Math.max(0, Math.floor(cam.y / s)), y1 = Math.min(world.height - 1, Math.floor((cam.y + view.h) / s));
    for (let ty = y0; ty <= y1; ty++) {
      const row = world.tiles[ty];
      for (let tx = x0; tx <= x1; tx++) {
        const img = this.pick(row[tx], world, tx, ty);
        if (img) ctx.drawImage(img, tx * s - cam.x, ty * s - cam.y);
      }
    }
  }

  // Bottomless pits are holes in the ground: a dark void from the ground's surface down to the bottom of
  // the view, dark inner walls, and the ground's top edge as a lip overhanging each rim. (Before, a fade
  // over the background let beach and snow pits read as more ground.)
  pits(ctx, world, cam, view) {
    const s = this.size, t = this.t, last = world.tiles[world.height - 1];
    const x0 = Math.max(0, Math.floor(cam.x / s) - 1), x1 = Math.min(world.width - 1, Math.floor((cam.x + view.w) / s) + 1);
    for (let a = x0; a <= x1; a++) {
      if (last[a] !== '.' || (a > x0 && last[a - 1] === '.')) continue;
      let b = a;
      while (b + 1 < world.width && last[b + 1] === '.') b++;
      const left = surface(world, a - 1), right = surface(world, b + 1);
      const row = Math.max(left ?? right ?? world.height, right ?? left ?? world.height);
      const top = row * s - cam.y + LIP, x = a * s - cam.x, w = (b - a + 1) * s;
      ctx.fillStyle = t.void;
      ctx.fillRect(x, top, w, view.h - top);
      ctx.fillStyle = t.voidEdge;
      ctx.fillRect(x, top, w, 2); // the far rim, just under the lip
      for (const [side, rimRow] of [[x, left], [x + w - WALL, right]]) {
        if (rimRow === null) continue;
        ctx.fillStyle = t.voidEdge;
        ctx.fillRect(side, top, WALL, view.h - top);
        ctx.fillStyle = t.fillDark;
        ctx.fillRect(side === x ? x : x + w - 1, top, 1, view.h - top);
      }
      for (const [edge, rimRow, dir] of [[x, left, 1], [x + w, right, -1]]) {
        if (rimRow === null) continue;
        const y = rimRow * s - cam.y, lx = dir > 0 ? edge : edge - 2;
        ctx.fillStyle = t.top;
        ctx.fillRect(lx, y, 2, LIP);
        ctx.fillStyle = t.topDark;
        ctx.fillRect(lx, y + LIP, 2, 1);
      }
    }
  }

  pick(ch, world, tx, ty) {
    const v = (tx * 7 + ty * 13) % 3;
    if (ch === '#') return ty > 0 && world.tiles[ty - 1][tx] === '#' ? this.inner[v] : this.top[v];
    if (ch === '=') return this.platform;
    if (ch === '^') return this.spikes;
    if (ch === '*') return this.bush;
    return null;
  }
}
