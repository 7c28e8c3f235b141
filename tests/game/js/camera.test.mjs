// Node tests for the view size and the camera: the phone's 16-18 tiles across at the game's own
// resolution, look-ahead, no bob on jumps, cropped sky, the boss framed in its arena, whole pixels.
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Camera, rowsFor, viewFor } from '../../../game_template/js/camera.js';

const TILE = 16;
const PHONE = { w: 390, h: 729, dpr: 3 }; // 390x844 CSS px minus the touch pad's band

// A level `width` tiles long and `height` tall: solid from row `surface` down, rows above empty.
function world({ width = 100, height = 16, surface = 12, x = 40, vx = 0, boss = null, top = null } = {}) {
  const rows = Array.from({ length: height }, (_, y) => (y >= surface ? '#' : '.').repeat(width));
  if (top !== null) rows[top] = `${'.'.repeat(10)}===${'.'.repeat(width - 13)}`;
  const p = { x, y: surface * TILE - 14, w: 12, h: 14, vx, vy: 0, onGround: true, facing: vx < 0 ? -1 : 1 };
  return { width, height, tileSize: TILE, tiles: rows, items: [], enemies: [], boss, frame: 1, player: p };
}

// Sky seen: rows inside the view above the level's highest tile (rows above the level count too).
function emptyRowsSeen(w, cam, view) {
  const first = w.tiles.findIndex((row) => /[^.]/.test(row));
  let n = 0;
  for (let y = Math.floor(cam.y / TILE); y * TILE < cam.y + view.h; y++) if (y < first) n++;
  return n;
}

test('a portrait phone shows 16-18 tiles across at the game resolution, with square pixels', () => {
  for (const [cssW, cssH, dpr] of [[390, 729, 3], [360, 640, 2], [390, 740, 2], [320, 500, 2], [412, 780, 2.625]]) {
    const v = viewFor(cssW, cssH, dpr);
    assert.ok(v.w / TILE >= 16 && v.w / TILE <= 18, `${cssW}x${cssH}@${dpr}: ${v.w / TILE} tiles`);
    // One scale both ways; the view covers the width and is no device-pixel canvas.
    assert.ok(v.w * v.scale >= cssW * dpr - 0.01 && (v.w - 1) * v.scale < cssW * dpr, JSON.stringify(v));
    assert.ok(v.h * v.scale <= cssH * dpr + v.scale, JSON.stringify(v));
    assert.ok(v.w < cssW * dpr / 2);
  }
});

test('landscape shows more tiles across than portrait; desktops keep a whole-number scale', () => {
  const portrait = viewFor(PHONE.w, PHONE.h, PHONE.dpr), landscape = viewFor(844, 390, 3);
  assert.ok(landscape.w > portrait.w * 1.4, `${landscape.w} vs ${portrait.w}`);
  assert.ok(landscape.h >= 12 * TILE && landscape.h <= 14 * TILE, JSON.stringify(landscape));
  assert.deepEqual(viewFor(960, 540, 1), { w: 480, h: 270, scale: 2 });
  assert.deepEqual(viewFor(1920, 1080, 1), { w: 384, h: 216, scale: 5 });
});

test('a level with empty top rows gets a shorter view and the camera shows at most two of them', () => {
  for (const ledge of [4, 6, 8]) { // ground at row 12, one ledge higher up, empty rows above it
    const w = world({ top: ledge });
    const { w: vw, h } = viewFor(PHONE.w, PHONE.h, PHONE.dpr, rowsFor(w));
    const view = { w: vw, h }, cam = new Camera();
    cam.snap(w, view);
    for (let i = 0; i < 120; i++) cam.update(w, view);
    assert.ok(emptyRowsSeen(w, cam, view) <= 2, `ledge ${ledge}: ${emptyRowsSeen(w, cam, view)} empty rows`);
  }
  // A tall level: standing on a ledge near its top, the sky above the content stays cropped.
  const tall = world({ height: 30, surface: 28, top: 10 });
  tall.player.x = 170;
  tall.player.y = 10 * TILE - 14;
  const view = { w: 272, h: 208 }, cam = new Camera();
  cam.snap(tall, view);
  for (let i = 0; i < 120; i++) cam.update(tall, view);
  assert.ok(emptyRowsSeen(tall, cam, view) <= 2, `${emptyRowsSeen(tall, cam, view)} empty rows at y ${cam.y}`);
});

