// themes.test.mjs — each theme's mechanic (sim.js), the boss designs (telegraphs, stomps, the defeat
// beat, the special never winning) and each theme's enemy skins (foes.js).

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createWorld, step, derive, bossPhase, bossSpec, mechanicOf } from '../js/sim.js';
import { SKINS, FOE_KEYS, BOSS_ART, bossPose, foePalette, frameRows } from '../js/foes.js';
import { THEMES } from '../js/themes.js';

const physics = JSON.parse(fs.readFileSync(new URL('../physics.json', import.meta.url)));
const NONE = { left: false, right: false, jump: false, special: false };
const THEME_NAMES = ['park', 'beach', 'snow', 'city', 'space'];
const DESIGNS = Object.keys(physics.boss.designs);

// A wide flat room (ground on the last row), the player at tile 2; `rows` overrides rows.
function level(theme, { rows = {}, entities = [], width = 120, height = 16, boss = false, start = { x: 2 } } = {}) {
  const tiles = [];
  for (let y = 0; y < height; y++) tiles.push(rows[y] ?? (y === height - 1 ? '#'.repeat(width) : '.'.repeat(width)));
  return { version: 1, index: 0, theme, width, height, tiles, start: { x: start.x, y: height - 2 },
    goal: boss ? { x: 1, y: height - 2 } : { x: width - 1, y: height - 2 }, entities, boss };
}

function settled(theme, opts) {
  const w = createWorld(level(theme, opts), physics, 0);
  for (let i = 0; i < 4; i++) step(w, NONE);
  assert.ok(w.player.onGround);
  return w;
}

const hold = (w, input, frames) => { const ev = []; for (let i = 0; i < frames; i++) ev.push(...step(w, { ...NONE, ...input })); return ev.map((e) => e.type); };

test('every theme names one mechanic, and each gives different physics', () => {
  assert.deepEqual(THEME_NAMES.map((t) => mechanicOf(physics, t)), ['springs', 'sand', 'ice', 'wind', 'low_gravity']);
  const ks = THEME_NAMES.map((t) => JSON.stringify(derive(physics, t)));
  assert.equal(new Set(ks).size, 5);
});

test('snow: icy ground, slow to get going and a long slide after letting go', () => {
  const slide = (theme) => {
    const w = settled(theme);
    let start = 0;
    for (let n = 1; n <= 60; n++) { step(w, { ...NONE, right: true }); if (!start && w.player.vx === physics.run_speed) start = n; }
    const x0 = w.player.x;
    hold(w, {}, 120);
    return { start, slide: w.player.x - x0 };
  };
  const park = slide('park'), snow = slide('snow');
  assert.ok(snow.start >= 3 * park.start, `top speed in ${snow.start} vs ${park.start} frames`);
  assert.ok(snow.slide >= 3 * park.slide, `slides ${snow.slide} px vs ${park.slide}`);
});

test('space: low gravity, a higher and longer jump', () => {
  const jump = (theme) => {
    const w = settled(theme);
    const y0 = w.player.y;
    let top = y0, air = 0;
    step(w, { ...NONE, jump: true });
    while (!w.player.onGround && air < 300) { step(w, { ...NONE, jump: true }); top = Math.min(top, w.player.y); air++; }
    return { height: (y0 - top) / physics.tile, air };
  };
  const park = jump('park'), space = jump('space');
  assert.ok(space.height > park.height + 0.5 && space.height < 5.2, `${space.height} tiles vs ${park.height}`);
  assert.ok(space.air > park.air * 1.4, `${space.air} frames in the air vs ${park.air}`);
});

test('beach: running on sand is slower than hopping', () => {
  const far = (theme, hops) => {
    const w = settled(theme);
    // Hopping: jump held in the air, let go for a frame on landing to press it again.
    for (let i = 0; i < 240; i++) step(w, { ...NONE, right: true, jump: hops && !w.player.onGround ? true : hops && !w.player.jumpHeld });
    return w.player.x;
  };
  const walk = far('beach', false), hop = far('beach', true);
  const w = settled('beach');
  hold(w, { right: true }, 30);
  assert.equal(w.player.vx, physics.themes.beach.ground_run_speed, 'top speed on sand');
  assert.ok(hop > walk + 60, `hopping ${hop} vs walking ${walk}`);
  assert.ok(far('park', false) > walk + 60, 'park ground is faster');
});

