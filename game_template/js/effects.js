// Game feel that lives outside the simulation: screen shake, hit-stop, particles and score pop-ups.
// The main loop pauses sim steps during hit-stop; the sim itself never knows these exist.

import { drawText } from './font.js';
import { rng } from './themes.js';

const HIT_STOP_FRAMES = 4;

export class Effects {
  // special: how the special move looks ('rings' bark shockwave, 'pounce' dash, 'sparkle'), see species.js.
  constructor(seed, scores, special = 'rings') {
    this.scores = scores || {};
    this.special = special;
    this.trauma = 0;
    this.hitStop = 0;
    this.parts = [];
    this.texts = [];
    this.flash = 0;
    this.rand = rng(seed ^ 0xf00d);
  }

  clear() { this.parts = []; this.texts = []; this.trauma = 0; this.hitStop = 0; }

  // React to one sim event: world coordinates come from the event or the player.
  event(e, p) {
    const cx = p.x + p.w / 2, foot = p.y + p.h;
    if (e.type === 'jump') this.burst(cx, foot, 5, '#f4f4f4', 0.8, -0.2);
    if (e.type === 'land') this.burst(cx, foot, 6, '#e3e3e3', 1.0, -0.1);
    if (e.type === 'collect') { this.burst(e.x + 8, e.y + 8, 10, '#ffcd75', 1.4, -0.6); this.pop(e.x + 4, e.y, this.scores.treat); }
    if (e.type === 'stomp') { this.hit(2, 0.35); this.burst(e.x + 7, e.y + 6, 14, '#f4f4f4', 1.6, -0.5); this.pop(e.x + 2, e.y - 4, this.scores.stomp); }
    if (e.type === 'hurt') { this.hit(HIT_STOP_FRAMES, 0.6); this.flash = 6; }
    if (e.type === 'death') this.trauma = Math.min(1, this.trauma + 0.8);
    if (e.type === 'boss_hit') { this.hit(HIT_STOP_FRAMES + 2, 0.8); this.burst(cx, p.y, 16, '#b13e53', 2, -0.8); }
    if (e.type === 'special') this.specialMove(e, p);
    if (e.type === 'stun') this.burst(e.x + (e.boss ? 14 : 7), e.y, e.boss ? 10 : 6, '#ffcd75', 1.2, -0.8);
    if (e.type === 'checkpoint') this.burst(e.x * 16 + 8, e.y * 16, 12, '#38b764', 1.2, -1);
    if (e.type === 'goal' || e.type === 'won') this.burst(cx, p.y, 40, '#ffcd75', 2.4, -1.5);
  }

  hit(frames, trauma) {
    this.hitStop = Math.max(this.hitStop, frames);
    this.trauma = Math.min(1, this.trauma + trauma);
  }

  burst(x, y, n, colour, speed, lift) {
    for (let i = 0; i < n; i++) {
      const a = this.rand() * Math.PI * 2, s = speed * (0.4 + this.rand() * 0.6);
      this.parts.push({ x, y, vx: Math.cos(a) * s, vy: Math.sin(a) * s + lift, life: 18 + this.rand() * 14, colour });
    }
  }

  // Presentation only: the sim's bark radius is the same for every species.
  specialMove(e, p) {
    if (this.special === 'rings') { this.ring(e.x, e.y, 16); this.ring(e.x, e.y, 22); return; }
    if (this.special === 'sparkle') { this.ring(e.x, e.y, 16, '#f4f4f4'); this.burst(e.x, e.y, 14, '#ffcd75', 1.8, -0.4); return; }
    // Pounce: speed streaks trailing behind the cat, claw sparks ahead of it.
    const back = -(p.facing || 1);
    for (let i = 0; i < 6; i++) {
      const y = p.y + 2 + ((i * 5) % Math.max(4, p.h - 2));
      this.parts.push({ x: e.x + back * (4 + i * 3), y, vx: back * 1.6, vy: 0, life: 12 + i, streak: true, colour: '#f4f4f4' });
    }
    this.burst(e.x - back * (p.w / 2 + 4), e.y, 8, '#ffcd75', 1.2, -0.3);
  }

  // A shockwave ring; a longer life starts it later (the radius grows with 16 - life).
  ring(x, y, life = 16, colour = '#ffcd75') { this.parts.push({ x, y, vx: 0, vy: 0, life, ring: true, colour }); }

  pop(x, y, value) { if (value) this.texts.push({ x, y, life: 40, value }); }

  // One presentation frame: age everything, decay shake.
  tick() {
    this.trauma = Math.max(0, this.trauma - 0.04);
    if (this.flash > 0) this.flash--;
    for (const q of this.parts) { q.x += q.vx; q.y += q.vy; q.vy += q.ring || q.streak ? 0 : 0.08; q.life--; }
    this.parts = this.parts.filter((q) => q.life > 0);
    for (const t of this.texts) { t.y -= 0.4; t.life--; }
    this.texts = this.texts.filter((t) => t.life > 0);
  }

  // Shake offset in whole pixels; squared trauma makes small hits subtle and big ones punchy.
  shake() {
    const amount = this.trauma * this.trauma * 6;
    return [Math.round((this.rand() * 2 - 1) * amount), Math.round((this.rand() * 2 - 1) * amount)];
  }

  draw(ctx, cam) {
    for (const q of this.parts) {
      ctx.fillStyle = q.colour;
      if (q.ring) this.drawRing(ctx, q, cam);
      else if (q.streak) ctx.fillRect(Math.round(q.x - cam.x), Math.round(q.y - cam.y), Math.ceil(q.life / 3), 1);
      else ctx.fillRect(Math.round(q.x - cam.x), Math.round(q.y - cam.y), q.life > 10 ? 2 : 1, q.life > 10 ? 2 : 1);
    }
    // Points in the HUD's pixel font (font.js), gold with its drop shadow, rising from where they were won.
    for (const t of this.texts) drawText(ctx, `+${t.value}`, t.x - cam.x, t.y - cam.y, '#ffcd75');
  }

  drawRing(ctx, q, cam) {
    if (q.life > 16) return; // a delayed ring, not started yet
    const r = Math.round((16 - q.life) * 3);
    for (let i = 0; i < 24; i++) {
      const a = (i / 24) * Math.PI * 2;
      ctx.fillRect(Math.round(q.x - cam.x + Math.cos(a) * r), Math.round(q.y - cam.y + Math.sin(a) * r), 2, 2);
    }
  }
}
