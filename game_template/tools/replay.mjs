// replay.mjs — whole-game state rows, one per frame, for the Python twin's parity test
// (core/levels/game.py Game.row prints the same line for the same frame).
// CLI: node replay.mjs REQUEST_JSON_PATH -> JSON [[row, ...] per case]
// Request: {"physics": {...}, "cases": [{"level": {...}, "inputs": [[count, mask], ...], "lives": n?}]}
// mask bits: 1 left, 2 right, 4 jump, 8 special (the compact trace the game submits).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorld, step } from '../js/sim.js';

export function inputOf(mask) {
  return { left: !!(mask & 1), right: !!(mask & 2), jump: !!(mask & 4), special: !!(mask & 8) };
}

const bit = (v) => (v ? 1 : 0);

export function row(world, events) {
  const p = world.player;
  const parts = [world.frame, world.status, world.score, world.lives, p.sx, p.sy, p.svx, p.svy, bit(p.onGround),
    bit(p.rising), p.coyote, p.jumpBuffer, bit(p.jumpHeld), p.facing, p.stun, p.invuln, p.hp, p.specialCooldown,
    p.specialTimer, bit(p.specialHeld), world.checkpoint.x, world.checkpoint.y,
    world.items.map((it) => (it.taken ? '1' : '0')).join('')];
  for (const e of world.enemies) parts.push(bit(e.alive), e.sx, e.sy, e.stun, e.clock, e.facing);
  const b = world.boss;
  if (b) parts.push(b.design ?? 'vacuum', b.sx, b.sy, b.hp, b.phase, b.mode, b.next, b.invuln, b.stun, b.clock, b.dir, bit(b.alive), b.defeat ?? 0);
  for (const s of world.projectiles) parts.push(s.sx, s.sy, s.svx, s.svy ?? 0, s.life);
  parts.push(events.map((e) => e.type).join('|'));
  return parts.join(',');
}

export function rows(level, physics, inputs, lives) {
  const world = createWorld(level, physics, 0);
  if (lives !== undefined && lives !== null) world.lives = lives;
  const out = [];
  for (const [count, mask] of inputs) {
    const input = inputOf(mask);
    for (let i = 0; i < count; i++) {
      if (world.status !== 'playing') return out;
      out.push(row(world, step(world, input)));
    }
  }
  return out;
}

function main(argv) {
  const req = JSON.parse(fs.readFileSync(argv[2], 'utf8'));
  const out = req.cases.map((c) => rows(c.level, req.physics, c.inputs, c.lives));
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv);
