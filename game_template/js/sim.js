// sim.js — the deterministic game simulation: every game rule, no DOM, no clock, no Math.random.
// Integer sub-pixel arithmetic so core/levels/sim.py can mirror the player physics bit for bit.

const ENEMY_TYPES = new Set(['walker', 'flyer', 'jumper']);
const SOLID = '#*'; // `*` is a springy bush: solid everywhere, and it launches whoever lands on it
const STOMP_MARGIN_PX = 6;

const fdiv = (a, b) => Math.floor(a / b);
const clamp = (v, lo, hi) => (v < lo ? lo : v > hi ? hi : v);

// Velocity moves towards target by at most step (integers in, integers out).
function approach(v, target, step) {
  if (v < target) return Math.min(v + step, target);
  if (v > target) return Math.max(v - step, target);
  return v;
}

// A theme's one mechanic: physics.themes[theme] overrides physics.json keys for levels of that theme
// (snow: icy ground accel/turn/friction; space: a higher, slower jump; beach: a slower run on sand;
// city: a tailwind in the air; park: springy bushes, the `*` tile). Mirrored in core/levels/physics.py.
export function themed(ph, theme) {
  const over = ph.themes?.[theme];
  if (!over) return ph;
  const { mechanic: _mechanic, ...keys } = over;
  return { ...ph, ...keys };
}

export function mechanicOf(ph, theme) {
  return ph.themes?.[theme]?.mechanic ?? 'none';
}

// Physics constants in sub-pixel integers; the formulas are repeated exactly in core/levels/physics.py.
// With a theme, that theme's mechanic is applied first (themed).
export function derive(physics, theme) {
  const ph = theme === undefined ? physics : themed(physics, theme);
  const SP = ph.subpixel;
  const sub = (v) => Math.floor(v * SP + 0.5);
  const H = sub(ph.jump_height_tiles * ph.tile);
  const t = ph.frames_to_apex;
  const gravity = fdiv(4 * H + t * t, 2 * t * t);
  // A spring bush launches at the speed that rises spring_height_tiles under this gravity.
  const spring = ph.spring_height_tiles ? Math.floor(Math.sqrt(2 * gravity * sub(ph.spring_height_tiles * ph.tile)) + 0.5) : 0;
  return {
    SP, T: ph.tile * SP, tile: ph.tile, gravity,
    fallGravity: Math.floor(gravity * ph.fall_gravity_mult + 0.5),
    jumpV: fdiv(4 * H + t, 2 * t), jumpCut: ph.jump_cut, maxFall: sub(ph.max_fall),
    run: sub(ph.run_speed), gAcc: sub(ph.ground_accel), gTurn: sub(ph.ground_turn), gFric: sub(ph.ground_friction),
    aAcc: sub(ph.air_accel), aTurn: sub(ph.air_turn), aFric: sub(ph.air_friction),
    coyote: ph.coyote_frames, buffer: ph.jump_buffer_frames,
    pw: ph.player.w * SP, ph: ph.player.h * SP, hp: ph.hp, lives: ph.lives,
    invuln: ph.hurt.invuln_frames, stun: ph.hurt.stun_frames,
    knockX: sub(ph.hurt.knock_x), knockY: sub(ph.hurt.knock_y),
    spikeInset: ph.spike_inset * SP, stompBounce: sub(ph.stomp_bounce),
    groundRun: sub(ph.ground_run_speed ?? ph.run_speed), wind: sub(ph.wind ?? 0), spring,
  };
}

export function tileAt(world, tx, ty) {
  if (tx < 0 || tx >= world.width) return '#';
  if (ty < 0 || ty >= world.height) return '.';
  return world.tiles[ty][tx];
}

function anyTile(world, x0, x1, ty, chars) {
  for (let tx = x0; tx <= x1; tx++) if (chars.includes(tileAt(world, tx, ty))) return true;
  return false;
}

function spawnPlayer(world, k, spot) {
  const p = world.player;
  p.sx = spot.x * k.T + fdiv(k.T - k.pw, 2);
  p.sy = (spot.y + 1) * k.T - k.ph;
  Object.assign(p, { svx: 0, svy: 0, onGround: false, rising: false, coyote: 0, jumpBuffer: 0 });
  Object.assign(p, { stun: 0, hp: k.hp, invuln: k.invuln });
}

