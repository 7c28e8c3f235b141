// sim.test.mjs — game rules of sim.js on small hand-made levels (node --test game_template/tests/).
// Each test builds a level around one rule, plays inputs, and checks the world and the events.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createWorld, step, cloneWorld } from '../js/sim.js';
import { validateLevel } from '../js/levelschema.js';

const physics = JSON.parse(fs.readFileSync(new URL('../physics.json', import.meta.url)));
const NONE = { left: false, right: false, jump: false, special: false };

// A 30x8 level: ground on the last row, player at tile 2; `rows` overrides rows above the ground.
function level({ rows = {}, entities = [], goal = { x: 28, y: 6 }, boss = false, width = 30 } = {}) {
  const tiles = [];
  for (let y = 0; y < 8; y++) tiles.push(rows[y] ?? (y === 7 ? '#'.repeat(width) : '.'.repeat(width)));
  return { version: 1, index: 0, theme: 'park', width, height: 8, tiles, start: { x: 2, y: 6 }, goal, entities, boss };
}

function run(world, input, frames) {
  const events = [];
  for (let i = 0; i < frames; i++) events.push(...step(world, { ...NONE, ...input }));
  return events.map((e) => e.type);
}

test('the player lands, walks right and reaches the goal', () => {
  const w = createWorld(level(), physics, 1);
  const events = run(w, { right: true }, 400);
  assert.equal(w.status, 'level_complete');
  assert.ok(events.includes('land') && events.includes('goal'));
  assert.equal(w.score, physics.score.goal);
  assert.deepEqual(run(w, { right: true }, 5), [], 'a finished level does not step');
});

test('a jump rises about the configured height, and a short tap rises less', () => {
  const apex = (holdFrames) => {
    const w = createWorld(level(), physics, 0);
    run(w, {}, 2);
    const y0 = w.player.y;
    let top = y0;
    for (let i = 0; i < 60; i++) { step(w, { ...NONE, jump: i < holdFrames }); top = Math.min(top, w.player.y); }
    return y0 - top;
  };
  const full = apex(60), tap = apex(3);
  assert.ok(full > physics.jump_height_tiles * physics.tile * 0.9 && full < physics.jump_height_tiles * physics.tile * 1.05, `${full}`);
  assert.ok(tap < full * 0.6, `variable jump: tap ${tap} vs full ${full}`);
});

test('coyote time allows a jump a few frames after leaving a ledge, not later', () => {
  const tryJump = (late) => {
    const w = createWorld(level({ rows: { 7: '#####' + '.'.repeat(25) } }), physics, 0);
    run(w, {}, 2);
    while (w.player.onGround) step(w, { ...NONE, right: true });
    run(w, { right: true }, late);
    return run(w, { right: true, jump: true }, 1).includes('jump');
  };
  assert.equal(tryJump(2), true);
  assert.equal(tryJump(physics.coyote_frames + 2), false);
});

test('a jump pressed a few frames before landing is buffered; pressed too early it is not', () => {
  const dropped = () => { const w = createWorld(level(), physics, 0); w.player.sy -= 40 * 256; return w; };
  const probe = dropped();
  let fall = 0;
  while (!run(probe, {}, 1).includes('land')) fall++;
  const pressAt = (early) => {
    const w = dropped();
    run(w, {}, fall - early);
    return run(w, { jump: true }, early + 2).includes('jump');
  };
  assert.equal(pressAt(3), true);
  assert.equal(pressAt(physics.jump_buffer_frames + 4), false);
});

test('one-way platforms carry from above and let the player jump up through', () => {
  const w = createWorld(level({ rows: { 4: '.'.repeat(30).replace(/^(.{1})(.{4})/, '$1====') } }), physics, 0);
  run(w, {}, 2);
  run(w, { jump: true }, 45);
  run(w, {}, 30);
  assert.equal(w.player.onGround, true);
  assert.equal(w.player.y + w.player.h, 4 * physics.tile, 'standing on the one-way platform');
});

test('spikes hurt with knockback and invulnerability; hits cost hp then a life', () => {
  const w = createWorld(level({ rows: { 6: '.....^^^^^^^^^^^^^^^^^^^^^^^^^' } }), physics, 0);
  const events = run(w, { right: true }, 30);
  assert.ok(events.includes('hurt'));
  assert.equal(w.player.hp, physics.hp - 1);
  assert.ok(w.player.invuln > 0);
  run(w, { right: true }, 600);
  assert.ok(w.lives < physics.lives, 'running through spikes costs a life');
});

test('falling into a pit costs a life and respawns at the last checkpoint; no lives left is game over', () => {
  const rows = { 7: '########..' + '#'.repeat(20) };
  const w = createWorld(level({ rows, entities: [{ type: 'checkpoint', x: 5, y: 6 }] }), physics, 0);
  const events = [];
  for (let i = 0; i < 120 && !events.includes('death'); i++) events.push(...run(w, { right: true }, 1));
  assert.ok(events.includes('checkpoint') && events.includes('death'));
  assert.equal(w.lives, physics.lives - 1);
  assert.deepEqual(w.checkpoint, { x: 5, y: 6 });
  assert.ok(Math.abs(w.player.x - 5 * physics.tile) < physics.tile, 'respawned at the checkpoint');
  run(w, { right: true }, 400);
  assert.equal(w.status, 'dead');
});

