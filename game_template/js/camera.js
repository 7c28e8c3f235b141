// Smooth follow camera with look-ahead in the running direction, clamped to the level's edges.
// Keeps float state for smoothness and hands the renderer whole pixels so tiles never shimmer.

const LOOK_AHEAD = 36;
const FOLLOW_X = 0.12;
const FOLLOW_Y = 0.08;

export class Camera {
  constructor() {
    this.fx = 0;
    this.fy = 0;
    this.lead = 0;
    this.x = 0;
    this.y = 0;
  }

  snap(world, view) {
    this.lead = 0;
    [this.fx, this.fy] = this.target(world, view);
    this.clamp(world, view);
  }

  target(world, view) {
    const p = world.player;
    return [p.x + p.w / 2 + this.lead - view.w / 2, p.y + p.h / 2 - view.h * 0.55];
  }

  // One presentation frame: ease the look-ahead towards where the pet runs, then ease the camera.
  update(world, view) {
    const p = world.player;
    const want = Math.abs(p.vx) > 0.2 ? Math.sign(p.vx) * LOOK_AHEAD : p.facing * LOOK_AHEAD * 0.4;
    this.lead += (want - this.lead) * 0.04;
    const [tx, ty] = this.target(world, view);
    this.fx += (tx - this.fx) * FOLLOW_X;
    this.fy += (ty - this.fy) * FOLLOW_Y;
    this.clamp(world, view);
  }

  clamp(world, view) {
    const ww = world.width * world.tileSize, wh = world.height * world.tileSize;
    this.fx = ww <= view.w ? (ww - view.w) / 2 : Math.min(Math.max(this.fx, 0), ww - view.w);
    this.fy = wh <= view.h ? wh - view.h : Math.min(Math.max(this.fy, 0), wh - view.h);
    this.x = Math.round(this.fx);
    this.y = Math.round(this.fy);
  }
}