test('city: a tailwind carries jumps to the right and holds back jumps to the left', () => {
  const jumpDistance = (theme, dir) => {
    const w = settled(theme, { start: { x: 60 } });
    const x0 = w.player.x;
    step(w, { ...NONE, jump: true, [dir]: true });
    hold(w, { jump: true, [dir]: true }, 1);
    while (!w.player.onGround) step(w, { ...NONE, jump: true, [dir]: true });
    return Math.abs(w.player.x - x0);
  };
  assert.ok(jumpDistance('city', 'right') > jumpDistance('park', 'right') + 16);
  assert.ok(jumpDistance('city', 'left') < jumpDistance('park', 'left') - 16);
  const w = settled('city', { start: { x: 60 } });
  hold(w, { jump: true }, 30);
  assert.equal(w.player.vx, physics.themes.city.wind, 'no keys in the air: drifting with the wind');
});

test('park: a springy bush launches the player over a wall no jump clears', () => {
  // Ground row 15; a bush at column 6, then a wall 5 tiles high from column 7.
  const rows = {};
  for (let y = 10; y < 15; y++) rows[y] = '.'.repeat(7) + '#'.repeat(113);
  rows[15] = '######*' + '#'.repeat(113);
  const climb = (theme, input) => {
    const w = createWorld(level(theme, { rows }), physics, 0);
    const ev = hold(w, input, 240);
    return { ev, x: w.player.x, y: w.player.y };
  };
  const park = climb('park', { right: true });
  assert.ok(park.ev.includes('spring'));
  assert.ok(park.x > 8 * physics.tile && park.y < 10 * physics.tile, `on the wall: ${park.x}, ${park.y}`);
  const jumping = climb('park', { right: true, jump: true });
  assert.ok(jumping.x > 8 * physics.tile, 'holding jump does not spoil the bounce');
  const plain = climb('beach', { right: true, jump: true });
  assert.ok(!plain.ev.includes('spring') && plain.x < 7 * physics.tile, 'elsewhere `*` is plain ground and the wall holds');
  // A full jump tops out well under the spring's height.
  const bounce = createWorld(level('park', { rows: { 15: '#'.repeat(6) + '*' + '#'.repeat(113) }, start: { x: 6 } }), physics, 0);
  let top = Infinity;
  for (let i = 0; i < 200; i++) { step(bounce, NONE); top = Math.min(top, bounce.player.y); }
  const rise = (15 * physics.tile - physics.player.h - top) / physics.tile;
  assert.ok(rise > physics.themes.park.spring_height_tiles - 0.5 && rise > physics.jump_height_tiles + 2, `${rise} tiles`);
});

// ---- bosses ----

function arena(design, hp = 4) {
  // The generator's arena: two one-way ledges, the boss pacing the floor; the player at the entrance.
  const width = 30, rows = { 12: '.'.repeat(10) + '===' + '.'.repeat(6) + '===' + '.'.repeat(8) };
  const boss = { type: 'boss', x: 25, y: 14, hp, arena: [6, 29], design };
  return level('park', { rows, width, entities: [boss], boss: true, start: { x: 4 } });
}

test('there are at least three boss designs, each with its own plan, size and art', () => {
  assert.ok(DESIGNS.length >= 3);
  const plans = DESIGNS.map((d) => JSON.stringify(bossSpec(physics, d).plan));
  assert.equal(new Set(plans).size, DESIGNS.length);
  for (const d of DESIGNS) assert.ok(BOSS_ART[d], `art for ${d}`);
  const used = new Set(THEME_NAMES.map((t) => physics.boss.theme_designs[t]));
  assert.ok(used.size >= 3, 'the themes meet three designs');
  for (const t of THEME_NAMES) {
    const w = createWorld({ ...arena(undefined), theme: t }, physics, 0);
    assert.equal(w.boss.design, physics.boss.theme_designs[t], `${t} fights its theme's design`);
  }
});

