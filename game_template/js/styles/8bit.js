// The 8-bit style's NES colours: the world remapped onto them by ink.js. Must match core/pixelart/palettes.py
// FIXED for the style (tests/game/test_look.py checks). One module a style: see styles/all.js.

import { Ink, hexes } from './ink.js';
import { apart } from './apart.js';

const NES = ('7c7c7c 0000fc 0000bc 4428bc 940084 a80020 a81000 881400 503000 007800 006800 005800 004058 000000 '
  + 'bcbcbc 0078f8 0058f8 6844fc d800cc e40058 f83800 e45c10 ac7c00 00b800 00a800 00a844 008888 '
  + 'f8f8f8 3cbcfc 6888fc 9878f8 f878f8 f85898 f87858 fca044 f8b800 b8f818 58d854 58f898 00e8d8 787878 '
  + 'fcfcfc a4e4fc b8b8f8 d8b8f8 f8b8f8 f8a4c0 f0d0b0 fce0a8 f8d878 d8f878 b8f8b8 b8f8d8 00fcfc f8d8f8');
export const palette = hexes(NES);
export const ink = () => new Ink(palette, apart);