test('treats add score once', () => {
  const w = createWorld(level({ entities: [{ type: 'treat', x: 6, y: 6 }, { type: 'treat', x: 6, y: 2 }] }), physics, 0);
  const events = run(w, { right: true }, 60);
  assert.equal(events.filter((e) => e === 'collect').length, 1);
  assert.equal(w.score, physics.score.treat);
  assert.equal(w.items[0].taken, true);
  assert.equal(w.items[1].taken, false);
});

test('stomping a walker defeats it and bounces; walking into it hurts', () => {
  const stomp = createWorld(level({ entities: [{ type: 'walker', x: 4, y: 6, range: [4, 4] }] }), physics, 0);
  stomp.player.sx = 4 * 16 * 256; stomp.player.sy = 2 * 16 * 256;
  const ev = run(stomp, {}, 40);
  assert.ok(ev.includes('stomp'));
  assert.equal(stomp.enemies[0].alive, false);
  assert.equal(stomp.player.hp, physics.hp);
  const bump = createWorld(level({ entities: [{ type: 'walker', x: 6, y: 6, range: [6, 6] }] }), physics, 0);
  assert.ok(run(bump, { right: true }, 40).includes('hurt'));
  assert.equal(bump.enemies[0].alive, true);
});

test('enemies move as a pure function of the frame number', () => {
  const ents = [{ type: 'walker', x: 8, y: 6, range: [6, 12] }, { type: 'flyer', x: 10, y: 2, dx: 3, dy: 1 },
    { type: 'jumper', x: 20, y: 6, phase: 10 }];
  const a = createWorld(level({ entities: ents }), physics, 0);
  const b = createWorld(level({ entities: ents }), physics, 0);
  run(a, { right: true, jump: true }, 150);
  run(b, { left: true }, 150);
  const pos = (w) => w.enemies.map((e) => [e.x, e.y]);
  assert.deepEqual(pos(a), pos(b));
  const before = pos(a);
  run(a, {}, 30);
  assert.notDeepEqual(pos(a), before, 'they do move');
  const ys = new Set();
  for (let i = 0; i < 100; i++) { step(b, NONE); ys.add(b.enemies[2].y); }
  assert.ok(ys.size > 5, 'the jumper hops');
});

test('the special stuns nearby enemies (harmless, frozen, stompable) and has a cooldown; it never defeats', () => {
  const ents = [{ type: 'walker', x: 4, y: 6, range: [3, 9] }, { type: 'walker', x: 20, y: 6, range: [20, 20] }];
  const w = createWorld(level({ entities: ents }), physics, 0);
  const ev = run(w, { special: true }, 1);
  assert.deepEqual(ev.filter((e) => e !== 'land'), ['special', 'stun']);
  assert.equal(w.enemies[0].alive, true, 'stunned, not defeated');
  assert.equal(w.enemies[0].stun, physics.special.stun_frames);
  assert.equal(w.enemies[1].stun, 0, 'far enemies are untouched');
  assert.equal(w.player.state, 'special');
  const x = w.enemies[0].x;
  assert.ok(!run(w, {}, 60).includes('hurt'), 'a stunned enemy is harmless to touch');
  assert.equal(w.enemies[0].x, x, 'and frozen in place');
  assert.ok(!run(w, { special: true }, 1).includes('special'), 'cooling down');
  run(w, {}, physics.special.cooldown_frames);
  assert.ok(run(w, { special: true }, 1).includes('special'));
  run(w, {}, physics.special.stun_frames + 10);
  assert.equal(w.enemies[0].stun, 0);
  assert.notEqual(w.enemies[0].x, x, 'it wakes and walks again');
  assert.equal(w.score, 0, 'no points for a stun');
});

const bossLevel = (extra = {}) => level({
  entities: [{ type: 'boss', x: 4, y: 6, hp: 2, arena: [3, 12], ...extra }], boss: true, goal: { x: 1, y: 6 },
});

test('the special dazes the boss but costs it no hp; only stomps do, and its defeat wins the game', () => {
  const w = createWorld(bossLevel(), physics, 0);
  assert.equal(w.boss.maxHp, 2);
  const ev = run(w, { special: true }, 1);
  assert.ok(ev.includes('stun') && !ev.includes('boss_hit'));
  assert.equal(w.boss.hp, 2);
  run(w, {}, 2);
  assert.equal(w.boss.mode, 'stunned');
  run(w, {}, physics.special.boss_stun_frames);
  assert.notEqual(w.boss.mode, 'stunned', 'the daze is short');
  // Stomp it: drop onto the boss from above whenever it is not flashing.
  const seen = new Set();
  for (let i = 0; i < 4000 && w.status === 'playing'; i++) {
    const p = w.player, b = w.boss, cx = b.x + b.w / 2, px = p.x + p.w / 2;
    const input = { ...NONE, left: px > cx + 2, right: px < cx - 2, jump: b.invuln === 0 && p.onGround && Math.abs(px - cx) < 30,
      special: b.invuln === 0 && p.specialCooldown === 0 && i % 2 === 0 };
    for (const e of step(w, input)) seen.add(e.type);
  }
  assert.equal(w.status, 'won');
  assert.ok(seen.has('boss_hit') && seen.has('won'));
  assert.equal(w.boss.alive, false);
});