for (const design of DESIGNS) {
  test(`${design}: every attack is telegraphed by a wind-up naming it; shots only during attacks`, () => {
    const w = createWorld(arena(design, 6), physics, 0);
    w.player.invuln = 1e9; // stand and watch
    const bp = bossSpec(physics, design);
    const cycle = bp.walk_frames + bp.plan.length * (bp.windup_frames + bp.attack_frames);
    const modes = [], xs = new Set(), ys = new Set();
    let shots = 0, shotsOutside = 0;
    for (let i = 0; i < 2 * cycle; i++) {
      const before = w.projectiles.length;
      step(w, NONE);
      modes.push([w.boss.mode, w.boss.next]); xs.add(w.boss.x); ys.add(w.boss.y);
      if (w.projectiles.length > before) {
        shots += 1;
        if (!['shoot', 'slam', 'lob'].includes(w.boss.mode)) shotsOutside += 1;
      }
    }
    assert.deepEqual([...new Set(modes.map(([m]) => m))].sort(), [...new Set(['walk', 'windup', ...bp.plan])].sort());
    let attacks = 0;
    for (let i = 1; i < modes.length; i++) {
      const [mode] = modes[i], [prev] = modes[i - 1];
      if (mode === 'walk' || mode === 'windup' || prev === mode) continue;
      attacks += 1;
      const wind = modes.slice(i - bp.windup_frames, i);
      assert.ok(wind.length === bp.windup_frames && wind.every(([m, n]) => m === 'windup' && n === mode),
        `frame ${i}: ${mode} after a ${bp.windup_frames}-frame wind-up naming it`);
    }
    assert.equal(attacks, 2 * bp.plan.length);
    assert.ok(xs.size > 10, 'it moves');
    if (bp.plan.some((m) => m === 'hop' || m === 'slam')) assert.ok(ys.size > 5, 'it leaps');
    if (bp.plan.some((m) => ['shoot', 'slam', 'lob'].includes(m))) assert.ok(shots >= 2, 'it fires');
    assert.equal(shotsOutside, 0);
  });

  test(`${design}: the special alone never beats it (mashed from the arena entrance)`, () => {
    const w = createWorld(arena(design), physics, 0);
    let stuns = 0;
    for (let i = 0; i < 20000 && w.status === 'playing'; i++) {
      stuns += step(w, { ...NONE, special: i % 2 === 0 }).filter((e) => e.type === 'stun').length;
    }
    assert.notEqual(w.status, 'won');
    assert.ok(w.boss.alive && w.boss.hp === 4, 'the special never costs the boss hp');
    assert.ok(stuns > 0 || w.status === 'dead');
  });

  test(`${design}: only stomps hurt it; the last one starts the defeat beat, then the win`, () => {
    const w = createWorld(arena(design, 2), physics, 0);
    const seen = [];
    let beatStart = -1, wonAt = -1;
    for (let i = 0; i < 6000 && w.status === 'playing'; i++) {
      const p = w.player, b = w.boss, cx = b.x + b.w / 2, px = p.x + p.w / 2;
      p.invuln = Math.max(p.invuln, 2); // the test is about the boss's rules, not dodging
      // Full jumps (held while airborne) from under the boss come down on its head.
      const jump = p.onGround ? b.invuln === 0 && Math.abs(px - cx) < 30 && !p.jumpHeld : true;
      const input = { ...NONE, left: px > cx + 2, right: px < cx - 2, jump };
      for (const e of step(w, input)) {
        seen.push(e.type);
        if (e.type === 'boss_defeated') { beatStart = w.frame; assert.equal(e.frames, physics.boss.defeat_frames); }
        if (e.type === 'won') wonAt = w.frame;
      }
      if (beatStart > 0 && w.status === 'playing') {
        assert.equal(w.boss.mode, 'defeated');
        assert.ok(!w.boss.alive && w.boss.defeat > 0 && w.projectiles.length === 0);
      }
    }
    assert.equal(w.status, 'won');
    assert.deepEqual(seen.filter((t) => ['boss_hit', 'boss_defeated', 'won'].includes(t)), ['boss_hit', 'boss_hit', 'boss_defeated', 'won']);
    assert.equal(wonAt - beatStart, physics.boss.defeat_frames, 'the win comes after the beat');
    assert.ok(!seen.includes('stun'));
  });
}