function makeEnemy(e, i, physics) {
  const spec = physics.enemies[e.type];
  // clock: the enemy's own frame count; it stands still while the enemy is stunned.
  return { id: i, type: e.type, x: 0, y: 0, w: spec.w, h: spec.h, alive: true, facing: 1, stun: 0, clock: 0, spawn: { ...e } };
}

// The boss design a level fights: the entity's `design`, else the theme's, else the vacuum.
export function bossDesign(physics, entity, theme) {
  const designs = physics.boss.designs ?? {};
  const name = entity?.design ?? physics.boss.theme_designs?.[theme];
  return designs[name] ? name : 'vacuum';
}

// physics.boss with the design's overrides (plan, size, speed, wind-up length...).
export function bossSpec(physics, design) {
  return { ...physics.boss, ...(physics.boss.designs?.[design] ?? {}) };
}

function makeBoss(e, physics, k, theme) {
  const design = bossDesign(physics, e, theme);
  const b = bossSpec(physics, design);
  const maxHp = e.hp ?? b.base_hp;
  const arena = e.arena ?? [e.x, e.x];
  return {
    x: 0, y: 0, w: b.w, h: b.h, sx: e.x * k.T, sy: (e.y + 1) * k.T - b.h * k.SP, groundY: (e.y + 1) * k.T - b.h * k.SP,
    design, hp: maxHp, maxHp, phase: 1, mode: 'walk', next: 'walk', invuln: 0, stun: 0, clock: 0, dir: -1, alive: true,
    defeat: 0, arena: [arena[0] * k.T, (arena[1] + 1) * k.T - b.w * k.SP],
  };
}

export function createWorld(level, physics, seed = 0) {
  const k = constants(physics, level.theme);
  const world = {
    version: 1, seed, frame: 0, status: 'playing', score: 0, lives: k.lives,
    index: level.index ?? 0, theme: level.theme, mechanic: mechanicOf(physics, level.theme), isBoss: !!level.boss,
    width: level.width, height: level.height, tiles: level.tiles.slice(), tileSize: k.tile,
    goal: { ...level.goal }, checkpoint: { ...level.start },
    player: { x: 0, y: 0, w: physics.player.w, h: physics.player.h, vx: 0, vy: 0, facing: 1, state: 'idle',
      maxHp: k.hp, jumpHeld: false, specialHeld: false, specialCooldown: 0, specialTimer: 0 },
    enemies: [], items: [], boss: null, projectiles: [], physics,
  };
  spawnPlayer(world, k, level.start);
  world.player.invuln = 0;
  level.entities.forEach((e, i) => {
    if (ENEMY_TYPES.has(e.type)) world.enemies.push(makeEnemy(e, i, physics));
    else if (e.type === 'boss') world.boss = makeBoss(e, physics, k, level.theme);
    else world.items.push({ type: e.type, x: e.x * k.tile, y: e.y * k.tile, w: k.tile, h: k.tile, tx: e.x, ty: e.y, taken: false });
  });
  placeEnemies(world, k);
  sync(world, k);
  return world;
}

// ---- player (mirrored by core/levels/sim.py) ----

function moveX(world, k) {
  const p = world.player;
  p.sx += p.svx;
  const maxX = world.width * k.T - k.pw;
  if (p.sx < 0 || p.sx > maxX) { p.sx = clamp(p.sx, 0, maxX); p.svx = 0; }
  const top = fdiv(p.sy, k.T), bot = fdiv(p.sy + k.ph - 1, k.T);
  if (p.svx > 0) {
    const tx = fdiv(p.sx + k.pw - 1, k.T);
    for (let ty = top; ty <= bot; ty++) if (SOLID.includes(tileAt(world, tx, ty))) { p.sx = tx * k.T - k.pw; p.svx = 0; break; }
  } else if (p.svx < 0) {
    const tx = fdiv(p.sx, k.T);
    for (let ty = top; ty <= bot; ty++) if (SOLID.includes(tileAt(world, tx, ty))) { p.sx = (tx + 1) * k.T; p.svx = 0; break; }
  }
}

