// Every fixed-palette style, one module each, by the style's name; the others (16-bit, modern) keep
// full colour. Packaging puts a module of its own in this one's place that imports only the game's
// style (none for a full-colour one, and with it none of ink.js), see core/packaging/bundle.py.

import * as gameboy from './gameboy.js';
import * as pico8 from './pico8.js';
import * as nes from './8bit.js';

export const STYLES = { gameboy, pico8, '8bit': nes };
