// Node tests for the game's sound split (game_template/js/audio.js, synth.js): audio.js counts the
// effects the synth plays, so window.PETPIXEL.sounds reads the same with or without synth.js.
// Run by tests/game/test_js.py with `node --test`; no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EFFECTS } from '../../../game_template/js/audio.js';
import { SOUNDS } from '../../../game_template/js/synth.js';

test('audio.js counts exactly the effects synth.js plays', () => {
  assert.deepEqual([...EFFECTS].sort(), [...Object.keys(SOUNDS), 'meow'].sort());
});