function moveY(world, k, ev) {
  const p = world.player;
  const wasOnGround = p.onGround;
  const oldBottom = p.sy + k.ph;
  p.sy += p.svy;
  p.onGround = false;
  const x0 = fdiv(p.sx, k.T), x1 = fdiv(p.sx + k.pw - 1, k.T);
  if (p.svy > 0) {
    const ty = fdiv(p.sy + k.ph - 1, k.T);
    const floor = anyTile(world, x0, x1, ty, SOLID) || (oldBottom <= ty * k.T && anyTile(world, x0, x1, ty, '='));
    if (floor && k.spring && anyTile(world, x0, x1, ty, '*')) {
      // A springy bush under the feet: launched up at the spring speed (no jump cut, no coyote).
      p.sy = ty * k.T - k.ph; p.svy = -k.spring; p.rising = false; p.coyote = 0;
      ev.push({ type: 'spring' });
    } else if (floor) {
      p.sy = ty * k.T - k.ph; p.svy = 0; p.onGround = true;
      if (!wasOnGround) ev.push({ type: 'land' });
    }
  } else if (p.svy < 0) {
    const ty = fdiv(p.sy, k.T);
    if (anyTile(world, x0, x1, ty, SOLID)) { p.sy = (ty + 1) * k.T; p.svy = 0; }
  }
}

function steerAndJump(world, k, input, ev) {
  const p = world.player;
  if (input.jump && !p.jumpHeld) p.jumpBuffer = k.buffer;
  else if (p.jumpBuffer > 0) p.jumpBuffer--;
  const dir = p.stun > 0 ? 0 : (input.right ? 1 : 0) - (input.left ? 1 : 0);
  if (dir !== 0) p.facing = dir;
  // Steering against the current motion uses the (stronger) turn rate until the speed crosses zero.
  const turning = dir * p.svx < 0;
  const rate = dir === 0 ? (p.onGround ? k.gFric : k.aFric)
    : turning ? (p.onGround ? k.gTurn : k.aTurn) : (p.onGround ? k.gAcc : k.aAcc);
  // Top speed: groundRun on the ground (slower on sand), run in the air, plus the wind in the air.
  const target = p.onGround ? dir * k.groundRun : dir * k.run + k.wind;
  p.svx = approach(p.svx, target, rate);
  if (p.jumpBuffer > 0 && p.stun === 0 && (p.onGround || p.coyote > 0)) {
    p.svy = -k.jumpV; p.jumpBuffer = 0; p.coyote = 0; p.onGround = false; p.rising = true;
    ev.push({ type: 'jump' });
  }
  // Releasing jump while rising cuts the ascent once: short taps give short hops.
  if (p.rising && !input.jump && p.svy < 0) { p.svy = -Math.floor(-p.svy * k.jumpCut); p.rising = false; }
  if (p.svy >= 0) p.rising = false;
  p.svy = Math.min(p.svy + (p.svy < 0 ? k.gravity : k.fallGravity), k.maxFall);
  p.jumpHeld = !!input.jump;
}

function hurt(world, k, dir, ev) {
  const p = world.player;
  if (p.invuln > 0 || world.status !== 'playing') return;
  p.hp -= 1; p.invuln = k.invuln; p.stun = k.stun;
  p.svx = dir * k.knockX; p.svy = -k.knockY; p.onGround = false; p.rising = false;
  ev.push({ type: 'hurt', hp: p.hp });
  if (p.hp <= 0) die(world, k, ev);
}

function die(world, k, ev) {
  world.lives -= 1;
  ev.push({ type: 'death', lives: world.lives });
  if (world.lives <= 0) { world.status = 'dead'; return; }
  spawnPlayer(world, k, world.checkpoint);
}

const overlaps = (ax, ay, aw, ah, bx, by, bw, bh) => ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;

function touchTiles(world, k, ev) {
  const p = world.player;
  if (p.sy >= world.height * k.T) { die(world, k, ev); return; }
  const x0 = fdiv(p.sx, k.T), x1 = fdiv(p.sx + k.pw - 1, k.T);
  const y0 = fdiv(p.sy, k.T), y1 = fdiv(p.sy + k.ph - 1, k.T);
  for (let ty = y0; ty <= y1; ty++) for (let tx = x0; tx <= x1; tx++) {
    if (tileAt(world, tx, ty) !== '^') continue;
    const top = ty * k.T + k.spikeInset;
    if (overlaps(p.sx, p.sy, k.pw, k.ph, tx * k.T, top, k.T, k.T - k.spikeInset)) { hurt(world, k, -p.facing, ev); return; }
  }
}

