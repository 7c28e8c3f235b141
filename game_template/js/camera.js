// What the screen shows: the logical view size (the game renders at that low resolution and CSS
// scales it up) and a camera that frames the action: look-ahead in the run direction, the ground in
// the lower-middle, no rows of empty sky above the level's content, the boss kept in view in its arena.
// Keeps float state for smoothness and hands the renderer whole pixels so tiles never shimmer.

export const TILE = 16;
export const PORTRAIT_COLS = [16, 17, 18]; // tiles across a portrait screen: fewest, aim, most
export const ROWS = [10, 13]; // tiles down: the fewest and most a level's content asks for
const LEAD = 0.2; // running, the pet's centre sits this fraction of the view behind the middle
const FOLLOW_X = 0.12;
const FOLLOW_Y = 0.08;
const GROUND_AT = 0.7; // the ground the pet stands on sits this far down the view
const TOP_ROOM = 10; // px kept between the pet and the view's top edge in a high jump
const ENGAGE = [0.85, 1.2]; // the boss is framed with the pet from this close (x view width), and until this far
const EDGE_ROOM = 16; // px kept between the pet and a side edge while framing the boss

// The highest row with anything in it (a tile, a treat, an enemy's reach); the rows above are sky.
// Static per level, so worked out once per world.
const tops = new WeakMap();
export function contentTop(world) {
  if (!tops.has(world)) tops.set(world, findTop(world));
  return tops.get(world);
}

function findTop(world) {
  let top = world.height;
  world.tiles.forEach((row, y) => { if (y < top && /[^.]/.test(row)) top = y; });
  for (const it of world.items || []) top = Math.min(top, Math.floor(it.y / world.tileSize));
  for (const e of world.enemies || []) {
    const s = e.spawn || {};
    const rise = e.type === 'flyer' ? Math.max(0, -(s.dy || 0)) : e.type === 'jumper' ? 3 : 0;
    if (Number.isFinite(s.y)) top = Math.min(top, s.y - rise);
  }
  return Math.max(0, top);
}

// The tiles a level's view should be tall: its content plus a row of headroom, within ROWS.
export function rowsFor(world) {
  if (!world) return ROWS[1];
  return Math.min(ROWS[1], Math.max(ROWS[0], world.height - contentTop(world) + 1));
}

// CSS px of the stage, the device pixel ratio and the rows wanted in; the logical view out:
// {w, h} (the canvas's backing store), scale (device px per logical px, the same both ways so pixels
// stay square). Portrait shows PORTRAIT_COLS tiles across (a whole-number scale when one fits, else
// a fractional one: at DPR 2+ nearest-neighbour steps of 4 and 5 device px do not show) and at most
// `rows` tiles down; the rest of a tall screen is left to the page. Landscape shows `rows` tiles
// down (below DPR 2: the whole-number scale that keeps at least ROWS[1]) and as many across as the
// width holds.
export function viewFor(cssW, cssH, dpr = 1, rows = ROWS[1]) {
  const devW = Math.max(1, Math.round(cssW * dpr)), devH = Math.max(1, Math.round(cssH * dpr));
  let scale;
  if (cssH > cssW) {
    const [fewest, aim, most] = PORTRAIT_COLS;
    const whole = Math.floor(devW / (fewest * TILE));
    scale = whole >= 1 && devW / whole <= most * TILE ? whole : Math.max(1, devW / (aim * TILE));
  } else if (dpr < 2) {
    // Desktops: whole-number scales only (a 2-or-3 px mix would show), the same for every level.
    scale = Math.max(1, Math.floor(devH / (ROWS[1] * TILE)));
  } else {
    scale = Math.max(1, devH / (rows * TILE));
  }
  const w = Math.ceil(devW / scale - 1e-6);
  let h = Math.ceil(devH / scale - 1e-6);
  if (cssH > cssW) h = Math.min(h, rows * TILE);
  return { w, h, scale };
}

export class Camera {
  constructor() {
    this.fx = 0;
    this.fy = 0;
    this.lead = 0;
    this.engage = 0;
    this.floor = null;
    this.x = 0;
    this.y = 0;
  }

