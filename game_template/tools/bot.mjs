// bot.mjs — finds an input trace that finishes a level, searching over the REAL sim.js step (enemies, boss).
// Usage: node game_template/tools/bot.mjs LEVEL_JSON_PATH [--physics PATH] [--max-macros N] -> JSON on stdout.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorld, step, cloneWorld } from '../js/sim.js';
import { encodeRuns } from './trace.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PHYSICS = path.join(HERE, '..', 'physics.json');
// [run-up frames, jump frames held (0 = walk only), air steering from, until]; mirrors core/levels/reach.py
const JUMPS = [[16, 40, 0, 99], [0, 40, 0, 99], [16, 12, 0, 99], [0, 12, 0, 99], [0, 40, 0, 12],
  [16, 40, 0, 20], [0, 4, 0, 99], [0, 4, 0, 6], [8, 0, 0, 0], [28, 0, 0, 0], [0, 40, 16, 99],
  [40, 40, 0, 99], [6, 40, 0, 99], [24, 40, 0, 99]];
const WAITS = [20, 45];
const AIR_LIMIT = 150, SETTLE_LIMIT = 90;

function macrosFor(dir) {
  const out = [];
  for (const d of [dir, -dir]) for (const [runup, hold, from, until] of JUMPS) out.push({ d, runup, hold, from, until });
  for (const wait of WAITS) out.push({ d: 0, runup: wait, hold: 0, from: 0, until: 0 });
  return out;
}

function* macroInputs(m) {
  const left = m.d < 0, right = m.d > 0;
  for (let i = 0; i < m.runup; i++) yield { left, right, jump: false };
  if (!m.hold) return;
  for (let i = 0; ; i++) {
    const steer = m.from <= i && i < m.until;
    yield { left: left && steer, right: right && steer, jump: i < m.hold };
  }
}

// Bark whenever it would hit something: a simple policy on top of the searched movement.
function withBark(world, input) {
  const p = world.player, sp = world.physics.special;
  if (p.specialCooldown > 0 || p.specialHeld) return { ...input, special: false };
  const cx = p.x + p.w / 2, cy = p.y + p.h / 2;
  const near = (o) => (o.x + o.w / 2 - cx) ** 2 + (o.y + o.h / 2 - cy) ** 2 <= (sp.radius - 4) ** 2;
  const targets = world.enemies.filter((e) => e.alive);
  if (world.boss && world.boss.alive && world.boss.invuln === 0) targets.push(world.boss);
  return { ...input, special: targets.some(near) };
}

function play(world, input, trace) {
  const full = withBark(world, input);
  trace.push(full);
  const events = step(world, full);
  return !events.some((e) => e.type === 'hurt' || e.type === 'death');
}

function finished(world) {
  return world.status === 'level_complete' || world.status === 'won';
}

// Run one macro, then let the player settle; null when hurt or stuck in the air.
export function runMacro(world, m) {
  const trace = [];
  let airborne = 0, tookOff = false, i = 0;
  for (const input of macroInputs(m)) {
    if (!play(world, input, trace)) return null;
    if (world.status !== 'playing') return finished(world) ? trace : null;
    airborne = world.player.onGround ? 0 : airborne + 1;
    tookOff = tookOff || (i >= m.runup && airborne > 0);
    if (airborne > AIR_LIMIT) return null;
    if (airborne === 0 && !input.jump && (tookOff || i >= m.runup + m.hold)) break;
    i++;
  }
  for (let s = 0; s < SETTLE_LIMIT; s++) {
    const p = world.player;
    if (p.onGround && p.vx === 0) return trace;
    if (!play(world, { left: false, right: false, jump: false }, trace)) return null;
    if (world.status !== 'playing') return finished(world) ? trace : null;
  }
  return null;
}

function heuristic(world) {
  const p = world.player, t = world.tileSize;
  const px = (p.x + p.w / 2) / t, py = (p.y + p.h) / t;
  const b = world.boss;
  if (world.isBoss && b && !b.alive) return 0; // beaten: the defeat beat runs, then 'won'
  if (world.isBoss && b && b.alive && px >= world.goal.x - 1) {
    return b.hp * 30 + Math.abs((b.x + b.w / 2) / t - px) * 0.5;
  }
  return Math.abs(world.goal.x + 0.5 - px) + Math.abs(world.goal.y + 1 - py) * 0.5 + (world.isBoss ? 200 : 0);
}

function keyOf(world) {
  const p = world.player, t = world.tileSize;
  const alive = world.enemies.filter((e) => e.alive).length;
  return [Math.floor((p.x + p.w / 2) / t), Math.floor((p.y + p.h - 1) / t), world.boss ? world.boss.hp : 0,
    alive, Math.floor(world.frame / 60)].join(',');
}

class Heap {
  constructor() { this.a = []; }
  push(item) {
    const a = this.a; a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const j = (i - 1) >> 1;
      if (a[j][0] <= a[i][0]) break;
      [a[i], a[j]] = [a[j], a[i]]; i = j;
    }
  }
  pop() {
    const a = this.a, top = a[0], last = a.pop();
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1; let m = i;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]]; i = m;
      }
    }
    return top;
  }
  get size() { return this.a.length; }
}

/** Lazy best-first search over macros: each pop tries one macro of a node, then re-queues the node. */
export function solve(level, physics, { maxMacros = 40000 } = {}) {
  const start = createWorld(level, physics, 0);
  const nodes = [{ world: start, parent: -1, trace: [] }];
  const seen = new Set([keyOf(start)]);
  const heap = new Heap();
  let serial = 0;
  const push = (n, mi) => heap.push([heuristic(nodes[n].world) + mi * 0.4, serial++, n, mi]);
  push(0, 0);
  for (let tries = 0; heap.size && tries < maxMacros; tries++) {
    const [, , n, mi] = heap.pop();
    const base = nodes[n].world;
    const macros = macrosFor(base.goal.x * base.tileSize >= base.player.x ? 1 : -1);
    if (mi + 1 < macros.length) push(n, mi + 1);
    const world = cloneWorld(base);
    const trace = runMacro(world, macros[mi]);
    if (!trace) continue;
    nodes.push({ world, parent: n, trace });
    if (finished(world)) return result(nodes, nodes.length - 1, world, tries + 1);
    const key = keyOf(world);
    if (seen.has(key)) { nodes.pop(); continue; }
    seen.add(key);
    push(nodes.length - 1, 0);
  }
  return null;
}

function result(nodes, n, world, tries) {
  const parts = [];
  for (let i = n; i >= 0; i = nodes[i].parent) parts.push(nodes[i].trace);
  const inputs = parts.reverse().flat();
  return { frames: inputs.length, inputs: encodeRuns(inputs), status: world.status, score: world.score, macros: tries };
}

function main(argv) {
  const args = argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : fallback;
  };
  const physicsPath = option('--physics', DEFAULT_PHYSICS);
  const maxMacros = Number(option('--max-macros', 40000));
  if (args.length !== 1 || !(maxMacros > 0)) {
    process.stderr.write('usage: node bot.mjs LEVEL_JSON_PATH [--physics PATH] [--max-macros N]\n');
    return 2;
  }
  const level = JSON.parse(fs.readFileSync(args[0], 'utf8'));
  const physics = JSON.parse(fs.readFileSync(physicsPath, 'utf8'));
  const found = solve(level, physics, { maxMacros });
  if (!found) {
    process.stderr.write('bot: no input trace found that finishes this level\n');
    return 1;
  }
  process.stdout.write(JSON.stringify(found) + '\n');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv);
}
