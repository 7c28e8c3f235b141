// hitbox_probe.mjs — for tests/game/test_hitbox.py: which visible body pixels a boss shot hurts.
// Usage: node hitbox_probe.mjs GAME_JSON ATLAS_JSON PIXELS_JSON -> JSON [hurt, total] on stdout.
// PIXELS_JSON lists [x, y] opaque pixels of the idle cell (cell px); each one becomes a 1x1 shot at the
// world pixel where pet.js draws it, over a standing hero.

import fs from 'node:fs';
import { createWorld, step } from '../../../game_template/js/sim.js';
import { cellOffset } from '../../../game_template/js/pet.js';

const read = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const [game, atlas, pixels] = process.argv.slice(2).map(read);
const NONE = { left: false, right: false, jump: false, special: false };
const W = 40;
const row = (ch) => ch.repeat(W);
// Flat ground, the hero at tile 4, a far-away boss so boss shots are simulated.
const level = {
  version: 1, index: 0, theme: 'park', width: W, height: 8, boss: true,
  tiles: [...Array(7).fill(row('.')), row('#')], start: { x: 4, y: 6 }, goal: { x: 30, y: 6 },
  entities: [{ type: 'boss', x: 36, y: 6, hp: 3, arena: [33, 39] }],
};

function hurts([cx, cy]) {
  const world = createWorld(level, game.physics, 0);
  for (let i = 0; i < 20; i++) step(world, NONE);
  const p = world.player, k = game.hero.scale, [ox, oy] = cellOffset(game.hero, atlas.anchor);
  // The same rounding as Pet.draw: box bottom centre to whole pixels, then the cell offset.
  const wx = Math.round(p.x + p.w / 2) + ox + Math.floor(cx / k), wy = Math.round(p.y + p.h) + oy + Math.floor(cy / k);
  world.projectiles.push({ x: wx, y: wy, w: 1, h: 1, sx: wx * 256, sy: wy * 256, svx: 0, svy: 0, g: 0, life: 5 });
  return step(world, NONE).some((e) => e.type === 'hurt');
}

console.log(JSON.stringify([pixels.filter(hurts).length, pixels.length]));