  snap(world, view) {
    const p = world.player;
    this.lead = 0;
    this.engage = this.wantsBoss(world, view) ? 1 : 0;
    this.floor = p.y + p.h;
    this.fx = this.targetX(world, view);
    this.fy = this.targetY(world, view);
    this.clamp(world, view);
  }

  // One presentation frame: ease the look-ahead and the boss framing, then the camera.
  update(world, view) {
    const p = world.player;
    const running = Math.abs(p.vx) > 0.5;
    const want = (running ? Math.sign(p.vx) : (p.facing || 1) * 0.6) * LEAD * view.w;
    this.lead += Math.max(-3, Math.min(3, (want - this.lead) * 0.05));
    this.engage += ((this.wantsBoss(world, view) ? 1 : 0) - this.engage) * 0.06;
    if (p.onGround) this.floor = p.y + p.h;
    this.fx += (this.targetX(world, view) - this.fx) * FOLLOW_X;
    this.fy += (this.targetY(world, view) - this.fy) * FOLLOW_Y;
    this.clamp(world, view);
  }

  // Before the first step the boss has no position yet; its defeat beat stays in the frame.
  wantsBoss(world, view) {
    const b = world.boss, p = world.player;
    const reach = view.w * (this.engage > 0.5 ? ENGAGE[1] : ENGAGE[0]);
    return !!(b && (b.alive || b.mode === 'defeated') && world.frame > 0 && Math.abs(b.x + b.w / 2 - (p.x + p.w / 2)) < reach);
  }

  targetX(world, view) {
    const p = world.player, pc = p.x + p.w / 2;
    // The follow eases behind a running pet by vx * (1 - FOLLOW_X) / FOLLOW_X: aim that far ahead.
    const follow = pc + this.lead + (p.vx || 0) * (1 - FOLLOW_X) / FOLLOW_X - view.w / 2;
    const b = world.boss;
    if (!b || this.engage < 0.01) return follow;
    // In the arena: the middle of pet and boss, as long as the pet keeps EDGE_ROOM from the edges.
    const room = Math.max(0, view.w / 2 - EDGE_ROOM - p.w / 2);
    const mid = Math.min(pc + room, Math.max(pc - room, (pc + b.x + b.w / 2) / 2)) - view.w / 2;
    return follow + (mid - follow) * this.engage;
  }

  // The last ground the pet stood on sits GROUND_AT down the view, so jumps do not bob the camera;
  // a high jump pulls it up and a fall pulls it down.
  targetY(world, view) {
    const p = world.player;
    let ty = (this.floor ?? p.y + p.h) - view.h * GROUND_AT;
    ty = Math.min(ty, p.y - TOP_ROOM);
    return Math.max(ty, p.y + p.h - view.h * 0.9);
  }

  clamp(world, view) {
    const s = world.tileSize, ww = world.width * s, wh = world.height * s;
    // Rows above the content are sky: crop them unless the pet (or a hopping boss) goes up there.
    const b = world.boss;
    let top = Math.min((contentTop(world) - 1) * s, world.player.y - TOP_ROOM);
    if (b && this.engage > 0.5) top = Math.min(top, b.y - TOP_ROOM);
    const p = world.player;
    // Framing the boss: all of it in view (the easing alone lags a charge), the pet first.
    if (b && this.engage > 0.5) this.fx = Math.min(Math.max(this.fx, b.x + b.w + 4 - view.w), b.x - 4);
    this.fx = Math.min(Math.max(this.fx, p.x + p.w + 4 - view.w), p.x - 4);
    this.fx = ww <= view.w ? (ww - view.w) / 2 : Math.min(Math.max(this.fx, 0), ww - view.w);
    // The pet never leaves the view (a fall into a pit is followed down to the level's bottom).
    this.fy = Math.min(Math.max(this.fy, top, p.y + p.h + 2 - view.h), p.y - 2, wh - view.h);
    this.x = Math.round(this.fx);
    this.y = Math.round(this.fy);
  }
}