function touchMarkers(world, k, ev) {
  const p = world.player;
  for (const it of world.items) {
    if (it.type !== 'checkpoint' || it.taken) continue;
    if (overlaps(p.sx, p.sy, k.pw, k.ph, it.tx * k.T, it.ty * k.T, k.T, k.T)) {
      it.taken = true; world.checkpoint = { x: it.tx, y: it.ty };
      ev.push({ type: 'checkpoint', x: it.tx, y: it.ty });
    }
  }
  const g = world.goal;
  if (!world.isBoss && overlaps(p.sx, p.sy, k.pw, k.ph, g.x * k.T, g.y * k.T, k.T, k.T)) {
    world.status = 'level_complete'; world.score += world.physics.score.goal;
    ev.push({ type: 'goal' });
  }
}

export function stepPlayer(world, k, input, ev) {
  const p = world.player;
  if (p.invuln > 0) p.invuln--;
  if (p.stun > 0) p.stun--;
  steerAndJump(world, k, input, ev);
  const fallSpeed = p.svy;
  const prevBottom = p.sy + k.ph;
  moveX(world, k);
  moveY(world, k, ev);
  if (p.onGround) p.coyote = k.coyote;
  else if (p.coyote > 0) p.coyote--;
  touchTiles(world, k, ev);
  if (world.status === 'playing') touchMarkers(world, k, ev);
  return { fallSpeed, prevBottom };
}

// ---- enemies, special, boss (JS only; pure functions of frame + spawn data where possible) ----

function triangle(t, span) {
  const m = t % (2 * span);
  return m <= span ? m : 2 * span - m;
}

function placeEnemy(e, frame, ph, k) {
  const s = e.spawn, spec = ph.enemies[e.type], SP = k.SP;
  const baseX = s.x * k.T + fdiv(k.T - e.w * SP, 2);
  const groundY = (s.y + 1) * k.T - e.h * SP;
  if (e.type === 'walker') {
    const [a, b] = s.range ?? [s.x, s.x];
    const span = Math.max(1, (b - a + 1) * k.T - e.w * SP);
    const speed = Math.floor(spec.speed * SP + 0.5);
    const t = frame * speed + (baseX - a * k.T);
    e.sx = a * k.T + triangle(t, span); e.sy = groundY;
    e.facing = t % (2 * span) < span ? 1 : -1;
  } else if (e.type === 'flyer') {
    const period = s.period ?? spec.period, half = fdiv(period, 2);
    const u = triangle(frame, half);
    e.sx = baseX + fdiv((s.dx ?? 0) * k.T * u, half);
    e.sy = s.y * k.T + fdiv(k.T - e.h * SP, 2) + fdiv((s.dy ?? 0) * k.T * u, half);
    e.facing = (s.dx ?? 0) >= 0 === frame % period < half ? 1 : -1;
  } else {
    const period = s.period ?? spec.period, air = spec.air_frames;
    const t = (frame + (s.phase ?? 0)) % period;
    const hop = Math.floor(spec.height_tiles * k.T);
    e.sx = baseX; e.sy = groundY - (t < air ? fdiv(4 * hop * t * (air - t), air * air) : 0);
  }
}

// Each enemy moves by its own clock, which stops while it is stunned (so it freezes where it is).
function placeEnemies(world, k) {
  for (const e of world.enemies) {
    if (e.stun > 0) e.stun -= 1;
    else e.clock += 1;
    placeEnemy(e, e.clock, world.physics, k);
  }
}

