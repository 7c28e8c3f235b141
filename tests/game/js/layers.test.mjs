// Palette styles keep the world's layers apart: each parallax layer, and the ground's fill, lands on a
// colour other than the ones it is drawn over (PICO-8 and 8-bit collapsed whole skylines into the sky).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { THEMES } from '../../../game_template/js/themes.js';
import * as nes from '../../../game_template/js/styles/8bit.js';
import * as pico8 from '../../../game_template/js/styles/pico8.js';

// Each layer and the ones it is drawn over (the sky gradient's two ends, then the layers behind it).
const BEHIND = { far: ['sky'], mid: ['sky', 'far'], near: ['mid'], fill: ['sky', 'near'] };
const flat = (v) => [v].flat().map((c) => c.toLowerCase());

test('8-bit and PICO-8: sky, far, mid and near layers and the ground fill each keep their own colour', () => {
  const merged = [];
  for (const [style, mod] of [['8bit', nes], ['pico8', pico8]]) {
    for (const [name, t] of Object.entries(THEMES)) {
      const out = mod.ink().styledTheme(t); // with the style's own step (apart.js)
      for (const [key, behind] of Object.entries(BEHIND)) {
        for (const back of behind) {
          const drawnApart = flat(t[back]).every((c) => !flat(t[key]).includes(c));
          const clash = flat(out[back]).filter((c) => flat(out[key]).includes(c));
          if (drawnApart && clash.length) merged.push(`${style} ${name}: ${key} on ${back} (${clash})`);
        }
      }
      for (const key of Object.keys(BEHIND)) assert.ok(mod.palette.includes(out[key]), `${style} ${name} ${key}`);
    }
  }
  assert.deepEqual(merged, []);
});
