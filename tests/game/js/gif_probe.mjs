// gif_probe.mjs: writes GIFs from game_template/js/gif.js for tests/game/test_gif.py to decode
// with Pillow. Usage: node gif_probe.mjs OUT_DIR -> cases.json (expected pixels) and one .gif per case.

import fs from 'node:fs';
import path from 'node:path';
import { encodeGif, palettize } from '../../../game_template/js/gif.js';

// A seeded LCG: the same noise every run.
function noise(seed) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

function frames(w, h, n, colours, kind, seed) {
  const rand = noise(seed);
  return Array.from({ length: n }, (_, f) => Array.from({ length: w * h }, (_, i) => {
    if (kind === 'noise') return Math.floor(rand() * colours);
    const x = i % w, y = Math.floor(i / w);
    return (Math.floor((x + f * 3) / 4) + Math.floor(y / 5)) % colours; // stripes with long runs
  }));
}

const out = process.argv[2];
const cases = [
  { name: 'two', w: 5, h: 3, n: 2, colours: 2, kind: 'stripes' },
  { name: 'stripes16', w: 64, h: 40, n: 3, colours: 16, kind: 'stripes' },
  { name: 'noise256', w: 160, h: 120, n: 2, colours: 256, kind: 'noise' }, // fills the 4096-code table
  { name: 'noise5', w: 97, h: 61, n: 2, colours: 5, kind: 'noise' },
];
const expected = {};
for (const c of cases) {
  const palette = Array.from({ length: c.colours }, (_, i) => [(i * 37) % 256, (i * 91) % 256, (i * 13) % 256]);
  const fr = frames(c.w, c.h, c.n, c.colours, c.kind, c.w * 31 + c.colours);
  fs.writeFileSync(path.join(out, `${c.name}.gif`), encodeGif({ width: c.w, height: c.h, palette, frames: fr, delayCs: 7, comment: `case ${c.name}` }));
  expected[c.name] = { w: c.w, h: c.h, rgb: fr.map((f) => f.map((i) => palette[i])) };
}
// palettize: over 256 colours snaps to the cube but keeps the reserved colour exact.
const many = new Uint8ClampedArray(40 * 40 * 4);
for (let p = 0; p < 1600; p++) many.set([p % 256, (p >> 8) * 40, 99, 255], p * 4); // 1,600 colours
many.set([255, 205, 117, 255], 0);
const { palette, frames: idx } = palettize([many], [[255, 205, 117]]);
expected.palettize = { size: palette.length, first: palette[idx[0][0]] };
fs.writeFileSync(path.join(out, 'cases.json'), JSON.stringify(expected));
