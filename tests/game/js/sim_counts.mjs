// sim_counts.mjs: replays a bot trace in sim.js and prints what the recap must say, counted from the
// sim alone. Usage: node sim_counts.mjs REQUEST_JSON ({level, physics, runs}) -> JSON on stdout.

import fs from 'node:fs';
import { replay } from '../../../game_template/tools/trace.mjs';

const { level, physics, runs } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { world, events } = replay(level, physics, runs);
const secret = new Set(level.entities.filter((e) => e.secret).map((e) => `${e.x},${e.y}`));
const treats = world.items.filter((it) => it.type === 'treat' && !secret.has(`${it.tx},${it.ty}`));
const caches = world.items.filter((it) => it.type === 'treat' && secret.has(`${it.tx},${it.ty}`));
process.stdout.write(JSON.stringify({
  status: world.status, frames: world.frame, score: world.score,
  treats: [treats.filter((t) => t.taken).length, treats.length],
  secrets: [caches.some((t) => t.taken) ? 1 : 0, caches.length ? 1 : 0],
  hits: events.flat().filter((e) => e.type === 'hurt').length,
}));