function bark(world, k, input, ev) {
  const p = world.player, sp = world.physics.special;
  if (p.specialCooldown > 0) p.specialCooldown--;
  if (p.specialTimer > 0) p.specialTimer--;
  const pressed = input.special && !p.specialHeld;
  p.specialHeld = !!input.special;
  if (!pressed || p.specialCooldown > 0) return;
  p.specialCooldown = sp.cooldown_frames; p.specialTimer = sp.active_frames;
  // The special stuns, it never defeats: stunned enemies freeze and are harmless until they wake,
  // and a dazed boss stops attacking for a moment. Only stomps defeat.
  ev.push({ type: 'special', x: (p.sx + k.pw / 2) / k.SP, y: (p.sy + k.ph / 2) / k.SP });
  const r2 = (sp.radius * k.SP) ** 2;
  const near = (o) => {
    const dx = o.sx + fdiv(o.w * k.SP, 2) - (p.sx + fdiv(k.pw, 2));
    const dy = o.sy + fdiv(o.h * k.SP, 2) - (p.sy + fdiv(k.ph, 2));
    return dx * dx + dy * dy <= r2;
  };
  for (const e of world.enemies) if (e.alive && near(e)) stun(e, sp.stun_frames, ev, false);
  if (world.boss && world.boss.alive && world.boss.stun === 0 && near(world.boss)) stun(world.boss, sp.boss_stun_frames, ev, true);
}

function stun(o, frames, ev, boss) {
  o.stun = frames;
  ev.push({ type: 'stun', x: o.x, y: o.y, boss });
}

function defeat(world, e, ev, by) {
  e.alive = false; world.score += world.physics.score.stomp;
  ev.push({ type: 'stomp', by, x: e.sx / world.physics.subpixel, y: e.sy / world.physics.subpixel });
}

function bounce(world, k, input) {
  const p = world.player;
  p.svy = -(input.jump ? k.jumpV : k.stompBounce); p.rising = !!input.jump; p.onGround = false;
}

function isStomp(k, o, contact) {
  return contact.fallSpeed > 0 && contact.prevBottom <= o.sy + STOMP_MARGIN_PX * k.SP;
}

function touchEnemies(world, k, input, contact, ev) {
  const p = world.player;
  for (const e of world.enemies) {
    if (!e.alive || !overlaps(p.sx, p.sy, k.pw, k.ph, e.sx, e.sy, e.w * k.SP, e.h * k.SP)) continue;
    if (isStomp(k, e, contact)) { defeat(world, e, ev, 'stomp'); bounce(world, k, input); }
    else if (e.stun === 0) hurt(world, k, p.sx + fdiv(k.pw, 2) < e.sx + fdiv(e.w * k.SP, 2) ? -1 : 1, ev);
  }
}

function hitBoss(world, k, ev) {
  const b = world.boss, bp = bossSpec(world.physics, b.design);
  if (b.invuln > 0) return;
  b.hp -= 1; b.invuln = bp.invuln_frames;
  ev.push({ type: 'boss_hit', hp: b.hp });
  if (b.hp * 2 <= b.maxHp) b.phase = 2;
  if (b.hp > 0) return;
  // The defeat beat: the boss is out, shots vanish, and for defeat_frames the player coasts, safe,
  // while the presentation plays the explosion; then the win is declared ('won').
  b.alive = false; b.mode = 'defeated'; b.stun = 0; b.defeat = bp.defeat_frames; world.projectiles = [];
  world.player.invuln = Math.max(world.player.invuln, b.defeat + 1);
  world.score += world.physics.score.boss;
  ev.push({ type: 'boss_defeated', design: b.design, frames: b.defeat,
    x: (b.sx + fdiv(b.w * k.SP, 2)) / k.SP, y: (b.sy + fdiv(b.h * k.SP, 2)) / k.SP });
}

const NO_INPUT = { left: false, right: false, jump: false, special: false };

function defeatBeat(world, k, ev) {
  const b = world.boss;
  b.defeat -= 1;
  stepPlayer(world, k, NO_INPUT, ev);
  if (b.defeat === 0 && world.status === 'playing') { world.status = 'won'; ev.push({ type: 'won' }); }
}

function shot(world, k, sx, sy, svx, svy, g) {
  const bp = world.physics.boss;
  world.projectiles.push({ x: 0, y: 0, w: bp.shot_size, h: bp.shot_size, sx, sy, svx, svy, g, life: bp.shot_life });
}

const playerSide = (world, k) => {
  const p = world.player, b = world.boss;
  return p.sx + fdiv(k.pw, 2) < b.sx + fdiv(b.w * k.SP, 2) ? -1 : 1;
};

