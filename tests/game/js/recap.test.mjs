// Node tests for the level/game recap counters and the saved best score (game_template/js/recap.js).
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BestScore, Tally, bestKey, combine, formatTime, recapRows } from '../../../game_template/js/recap.js';

const level = {
  entities: [
    { type: 'treat', x: 5, y: 9 }, { type: 'walker', x: 8, y: 11 }, { type: 'treat', x: 9, y: 9 },
    { type: 'treat', x: 20, y: 4, secret: 1 }, { type: 'treat', x: 21, y: 4, secret: 1 },
  ],
};
const item = (tx, ty, taken) => ({ type: 'treat', tx, ty, taken });

test('counts treats apart from secret caches, hits and lives lost from events', () => {
  const tally = new Tally(level, 100);
  for (const type of ['hurt', 'collect', 'hurt', 'death', 'stomp', 'jump']) tally.event({ type });
  const world = {
    frame: 754, score: 260,
    items: [item(5, 9, true), item(9, 9, false), item(20, 4, false), item(21, 4, true),
      { type: 'checkpoint', tx: 30, ty: 11, taken: true }],
  };
  assert.deepEqual(tally.summary(world), {
    frames: 754, treats: { got: 1, of: 2 }, secrets: { got: 1, of: 1 }, hits: 2, lost: 1, stomps: 1, score: 160, total: 260,
  });
  world.items[3].taken = false;
  assert.deepEqual(tally.summary(world).secrets, { got: 0, of: 1 });
});

test('a game recap adds the levels up and keeps the final total', () => {
  const a = new Tally(level).summary({ frame: 60, score: 50, items: [item(5, 9, true)] });
  const b = new Tally(level, 50).summary({ frame: 90, score: 80, items: [item(5, 9, false), item(20, 4, true)] });
  const all = combine([a, b]);
  assert.equal(all.frames, 150);
  assert.deepEqual(all.treats, { got: 1, of: 2 });
  assert.deepEqual(all.secrets, { got: 1, of: 1 });
  assert.equal(all.score, 80);
  assert.equal(all.total, 80);
  assert.deepEqual(recapRows(all).map(([k]) => k), ['Time', 'Treats', 'Secrets', 'Hits taken', 'Score']);
  assert.deepEqual(recapRows(a).map(([k]) => k), ['Time', 'Treats', 'Hits taken', 'Score']);
});

test('time reads m:ss.t, rounded down to the tenth', () => {
  assert.equal(formatTime(0), '0:00.0');
  assert.equal(formatTime(59), '0:00.9');
  assert.equal(formatTime(60 * 75 + 30), '1:15.5');
  assert.equal(formatTime(60 * 600), '10:00.0');
});

function memory() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), data };
}

test('the best score is kept per game and only a higher score is a new best', () => {
  const store = memory();
  const key = bestKey({ pet_name: 'Rex', seed: 7, levels: [{ width: 9 }] });
  assert.match(key, /^petpixel:best:[0-9a-f]{8}$/);
  assert.notEqual(key, bestKey({ pet_name: 'Rex', seed: 8, levels: [{ width: 9 }] }));
  const best = new BestScore(store, key);
  assert.equal(best.read(), null);
  assert.deepEqual(best.submit(300), { best: 300, previous: null, isNew: true });
  assert.deepEqual(best.submit(300), { best: 300, previous: 300, isNew: false });
  assert.deepEqual(best.submit(120), { best: 300, previous: 300, isNew: false });
  assert.deepEqual(best.submit(301), { best: 301, previous: 300, isNew: true });
  assert.equal(store.data.get(key), '301');
  store.setItem(key, 'junk');
  assert.equal(best.read(), null);
});

test('storage that throws means no best yet, never an error', () => {
  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  const best = new BestScore(broken, 'k');
  assert.deepEqual(best.submit(10), { best: 10, previous: null, isNew: true });
  assert.deepEqual(new BestScore(undefined, 'k').submit(5).isNew, true);
});
