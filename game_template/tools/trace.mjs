// trace.mjs — input traces: run-length encoding ([[count, "LRJS"], ...]) and frame-by-frame replays.
// CLI: node trace.mjs REQUEST_JSON_PATH -> per-frame player states (used by the Python twin's bit-for-bit test).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorld, step } from '../js/sim.js';

const KEYS = [['left', 'L'], ['right', 'R'], ['jump', 'J'], ['special', 'S']];

export function encodeRuns(inputs) {
  const runs = [];
  for (const input of inputs) {
    const code = KEYS.filter(([k]) => input[k]).map(([, c]) => c).join('');
    if (runs.length && runs[runs.length - 1][1] === code) runs[runs.length - 1][0] += 1;
    else runs.push([1, code]);
  }
  return runs;
}

export function* decodeRuns(runs) {
  for (const [count, code] of runs) {
    const input = Object.fromEntries(KEYS.map(([k, c]) => [k, code.includes(c)]));
    for (let i = 0; i < count; i++) yield input;
  }
}

/** Replay runs from a fresh world; returns the world and every frame's events. */
export function replay(level, physics, runs, seed = 0) {
  const world = createWorld(level, physics, seed);
  const events = [];
  for (const input of decodeRuns(runs)) events.push(step(world, input));
  return { world, events };
}

// One row per frame with the integer state the Python twin mirrors.
export function playerRows(level, physics, runs) {
  const world = createWorld(level, physics, 0);
  const rows = [];
  for (const input of decodeRuns(runs)) {
    const ev = step(world, input).map((e) => e.type).filter((t) => t !== 'collect' && t !== 'special');
    const p = world.player;
    rows.push([p.sx, p.sy, p.svx, p.svy, p.onGround, p.coyote, p.jumpBuffer, p.hp, p.invuln, world.lives,
      world.status, ev.join('|')]);
  }
  return rows;
}

function main(argv) {
  const req = JSON.parse(fs.readFileSync(argv[2], 'utf8'));
  const out = req.cases.map((c) => playerRows(c.level, req.physics, c.inputs));
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv);
