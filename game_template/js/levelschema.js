// levelschema.js — checks a level JSON v1 object (the same rules as core/levels/schema.py).
// validateLevel(level) returns a list of friendly problems; an empty list means the level is valid.

const TILE_CHARS = new Set(['.', '#', '=', '^', '*']); // '*': a springy bush (solid; park)
const ENTITY_TYPES = new Set(['walker', 'flyer', 'jumper', 'boss', 'treat', 'checkpoint']);
const REQUIRED = ['version', 'index', 'theme', 'width', 'height', 'tiles', 'start', 'goal', 'entities', 'boss'];

function spotErrors(level, name, spot) {
  if (!spot || !Number.isInteger(spot.x) || !Number.isInteger(spot.y)) return [`${name} needs integer x and y`];
  if (spot.x < 0 || spot.x >= level.width || spot.y < 0 || spot.y >= level.height) {
    return [`${name} (${spot.x}, ${spot.y}) is outside the map`];
  }
  return [];
}

function tileErrors(level) {
  const { tiles } = level;
  if (tiles.length !== level.height) return [`tiles has ${tiles.length} rows, height says ${level.height}`];
  const errors = [];
  tiles.forEach((row, y) => {
    if (row.length !== level.width) errors.push(`row ${y} is not ${level.width} chars`);
    const bad = [...row].filter((ch) => !TILE_CHARS.has(ch));
    if (bad.length) errors.push(`row ${y} has unknown tile chars ${[...new Set(bad)].join('')}`);
  });
  return errors;
}

export function validateLevel(level) {
  const missing = REQUIRED.filter((f) => !(f in level));
  if (missing.length) return [`missing fields: ${missing.join(', ')}`];
  if (level.version !== 1) return [`version ${level.version} is not supported (expected 1)`];
  const errors = [...tileErrors(level), ...spotErrors(level, 'start', level.start), ...spotErrors(level, 'goal', level.goal)];
  level.entities.forEach((e, i) => {
    if (!ENTITY_TYPES.has(e.type)) errors.push(`entity ${i} has unknown type ${e.type}`);
    errors.push(...spotErrors(level, `entity ${i}`, e));
  });
  const bosses = level.entities.filter((e) => e.type === 'boss').length;
  if (bosses !== (level.boss ? 1 : 0)) errors.push(`boss is ${level.boss} but the level has ${bosses} boss entities`);
  return errors;
}