// shoot: a straight shot at mid height towards the player.
function shoot(world, k) {
  const b = world.boss, SP = k.SP, size = world.physics.boss.shot_size * SP;
  const dir = playerSide(world, k);
  shot(world, k, dir < 0 ? b.sx - size : b.sx + b.w * SP, b.sy + fdiv(b.h * SP - size, 2),
    dir * Math.floor(world.physics.boss.shot_speed * SP + 0.5), 0, 0);
}

// slam: landing sends a shockwave along the floor both ways (jump over it).
function slamWaves(world, k) {
  const b = world.boss, SP = k.SP, size = world.physics.boss.shot_size * SP;
  const speed = Math.floor(world.physics.boss.shot_speed * SP + 0.5), y = b.groundY + b.h * SP - size;
  shot(world, k, b.sx - size, y, -speed, 0, 0);
  shot(world, k, b.sx + b.w * SP, y, speed, 0, 0);
}

// lob: a ball thrown from the boss's head in an arc that comes down where the player stands now,
// lob_frames later (integer arc: rises at g * lob_frames / 2, gravity g).
function lob(world, k, bp) {
  const b = world.boss, p = world.player, SP = k.SP, size = bp.shot_size * SP;
  const g = Math.floor(bp.lob_gravity * SP + 0.5), F = bp.lob_frames;
  const x0 = b.sx + fdiv(b.w * SP - size, 2);
  const reach = Math.floor(bp.shot_speed * SP + 0.5);
  const svx = clamp(fdiv(p.sx + fdiv(k.pw - size, 2) - x0, F), -reach, reach);
  shot(world, k, x0, b.sy - size, svx, -fdiv(g * F, 2), g);
}

// The boss's attack plan, by its own clock: walk, then for each attack of its design's plan a
// telegraph ('windup', with `next` naming the attack) and the attack itself:
// charge (double speed), hop, shoot (2 shots, 4 in phase 2), slam (a high hop, shockwaves on landing),
// lob (1 thrown ball, 2 in phase 2).
export const BOSS_ATTACKS = ['charge', 'hop', 'shoot', 'slam', 'lob'];

function planOf(bp) {
  const plan = [['walk', 'walk_frames']];
  for (const attack of bp.plan ?? ['charge', 'hop', 'shoot']) plan.push(['windup', 'windup_frames', attack], [attack, 'attack_frames']);
  return plan;
}

export function bossPhase(bp, clock) {
  const plan = planOf(bp);
  const total = plan.reduce((n, [, key]) => n + bp[key], 0);
  let c = clock % total;
  for (const [mode, key, next] of plan) {
    if (c < bp[key]) return { mode, next: next ?? mode, t: c, len: bp[key] };
    c -= bp[key];
  }
  throw new Error('unreachable');
}

function moveBoss(world, k) {
  const b = world.boss, bp = bossSpec(world.physics, b.design);
  if (b.invuln > 0) b.invuln--;
  if (b.stun > 0) { b.stun--; b.mode = 'stunned'; b.sy = b.groundY; return; }
  b.clock += 1;
  const { mode, next, t, len } = bossPhase(bp, b.clock);
  b.mode = mode; b.next = next;
  // Each wind-up turns the boss to face the player: the telegraph shows where the attack goes.
  if (mode === 'windup' && t === 0) b.dir = playerSide(world, k);
  const speed = Math.floor((b.phase === 2 ? bp.speed_phase2 : bp.speed) * k.SP + 0.5);
  if (mode === 'walk' || mode === 'charge' || mode === 'hop' || mode === 'slam') b.sx += b.dir * speed * (mode === 'charge' ? 2 : 1);
  if (b.sx < b.arena[0]) { b.sx = b.arena[0]; b.dir = 1; }
  if (b.sx > b.arena[1]) { b.sx = b.arena[1]; b.dir = -1; }
  const high = mode === 'hop' ? bp.hop_height_tiles : mode === 'slam' ? bp.slam_height_tiles : 0;
  const hop = Math.floor(high * k.T);
  b.sy = b.groundY - (high ? fdiv(4 * hop * t * (len - t), len * len) : 0);
  if (mode === 'shoot' && t % fdiv(len, b.phase === 2 ? 4 : 2) === 0) shoot(world, k);
  if (mode === 'slam' && t === len - 1) slamWaves(world, k);
  if (mode === 'lob' && t % fdiv(len, b.phase === 2 ? 2 : 1) === 0) lob(world, k, bp);
}

