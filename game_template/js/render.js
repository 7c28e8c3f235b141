// Drawing one frame: a low-resolution buffer (background, tiles, things, pet, HUD) blitted to the
// screen canvas at a whole-number scale with smoothing off, so every art pixel is a crisp square.

import { canvas } from './themes.js';
import { drawText } from './font.js';
import { lockContext } from './palette.js';

const TARGET_SHORT_SIDE = 220; // about this many logical pixels across the screen's short side

export class Renderer {
  constructor(screen, stage) {
    this.screen = screen;
    this.stage = stage;
    this.ctx = lockContext(screen.getContext('2d', { alpha: false })); // palette styles: palette colours only
    this.view = { w: 320, h: 180 };
    this.resize();
  }

  // Device pixels in, logical view out: the whole-number scale that shows about TARGET_SHORT_SIDE
  // logical pixels across the short side; the camera follows vertically when a level is taller.
  resize(worldH = this.worldH || 0) {
    this.worldH = worldH;
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.stage.clientWidth || 320, cssH = this.stage.clientHeight || 180;
    const devW = Math.round(cssW * dpr), devH = Math.round(cssH * dpr);
    this.scale = Math.max(1, Math.round(Math.min(devW, devH) / TARGET_SHORT_SIDE));
    // Tall portrait screens: zoom in until the level's height (plus a strip of sky) fills the view.
    if (worldH && devH > devW) this.scale = Math.max(this.scale, Math.floor(devH / (worldH + 40)));
    this.view = { w: Math.ceil(devW / this.scale), h: Math.ceil(devH / this.scale) };
    this.screen.width = devW;
    this.screen.height = devH;
    this.screen.style.width = `${cssW}px`;
    this.screen.style.height = `${cssH}px`;
    [this.buffer, this.g] = canvas(this.view.w, this.view.h);
    this.ctx.imageSmoothingEnabled = false;
  }

  frame(scene) {
    const { g, view } = this;
    const [sx, sy] = scene.effects.shake();
    const cam = { x: scene.camera.x + sx, y: scene.camera.y + sy };
    const w = scene.world;
    scene.background.draw(g, view, cam, w.height * w.tileSize, scene.tick);
    scene.tiles.draw(g, w, cam, view);
    this.things(g, scene, cam);
    scene.pet.draw(g, w.player, cam, scene.tick);
    scene.effects.draw(g, cam, scene.sprites);
    if (scene.effects.flash > 0) { g.fillStyle = 'rgba(177, 62, 83, 0.25)'; g.fillRect(0, 0, view.w, view.h); }
    this.hud(g, scene);
    this.ctx.drawImage(this.buffer, 0, 0, view.w * this.scale, view.h * this.scale);
  }

  things(g, scene, cam) {
    const w = scene.world, img = scene.sprites.img, t = scene.tick, s = w.tileSize;
    const at = (im, x, y, flip = false) => blit(g, im, Math.round(x - cam.x), Math.round(y - cam.y), flip);
    if (!w.isBoss) at(img.house, w.goal.x * s - 4, (w.goal.y + 1) * s - 22);
    for (const it of w.items) {
      if (it.type === 'checkpoint') at(it.taken ? img.flagOn : img.flagOff, it.x + 2, it.y);
      else if (!it.taken) at(img.treat, it.x + 2, it.y + 5 + Math.round(Math.sin((t + it.x) / 10) * 1.5));
    }
    for (const e of w.enemies) {
      if (!e.alive) continue;
      const frame = e.stun > 0 ? 'stun' : Math.floor(t / (e.type === 'flyer' ? 6 : 8)) % 2;
      at(scene.sprites.enemy(w.theme, e.type, frame), e.x, e.y, e.facing < 0);
      if (e.stun > 0) dazed(g, e.x + e.w / 2 - cam.x, e.y - cam.y, t);
    }
    const b = w.boss;
    if (b && b.alive) {
      // The wind-up before each attack: the boss shakes and a "!" blinks over it.
      const shake = b.mode === 'windup' ? (t % 4 < 2 ? -1 : 1) : 0;
      at(scene.sprites.boss(w.theme, b, b.invuln > 0 && t % 8 < 4), b.x + shake, b.y, b.dir > 0);
      if (b.mode === 'windup' && t % 10 < 7) warnMark(g, Math.round(b.x + b.w / 2 - cam.x), Math.round(b.y - cam.y) - 11);
      if (b.mode === 'stunned') dazed(g, b.x + b.w / 2 - cam.x, b.y - cam.y, t);
    } else if (b && b.defeat > 0) {
      // The defeat beat (sim.js: boss.defeat frames left): the boss flashes and bursts, then is gone.
      const done = 1 - b.defeat / w.physics.boss.defeat_frames;
      if (done < 0.6) at(scene.sprites.boss(w.theme, b, t % 6 < 3), b.x + (t % 4 < 2 ? -1 : 1), b.y, b.dir > 0);
      burst(g, b.x + b.w / 2 - cam.x, b.y + b.h / 2 - cam.y, done, t);
    }
    for (const p of w.projectiles) at(img.shot, p.x, p.y);
  }

