// Node tests for the page's side of verified runs: the launch token, what the end screens say about
// a submission, and the share text (game_template/js/runs.js, recap.js, share.js).
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunRecorder, launchToken } from '../../../game_template/js/runs.js';
import { standing } from '../../../game_template/js/recap.js';
import { shareText } from '../../../game_template/js/share.js';

const page = (hash = '', search = '') => ({ pathname: '/g/Ab3x', hash, search, href: `https://x.test/g/Ab3x${search}${hash}` });

test('the launch token comes from the fragment (or the query) and leaves the address bar', () => {
  assert.equal(launchToken(page('#t=abc.def')), 'abc.def');
  assert.equal(launchToken(page('', '?t=q.r')), 'q.r');
  assert.equal(launchToken(page('#other=1')), null);
  const replaced = [], kept = new Map();
  const session = { setItem: (k, v) => kept.set(k, v), getItem: (k) => kept.get(k) ?? null };
  const history = { state: null, replaceState: (_s, _t, url) => replaced.push(url) };
  const runs = new RunRecorder({ location: page('#t=abc.def&x=1'), history, session, fetchFn: null });
  assert.equal(runs.token, 'abc.def');
  assert.deepEqual(replaced, ['https://x.test/g/Ab3x#x=1']);
  // A reload in the same tab (no token in the link any more) still plays for the chat.
  assert.equal(new RunRecorder({ location: page(), history, session, fetchFn: null }).token, 'abc.def');
});

test('refusals and network failures become short notes; a kept run its rank', async () => {
  globalThis.location = { protocol: 'https:' };
  const answer = (status, body) => async () => ({ ok: status < 300, status, json: async () => body });
  const send = (fetchFn) => new RunRecorder({ location: page(), fetchFn, session: null, history: null })
    .submit({ level: 0 });
  const rules = await send(answer(409, { error: { code: 'game_rules_changed' } }));
  assert.deepEqual([rules.ok, rules.code], [false, 'game_rules_changed']);
  assert.match(rules.note, /older rules/);
  assert.equal((await send(async () => { throw new TypeError('Failed to fetch'); })).note, 'Score not submitted: offline.');
  const kept = await send(answer(201, { rank: 2, new_best: true, best: { score: 50 }, community_rank: null }));
  assert.deepEqual(standing(kept, 0), { isNew: true, text: '#2 on level 1' });
  assert.deepEqual(standing({ ...kept, newBest: false }, 2), { isNew: false, text: '#2 on level 3 · your best 50' });
  assert.deepEqual(standing(rules, 0), { note: rules.note });
  globalThis.location = { protocol: 'file:' };
  assert.equal(standing(await send(answer(201, {})), 0), null); // no server here: nothing to say
  delete globalThis.location;
});

test('the share text carries the best score', () => {
  assert.equal(shareText({ name: 'Rex', score: 120, best: 300, isNew: false }), 'Rex scored 120 in PetPixel (best 300)! Can you beat it?');
  assert.equal(shareText({ name: 'Rex', score: 300, best: 300, isNew: true }), 'Rex scored 300 in PetPixel, a new best! Can you beat it?');
});