test('running, most of the view lies ahead of the pet, whichever way it runs', () => {
  const view = { w: 272, h: 208 };
  for (const dir of [1, -1]) {
    const cam = new Camera();
    let w = world({ width: 400, x: 3000 });
    cam.snap(w, view);
    for (let i = 0; i < 240; i++) {
      w = world({ width: 400, x: 3000 + dir * 2 * i, vx: 2 * dir });
      cam.update(w, view);
    }
    const left = w.player.x - cam.x, right = cam.x + view.w - (w.player.x + w.player.w);
    const [ahead, behind] = dir > 0 ? [right, left] : [left, right];
    assert.ok(ahead >= 1.8 * behind, `dir ${dir}: ${ahead} px ahead, ${behind} behind`);
    assert.ok(ahead >= 10 * TILE, `dir ${dir}: ${ahead / TILE} tiles ahead`);
  }
});

test('a jump does not bob the camera; a fall into a pit is followed', () => {
  const view = { w: 272, h: 208 }, cam = new Camera();
  const w = world({ height: 30, surface: 20, top: 14 });
  cam.snap(w, view);
  for (let i = 0; i < 120; i++) cam.update(w, view);
  const y0 = cam.y, ground = w.player.y;
  for (let t = 0; t <= 52; t++) { // a full jump: up 68 px and back in 52 frames
    Object.assign(w.player, { y: ground - Math.round(68 * Math.sin((Math.PI * t) / 52)), onGround: t === 52 });
    cam.update(w, view);
    assert.ok(Math.abs(cam.y - y0) <= 2, `frame ${t}: camera moved ${cam.y - y0} px`);
  }
  for (let t = 1; t <= 30; t++) { // down a pit to the level's bottom
    Object.assign(w.player, { y: ground + t * 5, onGround: false });
    cam.update(w, view);
    assert.ok(w.player.y + w.player.h <= cam.y + view.h, `frame ${t}: the falling pet left the view`);
  }
});

test('in the arena the boss stays in view while it paces and charges', () => {
  const view = { w: 272, h: 208 }, cam = new Camera();
  const boss = { x: 0, y: 12 * TILE - 24, w: 28, h: 24, alive: true };
  const w = world({ width: 60, x: 38 * TILE, boss });
  w.player.facing = -1;
  cam.snap(w, view);
  for (let i = 0; i < 600; i++) {
    // The boss paces 14 tiles of arena, back and forth, at 1.5 px a frame.
    const span = 14 * TILE - boss.w, t = (i * 1.5) % (2 * span);
    boss.x = 38 * TILE + 24 + (t < span ? t : 2 * span - t);
    cam.update(w, view);
    if (i < 60) continue; // the framing eases in
    assert.ok(boss.x >= cam.x && boss.x + boss.w <= cam.x + view.w, `frame ${i}: boss ${boss.x}, camera ${cam.x}`);
    assert.ok(w.player.x >= cam.x && w.player.x + w.player.w <= cam.x + view.w);
  }
});

test('never shows outside the level, centres narrow levels, lands on whole pixels', () => {
  const view = { w: 272, h: 208 }, cam = new Camera();
  cam.snap(world({ x: 0 }), view);
  assert.equal(cam.x, 0);
  assert.equal(cam.y, 16 * TILE - 208);
  cam.snap(world({ x: 1590 }), view);
  assert.equal(cam.x, 1600 - 272);
  cam.snap(world({ width: 10, x: 20 }), view);
  assert.equal(cam.x, Math.round((160 - 272) / 2));
  let w = world({ width: 400, x: 800 });
  cam.snap(w, view);
  for (let i = 0; i < 200; i++) {
    w = world({ width: 400, x: 800 + i * 1.37, vx: 1.37 });
    cam.update(w, view);
    assert.ok(Number.isInteger(cam.x) && Number.isInteger(cam.y));
  }
});
