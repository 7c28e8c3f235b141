// A boss design: its name and its drawer, for a pose, in foes.js's palette letters (bossPose, foePalette).
// this one's place that imports only the designs a game's levels fight (core/packaging/bundle.py).

import * as vacuum from './vacuum.js';
import * as crab from './crab.js';
import * as yeti from './yeti.js';

export const BOSSES = { vacuum, crab, yeti };
