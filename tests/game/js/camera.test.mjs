// Node tests for the camera: whole-pixel output, clamping to the level, look-ahead in the run direction.
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Camera } from '../../../game_template/js/camera.js';

const view = { w: 200, h: 120 };
const world = (x, vx = 0) => ({
  width: 100, height: 10, tileSize: 16,
  player: { x, y: 100, w: 12, h: 14, vx, facing: vx < 0 ? -1 : 1 },
});

test('never shows outside the level and centres short levels vertically at the floor', () => {
  const cam = new Camera();
  cam.snap(world(0), view);
  assert.equal(cam.x, 0);
  assert.equal(cam.y, 160 - 120);
  cam.snap(world(1590), view);
  assert.equal(cam.x, 1600 - 200);
});

test('looks ahead where the pet runs and always lands on whole pixels', () => {
  const right = new Camera(), left = new Camera();
  right.snap(world(800), view);
  left.snap(world(800), view);
  for (let i = 0; i < 240; i++) {
    right.update(world(800, 2), view);
    left.update(world(800, -2), view);
    assert.ok(Number.isInteger(right.x) && Number.isInteger(right.y));
  }
  assert.ok(right.x > left.x + 40, `${right.x} vs ${left.x}`);
});
