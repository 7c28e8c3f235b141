// Node tests for the input layer: latching short presses, key mapping, menu-press clearing.
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Input } from '../../../game_template/js/input.js';

const ev = (code, repeat = false) => ({ code, repeat, preventDefault() {} });

test('a press released before the next frame still counts for that frame', () => {
  const input = new Input();
  input.key(ev('Space'), true);
  input.key(ev('Space'), false);
  assert.equal(input.read().jump, true);
  assert.equal(input.read().jump, false);
});

test('held keys stay down every frame; arrows, WASD, Z and X map to actions', () => {
  const input = new Input();
  for (const code of ['KeyD', 'KeyZ', 'KeyX']) input.key(ev(code), true);
  for (let i = 0; i < 3; i++) assert.deepEqual(input.read(), { left: false, right: true, jump: true, special: true });
  input.key(ev('KeyD'), false);
  input.key(ev('ArrowLeft'), true);
  assert.equal(input.read().left, true);
});

test('pause keys pause and never reach the simulation', () => {
  const input = new Input();
  let pauses = 0;
  input.on('pause', () => { pauses += 1; });
  input.key(ev('KeyP'), true);
  input.key(ev('Escape'), true);
  input.key(ev('Escape', true), true);
  assert.equal(pauses, 2);
  assert.deepEqual(input.read(), { left: false, right: false, jump: false, special: false });
});

test('presses made on a menu are forgotten when play starts', () => {
  const input = new Input();
  input.key(ev('Space'), true);
  input.key(ev('Space'), false);
  input.clearLatches();
  assert.equal(input.read().jump, false);
});

test('a pulse (a touch button activated by click or keyboard) holds its action for that many frames', () => {
  const input = new Input();
  input.pulse('right', 3);
  const got = [0, 1, 2, 3].map(() => input.read().right);
  assert.deepEqual(got, [true, true, true, false]);
  input.pulse('jump', 5);
  input.releaseAll();
  assert.equal(input.read().jump, true, 'the latched press still counts once');
  assert.equal(input.read().jump, false, 'releasing everything ends the pulse');
});
