// The player's pet drawn from the sprite atlas: animation by state, jump frame by vertical speed,
// facing flip, squash & stretch and the hurt blink. Purely visual: reads the world, never changes it.

import { canvas } from './themes.js';

// Where the cell's top-left sits relative to the physics box's bottom centre, in world px (facing
// right): the atlas hitbox's centre and bottom land on the box's centre and bottom, or for an atlas
// without a hitbox (v1) the anchor does. hero is game.json's `hero`: {scale, hitbox}.
export function cellOffset(hero, anchor) {
  const k = Math.max(1, hero.scale || 1), h = hero.hitbox;
  if (!h) return [-Math.round(anchor.x / k), -Math.round(anchor.y / k)];
  return [-Math.round((h.x + h.w / 2) / k), -Math.round((h.y + h.h) / k)];
}

export class Pet {
  // hero: game.json's `hero` ({scale, hitbox}), computed once by the packager (core/packaging/hero.py)
  // so the drawn body, the physics box and the level proofs all use the same numbers.
  constructor(atlas, sheet, hero = {}) {
    this.atlas = atlas;
    this.anims = atlas.animations;
    this.k = Math.max(1, hero.scale || 1);
    this.offset = cellOffset(hero, atlas.anchor);
    // Shrink once by a whole factor with smoothing off: every pixel stays a crisp square.
    const [c, ctx] = canvas(Math.ceil(sheet.width / this.k), Math.ceil(sheet.height / this.k));
    ctx.drawImage(sheet, 0, 0, c.width, c.height);
    this.sheet = c;
    this.full = sheet;
    this.anim = 'idle';
    this.time = 0;
    this.squash = { x: 1, y: 1 };
    this.sinceJump = 99;
    this.lunge = 0;
  }

  event(type) {
    if (type === 'jump') { this.sinceJump = 0; this.squash = { x: 0.8, y: 1.25 }; }
    if (type === 'land') this.squash = { x: 1.3, y: 0.75 };
    if (type === 'special') this.squash = { x: 1.2, y: 0.85 };
    if (type === 'pounce') { this.squash = { x: 1.35, y: 0.8 }; this.lunge = 4; }
  }

  // One presentation frame (1/60 s): advance the clock, relax squash towards 1.
  tick(player) {
    const name = this.animFor(player.state);
    if (name !== this.anim) { this.anim = name; this.time = 0; }
    this.time += 1000 / 60;
    this.sinceJump += 1;
    this.squash.x += (1 - this.squash.x) * 0.25;
    this.squash.y += (1 - this.squash.y) * 0.25;
    this.lunge = Math.max(0, this.lunge - 0.5);
  }

  animFor(state) {
    const name = state === 'fall' ? 'jump' : state;
    return this.anims[name] ? name : 'idle';
  }

  frame(player) {
    const frames = this.anims[this.anim].frames;
    if (this.anim === 'jump') return frames[this.jumpIndex(player, frames.length)];
    const total = frames.reduce((sum, f) => sum + (f.duration_ms || 100), 0);
    let t = this.anims[this.anim].loop ? this.time % total : Math.min(this.time, total - 1);
    for (const f of frames) {
      t -= f.duration_ms || 100;
      if (t < 0) return f;
    }
    return frames[frames.length - 1];
  }

  // Jump frames are anticipation, rise, apex, fall: picked by vertical speed, not by time.
  jumpIndex(player, n) {
    if (n < 4) return Math.min(n - 1, player.vy < 0 ? 0 : n - 1);
    if (this.sinceJump < 4 && player.vy < 0) return 0;
    if (player.vy < -1) return 1;
    if (player.vy <= 1) return 2;
    return 3;
  }

  // The title and victory screens show the pet big: full-resolution frames at a whole-number zoom.
  drawHero(hero, zoom = 4) {
    const f = this.frame({ vy: 0 });
    if (hero.width !== f.w * zoom) { hero.width = f.w * zoom; hero.height = f.h * zoom; }
    const ctx = hero.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, hero.width, hero.height);
    ctx.drawImage(this.full, f.x, f.y, f.w, f.h, 0, 0, hero.width, hero.height);
  }

  draw(ctx, player, cam, frameNo) {
    if (this.hidden) return; // the death beat: the pet is gone until it respawns
    if (player.invuln > 0 && player.state !== 'hurt' && Math.floor(frameNo / 4) % 2 === 0) return;
    const f = this.frame(player), k = this.k, [ox, oy] = this.offset;
    // The pounce lunge is presentation only: the sim's box never moves for it.
    const footX = Math.round(player.x + player.w / 2 + player.facing * Math.round(this.lunge) - cam.x);
    const footY = Math.round(player.y + player.h - cam.y);
    ctx.save();
    ctx.translate(footX, footY);
    // Flipping about the box's centre mirrors the hitbox onto itself, so facing left fits too.
    ctx.scale((player.facing < 0 ? -1 : 1) * this.squash.x, this.squash.y);
    ctx.drawImage(this.sheet, f.x / k, f.y / k, f.w / k, f.h / k, ox, oy, f.w / k, f.h / k);
    ctx.restore();
  }
}
