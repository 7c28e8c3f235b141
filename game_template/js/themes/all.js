// Every theme the game knows, one module each. Packaging puts a module of its own in this one's place
// that imports only the themes a game's levels use (core/packaging/bundle.py), so a packaged game
// carries one theme's colours, enemy skins and scenery, not all five.

import * as park from './park.js';
import * as beach from './beach.js';
import * as snow from './snow.js';
import * as city from './city.js';
import * as space from './space.js';

export const WORLDS = { park, beach, snow, city, space };