test('the boss telegraphs every attack: a wind-up naming it comes first', () => {
  const boss = { type: 'boss', x: 20, y: 6, hp: 3, arena: [10, 28] };
  const w = createWorld(level({ entities: [boss], boss: true, goal: { x: 1, y: 6 } }), physics, 0);
  const bp = physics.boss;
  const total = bp.walk_frames + 3 * (bp.windup_frames + bp.attack_frames);
  const modes = [], xs = new Set(), ys = new Set();
  let shots = 0, shotsOutside = 0;
  for (let i = 0; i < total; i++) {
    const before = w.projectiles.length;
    step(w, NONE);
    modes.push([w.boss.mode, w.boss.next]); xs.add(w.boss.x); ys.add(w.boss.y);
    if (w.projectiles.length > before && w.boss.mode !== 'shoot') shotsOutside += 1;
    shots = Math.max(shots, w.projectiles.length);
  }
  assert.deepEqual([...new Set(modes.map(([m]) => m))].sort(), ['charge', 'hop', 'shoot', 'walk', 'windup']);
  for (let i = 1; i < modes.length; i++) {
    const [mode] = modes[i], [prev, next] = modes[i - 1];
    if (['charge', 'hop', 'shoot'].includes(mode) && prev !== mode) {
      assert.deepEqual([prev, next], ['windup', mode], `frame ${i}: ${mode} without a telegraph`);
      const wind = modes.slice(i - bp.windup_frames, i);
      assert.ok(wind.every(([m, n]) => m === 'windup' && n === mode), `a ${bp.windup_frames}-frame wind-up before ${mode}`);
    }
  }
  assert.ok(xs.size > 10 && ys.size > 5 && shots >= 1);
  assert.equal(shotsOutside, 0);
});

test('mashing the special from the arena entrance never beats the boss', () => {
  // The generator's arena: 22 columns, two one-way ledges, the boss pacing the floor.
  const width = 30;
  const rows = { 4: '.'.repeat(10) + '===' + '.'.repeat(6) + '===' + '.'.repeat(8) };
  const boss = { type: 'boss', x: 25, y: 6, hp: 4, arena: [6, 29] };
  const lv = level({ rows, width, entities: [boss], boss: true, goal: { x: 4, y: 6 } });
  lv.start = { x: 4, y: 6 };
  const w = createWorld(lv, physics, 0);
  let stuns = 0;
  for (let i = 0; i < 20000 && w.status === 'playing'; i++) {
    stuns += step(w, { ...NONE, special: i % 2 === 0 }).filter((e) => e.type === 'stun').length;
  }
  assert.notEqual(w.status, 'won');
  assert.ok(w.boss.alive && w.boss.hp === 4, 'the special never costs the boss hp');
  assert.ok(stuns > 0 || w.status === 'dead', 'the boss came close enough to be dazed, or the player lost');
});

test('the world is plain data: a JSON round trip keeps stepping identically', () => {
  const ents = [{ type: 'walker', x: 8, y: 6, range: [6, 12] }, { type: 'treat', x: 10, y: 6 }];
  const a = createWorld(level({ entities: ents }), physics, 3);
  run(a, { right: true }, 20);
  const b = JSON.parse(JSON.stringify(a));
  const c = cloneWorld(a);
  for (const w of [a, b, c]) run(w, { right: true, jump: true }, 50);
  const strip = (w) => JSON.stringify({ ...w, physics: null });
  assert.equal(strip(a), strip(b));
  assert.equal(strip(a), strip(c));
  for (const key of ['status', 'score', 'lives', 'frame', 'checkpoint', 'player', 'enemies', 'items', 'projectiles']) {
    assert.ok(key in a, key);
  }
  for (const key of ['x', 'y', 'w', 'h', 'vx', 'vy', 'onGround', 'facing', 'state', 'invuln']) assert.ok(key in a.player, key);
});

test('the level schema accepts a good level and names what is wrong in a bad one', () => {
  assert.deepEqual(validateLevel(level()), []);
  const bad = level();
  bad.tiles[3] = 'xx';
  bad.entities.push({ type: 'dragon', x: 1, y: 1 });
  const errors = validateLevel(bad);
  assert.ok(errors.some((e) => e.includes('row 3')));
  assert.ok(errors.some((e) => e.includes('dragon')));
});
