// Drawing one frame straight into the screen canvas, whose backing store is the game's own low
// resolution (the logical view); CSS scales it up with `image-rendering: pixelated`, so every art
// pixel stays a crisp square and no frame is upscaled by hand onto a device-pixel canvas.

import { ROWS, rowsFor, viewFor } from './camera.js';
import { drawText } from './font.js';
import { lockContext } from './palette.js';

const FLASH = 'rgba(177, 62, 83, 0.25)';

export class Renderer {
  // touch: a phone or tablet (shows the rotate hint in portrait).
  constructor(screen, stage, { touch = false } = {}) {
    this.screen = screen;
    this.stage = stage;
    this.ctx = lockContext(screen.getContext('2d', { alpha: false })); // palette styles: palette colours only
    this.g = this.ctx;
    this.view = { w: 320, h: 180 };
    this.rows = ROWS[1];
    this.hint = touch ? new RotateHint(stage) : null;
    this.resize();
  }

  // Stage size in, logical view out (see camera.js viewFor). `world`: the level now shown, whose
  // content decides how many rows a portrait or high-DPR view is tall; without one, the last level's.
  resize(world) {
    if (world && typeof world === 'object') this.rows = rowsFor(world);
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.stage.clientWidth || 320, cssH = this.stage.clientHeight || 180;
    const { w, h, scale } = viewFor(cssW, cssH, dpr, this.rows);
    if (this.screen.width !== w || this.screen.height !== h) {
      this.screen.width = w; // resets the context: smoothing off again below
      this.screen.height = h;
    }
    this.ctx.imageSmoothingEnabled = false;
    this.view = { w, h };
    this.scale = scale / dpr; // CSS px per logical px, the same across and down
    const boxW = w * this.scale, boxH = h * this.scale;
    // A portrait view shorter than the stage sits in its middle, on whole device pixels.
    const top = boxH < cssH ? Math.round(((cssH - boxH) / 2) * dpr) / dpr : 0;
    Object.assign(this.screen.style, { width: `${boxW}px`, height: `${boxH}px`, top: `${top}px` });
    this.hint?.place(cssH > cssW, top + boxH, cssH);
  }

  frame(scene) {
    const { g, view } = this;
    const [sx, sy] = scene.effects.shake();
    const cam = this.cam || (this.cam = { x: 0, y: 0 });
    cam.x = scene.camera.x + sx;
    cam.y = scene.camera.y + sy;
    const w = scene.world;
    scene.background.draw(g, view, cam, w.height * w.tileSize, scene.tick);
    scene.tiles.draw(g, w, cam, view);
    this.things(g, scene, cam);
    scene.pet.draw(g, w.player, cam, scene.tick);
    scene.effects.draw(g, cam, scene.sprites);
    if (scene.effects.flash > 0) { g.fillStyle = FLASH; g.fillRect(0, 0, view.w, view.h); }
    this.hud(g, scene);
  }

  things(g, scene, cam) {
    const w = scene.world, img = scene.sprites.img, t = scene.tick, s = w.tileSize;
    const at = (im, x, y, flip = false) => blit(g, im, Math.round(x - cam.x), Math.round(y - cam.y), flip);
    // Only what can show: a long level costs the same per frame as a short one.
    const left = cam.x - 32, right = cam.x + this.view.w + 32;
    if (!w.isBoss) at(img.house, w.goal.x * s - 4, (w.goal.y + 1) * s - 22);
    for (const it of w.items) {
      if (it.x < left || it.x > right) continue;
      if (it.type === 'checkpoint') at(it.taken ? img.flagOn : img.flagOff, it.x + 2, it.y);
      else if (!it.taken) at(img.treat, it.x + 2, it.y + 5 + Math.round(Math.sin((t + it.x) / 10) * 1.5));
    }
    for (const e of w.enemies) {
      if (!e.alive || e.x < left || e.x > right) continue;
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

// A small note under the game on portrait phones: turning the phone shows more of the level. It sits
// in the free band below the view (never over the game), closes with its button and stays closed
// for the visit; its phone icon tilts unless the player asks for reduced motion (game.css).
class RotateHint {
  constructor(stage) {
    const el = document.createElement('div');
    el.id = 'rotate-hint';
    el.className = 'hint';
    el.hidden = true;
    const icon = document.createElement('span');
    icon.className = 'hint-icon';
    icon.setAttribute('aria-hidden', 'true');
    const text = document.createElement('p');
    text.textContent = 'Turn your phone sideways to see more of the level.';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'hint-close';
    close.setAttribute('aria-label', 'Dismiss the tip to turn the phone');
    close.textContent = '\u00d7';
    close.addEventListener('click', () => {
      this.closed = true;
      el.hidden = true;
      try { sessionStorage.setItem(RotateHint.KEY, '1'); } catch { /* storage blocked: closed for now */ }
    });
    el.append(icon, text, close);
    stage.append(el);
    this.el = el;
    try { this.closed = sessionStorage.getItem(RotateHint.KEY) === '1'; } catch { this.closed = false; }
  }

  // portrait: the stage is taller than wide; below: CSS px from the stage's top to the view's
  // bottom; height: the stage's. Shown only where the band under the view has room for it.
  place(portrait, below, height) {
    const room = height - below;
    this.el.hidden = this.closed || !portrait || room < 64;
    if (!this.el.hidden) this.el.style.top = `${Math.round(below + Math.min(24, (room - 56) / 2))}px`;
  }
}
RotateHint.KEY = 'petpixel:rotate-hint-closed';