  hud(g, scene) {
    const w = scene.world, p = w.player, img = scene.sprites.img;
    for (let i = 0; i < p.maxHp; i++) g.drawImage(i < p.hp ? img.heart : img.heartEmpty, 4 + i * 9, 4);
    // Lives and score in the pixel font (font.js), each after its icon.
    g.drawImage(img.paw, 4, 13);
    const x = 13 + drawText(g, String(w.lives), 13, 13) + 6;
    g.drawImage(img.treat, x, 12);
    drawText(g, String(w.score), x + img.treat.width + 3, 13, '#ffcd75');
    if (w.boss && w.boss.alive) this.bossBar(g, w.boss, scene.sprites.boss(w.theme, w.boss));
  }

  bossBar(g, b, icon) {
    // Narrow (portrait) views: a row of its own under the HUD, clear of the hearts and top buttons.
    const narrow = this.view.w < 260;
    const width = narrow ? this.view.w - 40 : 120, x = narrow ? 26 : Math.round((this.view.w - width) / 2);
    const y = narrow ? 28 : 6;
    g.drawImage(icon, x - 17, y - 4, Math.min(16, Math.round((icon.width * 12) / icon.height)), 12);
    g.fillStyle = '#1a1c2c';
    g.fillRect(x - 1, y - 1, width + 2, 7);
    g.fillStyle = '#5d275d';
    g.fillRect(x, y, width, 5);
    g.fillStyle = b.invuln > 0 ? '#f4f4f4' : '#b13e53';
    g.fillRect(x, y, Math.round((width * Math.max(0, b.hp)) / b.maxHp), 5);
    g.fillStyle = '#ef7d57';
    g.fillRect(x, y, Math.round((width * Math.max(0, b.hp)) / b.maxHp), 1);
  }
}

// The boss's defeat: rings of pixel sparks that grow and fade as `done` goes 0 -> 1.
function burst(g, cx, cy, done, t) {
  const colours = ['#ffec27', '#ef7d57', '#f4f4f4'];
  for (let ring = 0; ring < 3; ring++) {
    const r = Math.max(0, done * 40 - ring * 8);
    if (r <= 0 || done > 0.95) continue;
    g.fillStyle = colours[(ring + (t >> 2)) % 3];
    for (let i = 0; i < 10; i++) {
      const a = (i * Math.PI) / 5 + ring * 0.3;
      g.fillRect(Math.round(cx + Math.cos(a) * r) - 1, Math.round(cy + Math.sin(a) * r * 0.8) - 1, 3 - ring, 3 - ring);
    }
  }
}

// Three stars circling over a stunned head.
function dazed(g, cx, top, t) {
  g.fillStyle = '#ffcd75';
  for (let i = 0; i < 3; i++) {
    const a = t / 8 + (i * 2 * Math.PI) / 3;
    g.fillRect(Math.round(cx + Math.cos(a) * 6) - 1, Math.round(top - 4 + Math.sin(a) * 2), 2, 2);
  }
}

// A pixel "!" (2x9) over the boss: an attack is coming.
function warnMark(g, x, y) {
  g.fillStyle = '#1a1c2c';
  g.fillRect(x - 2, y - 1, 4, 11);
  g.fillStyle = '#ffec27';
  g.fillRect(x - 1, y, 2, 6);
  g.fillRect(x - 1, y + 7, 2, 2);
}

function blit(g, im, x, y, flip) {
  if (!flip) { g.drawImage(im, x, y); return; }
  g.save();
  g.translate(x + im.width, y);
  g.scale(-1, 1);
  g.drawImage(im, 0, 0);
  g.restore();
}
