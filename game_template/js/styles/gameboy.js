// The Game Boy (DMG) style's four shades: the world remapped onto them by ink.js. Must match core/pixelart/palettes.py
// FIXED for the style (tests/game/test_look.py checks). One module a style: see styles/all.js.

import { Ink, hexes } from './ink.js';

export const palette = hexes('0f380f 306230 8bac0f 9bbc0f');
export const ink = () => new Ink(palette);