test('the defeat beat: the player coasts unhurt, no input counts, the score is in before the win', () => {
  const w = createWorld(arena('vacuum', 1), physics, 0);
  const b = w.boss;
  // Drop the player onto the boss.
  w.player.sx = b.sx + (b.w - w.player.w) * 128; w.player.sy = b.sy - 40 * 256;
  let ev = [];
  for (let i = 0; i < 60 && !ev.includes('boss_defeated'); i++) ev = step(w, NONE).map((e) => e.type);
  assert.ok(ev.includes('boss_defeated'));
  assert.equal(w.status, 'playing');
  assert.equal(w.score, physics.score.boss);
  const hp = w.player.hp;
  const during = hold(w, { right: true, special: true, jump: true }, physics.boss.defeat_frames - 1);
  assert.ok(!during.includes('special') && !during.includes('jump') && !during.includes('hurt'));
  assert.equal(w.player.hp, hp);
  assert.equal(w.status, 'playing');
  assert.deepEqual(hold(w, {}, 1), ['won']);
  assert.equal(w.status, 'won');
});

// ---- skins ----

test('each theme has its own skin for every enemy type, in the theme\'s colours', () => {
  for (const type of ['walker', 'flyer', 'jumper']) {
    const looks = THEME_NAMES.map((t) => SKINS[t][type].rows.join('/'));
    assert.equal(new Set(looks).size, 5, `${type}: five different drawings`);
    const names = THEME_NAMES.map((t) => SKINS[t][type].name);
    assert.equal(new Set(names).size, 5, names.join());
    for (const t of THEME_NAMES) {
      const pal = foePalette(THEMES[t], type);
      const letters = new Set(SKINS[t][type].rows.join('').replace(/\./g, ''));
      for (const ch of letters) assert.match(pal[ch] ?? '', /^#[0-9a-f]{6}$/i, `${t} ${type} letter ${ch}`);
      const skin = SKINS[t][type], [f0, f1, stun] = [0, 1, 'stun'].map((f) => frameRows(skin, f));
      if (type !== 'jumper') assert.notDeepEqual(f1, f0, `${t} ${type}: a second frame`);
      assert.deepEqual(stun, [...f0].reverse(), `${t} ${type}: stunned is drawn belly-up`);
      for (const rows of [f0, f1]) assert.ok(rows.every((r) => r.length === rows[0].length));
    }
  }
  for (const t of THEME_NAMES) for (const key of FOE_KEYS) assert.ok(THEMES[t][key], `${t}.${key}`);
  const palettes = THEME_NAMES.map((t) => JSON.stringify(['walker', 'flyer', 'jumper', 'boss'].map((ty) => foePalette(THEMES[t], ty))));
  assert.equal(new Set(palettes).size, 5, 'five different enemy palettes');
  for (const file of ['foes.js', ...DESIGNS.map((d) => `bosses/${d}.js`)]) {
    const source = fs.readFileSync(new URL(`../js/${file}`, import.meta.url), 'utf8');
    assert.doesNotMatch(source, /#[0-9a-f]{3,8}\b|rgba?\(/i, `no colour is hard-coded in the drawing code (${file})`);
  }
});

test('flyers flap: their second frame keeps every row (no wing cut off), the wings move', () => {
  for (const t of THEME_NAMES) {
    const skin = SKINS[t].flyer, f1 = frameRows(skin, 1);
    assert.ok(skin.alt, `${t} flyer has its own flap frame`);
    assert.equal(f1.length, skin.rows.length);
    const inked = (rows) => rows.join('').replace(/\./g, '').length;
    assert.ok(Math.abs(inked(f1) - inked(skin.rows)) < inked(skin.rows) / 3, `${t}: the flap is the same creature`);
  }
});

test('each boss design has a wind-up pose (the warning), an attack pose and a dazed face, apart from walking', () => {
  const draw = (design, pose, flash = false) => {
    const cells = new Map();
    const ctx = { fillStyle: '', fillRect(x, y, w, h) { for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) cells.set(`${i},${j}`, this.fillStyle); } };
    BOSS_ART[design].draw(ctx, foePalette(THEMES.park, 'boss', flash), pose);
    return JSON.stringify([...cells].sort());
  };
  assert.deepEqual(['walk', 'windup', 'charge', 'hop', 'slam', 'lob', 'shoot', 'stunned'].map(bossPose),
    ['walk', 'windup', 'attack', 'attack', 'attack', 'attack', 'attack', 'stun']);
  for (const design of DESIGNS) {
    const looks = ['walk', 'windup', 'attack', 'stun'].map((pose) => draw(design, pose));
    assert.equal(new Set([looks[0], looks[1], looks[3]]).size, 3, `${design}: wind-up and dazed differ from walking`);
    assert.notEqual(looks[2], looks[0], `${design}: attacking differs from walking`);
  }
});
