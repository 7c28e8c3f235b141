// The PICO-8 style's sixteen colours: the world remapped onto them by ink.js. Must match core/pixelart/palettes.py
// FIXED for the style (tests/game/test_look.py checks). One module a style: see styles/all.js.

import { Ink, hexes } from './ink.js';
import { apart } from './apart.js';

export const palette = hexes('000000 1d2b53 7e2553 008751 ab5236 5f574f c2c3c7 fff1e8 ff004d ffa300 ffec27 00e436 29adff 83769c ff77a8 ffccaa');
export const ink = () => new Ink(palette, apart);
