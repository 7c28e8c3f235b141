// feel.test.mjs — how quickly the controls answer (issue 13 #4): frames to top speed and to a full
// reverse, on the ground and in the air, measured by driving sim.js frame by frame.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createWorld, step, derive } from '../js/sim.js';

const physics = JSON.parse(fs.readFileSync(new URL('../physics.json', import.meta.url)));
const k = derive(physics);
const NONE = { left: false, right: false, jump: false, special: false };

// A wide room: on the ground the floor is right under the start; in the air the floor is 60 tiles down,
// so the player falls for well over 100 frames before landing.
function world(air) {
  const width = 120, height = air ? 64 : 8;
  const tiles = [];
  for (let y = 0; y < height; y++) tiles.push(y === height - 1 ? '#'.repeat(width) : '.'.repeat(width));
  const start = { x: 60, y: air ? 1 : height - 2 };
  const level = { version: 1, index: 0, theme: 'park', width, height, tiles, start, goal: { x: 0, y: height - 2 }, entities: [], boss: false };
  const w = createWorld(level, physics, 0);
  if (!air) { for (let i = 0; i < 4; i++) step(w, NONE); assert.ok(w.player.onGround); }
  return w;
}

// Frames of holding `key` until the horizontal speed equals `target` (sub-pixels per frame).
function framesTo(w, key, target, air) {
  for (let n = 1; n <= 120; n++) {
    step(w, { ...NONE, [key]: true });
    assert.equal(w.player.onGround, !air, 'stays on the ground / in the air while measured');
    if (w.player.svx === target) return n;
  }
  return Infinity;
}

function measure(air) {
  const w = world(air);
  const top = framesTo(w, 'right', k.run, air);
  const reverse = framesTo(w, 'left', -k.run, air);
  return { top, reverse };
}

test('top speed and a full reverse come quickly on the ground (<= 6 frames each)', () => {
  const { top, reverse } = measure(false);
  console.log(`ground: ${top} frames to top speed, ${reverse} frames to reverse`);
  assert.ok(top <= 6, `ground top speed in ${top} frames`);
  assert.ok(reverse <= 6, `ground reverse in ${reverse} frames`);
});

test('in the air top speed comes in <= 6 frames and a full reverse in <= 10', () => {
  const { top, reverse } = measure(true);
  console.log(`air: ${top} frames to top speed, ${reverse} frames to reverse`);
  assert.ok(top <= 6, `air top speed in ${top} frames`);
  assert.ok(reverse <= 10, `air reverse in ${reverse} frames`);
});

test('letting go still slows the player smoothly, never past zero', () => {
  const w = world(false);
  framesTo(w, 'right', k.run, false);
  let prev = w.player.svx;
  for (let i = 0; i < 60; i++) {
    step(w, NONE);
    assert.ok(w.player.svx >= 0 && w.player.svx <= prev, `frame ${i}: ${w.player.svx}`);
    prev = w.player.svx;
  }
  assert.equal(w.player.svx, 0);
});