function touchBoss(world, k, input, contact, ev) {
  const b = world.boss, p = world.player;
  if (!overlaps(p.sx, p.sy, k.pw, k.ph, b.sx, b.sy, b.w * k.SP, b.h * k.SP)) return;
  if (isStomp(k, b, contact)) { bounce(world, k, input); hitBoss(world, k, ev); }
  else if (b.stun === 0) hurt(world, k, p.sx + fdiv(k.pw, 2) < b.sx + fdiv(b.w * k.SP, 2) ? -1 : 1, ev);
}

function moveShots(world, k, ev) {
  const p = world.player, SP = k.SP;
  world.projectiles = world.projectiles.filter((s) => {
    s.sx += s.svx; s.sy += s.svy; s.svy += s.g; s.life -= 1;
    const cx = fdiv(s.sx + fdiv(s.w * SP, 2), k.T), cy = fdiv(s.sy + fdiv(s.h * SP, 2), k.T);
    if (s.life <= 0 || cy >= world.height || SOLID.includes(tileAt(world, cx, cy))) return false;
    if (!overlaps(p.sx, p.sy, k.pw, k.ph, s.sx, s.sy, s.w * SP, s.h * SP)) return true;
    hurt(world, k, s.svx > 0 ? 1 : -1, ev);
    return false;
  });
}

function collectTreats(world, k, ev) {
  const p = world.player;
  for (const it of world.items) {
    if (it.type !== 'treat' || it.taken) continue;
    if (!overlaps(p.sx, p.sy, k.pw, k.ph, it.tx * k.T, it.ty * k.T, k.T, k.T)) continue;
    it.taken = true; world.score += world.physics.score.treat;
    ev.push({ type: 'collect', x: it.x, y: it.y });
  }
}

function playerState(p) {
  if (p.stun > 0) return 'hurt';
  if (p.specialTimer > 0) return 'special';
  if (!p.onGround) return p.svy < 0 ? 'jump' : 'fall';
  return p.svx !== 0 ? 'walk' : 'idle';
}

// Mirror sub-pixel integers into the pixel fields the renderer reads.
function sync(world, k) {
  const p = world.player, SP = k.SP;
  Object.assign(p, { x: p.sx / SP, y: p.sy / SP, vx: p.svx / SP, vy: p.svy / SP, state: playerState(p) });
  for (const e of world.enemies) { e.x = e.sx / SP; e.y = e.sy / SP; }
  for (const s of world.projectiles) { s.x = s.sx / SP; s.y = s.sy / SP; }
  if (world.boss) { world.boss.x = world.boss.sx / SP; world.boss.y = world.boss.sy / SP; }
}

// Derived constants per physics object and theme (a theme's mechanic changes them).
const k_cache = new WeakMap();
function constants(physics, theme) {
  if (!k_cache.has(physics)) k_cache.set(physics, new Map());
  const byTheme = k_cache.get(physics);
  if (!byTheme.has(theme)) byTheme.set(theme, derive(physics, theme));
  return byTheme.get(theme);
}

/** Advance one 1/60 s frame. input: {left, right, jump, special} booleans. Returns events. */
export function step(world, input) {
  const ev = [];
  if (world.status !== 'playing') return ev;
  const k = constants(world.physics, world.theme);
  world.frame += 1;
  if (world.boss && world.boss.defeat > 0) { defeatBeat(world, k, ev); sync(world, k); return ev; }
  placeEnemies(world, k);
  const contact = stepPlayer(world, k, input, ev);
  if (world.status === 'playing') bark(world, k, input, ev);
  if (world.status === 'playing') touchEnemies(world, k, input, contact, ev);
  if (world.status === 'playing' && world.boss && world.boss.alive) {
    moveBoss(world, k);
    touchBoss(world, k, input, contact, ev);
    if (world.status === 'playing') moveShots(world, k, ev);
  }
  if (world.status === 'playing') collectTreats(world, k, ev);
  sync(world, k);
  return ev;
}

/** A deep copy of a world (plain data), for search and replays. */
export function cloneWorld(world) {
  const physics = world.physics;
  const copy = JSON.parse(JSON.stringify({ ...world, physics: null }));
  copy.physics = physics;
  return copy;
}
