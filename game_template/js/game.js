// The game's screens and loop: title -> playing <-> paused -> level_complete -> ... -> won/game_over.
// Fixed 60 Hz sim steps from an accumulator, rendering once per display frame, hit-stop between steps.

import { createWorld, step } from './sim.js';
import { Background } from './background.js';
import { Camera } from './camera.js';
import { Effects } from './effects.js';
import { Pet } from './pet.js';
import { SPECIES, speciesOf } from './species.js';
import { Sprites } from './sprites.js';
import { TileSet } from './tiles.js';

const STEP_MS = 1000 / 60;
const MAX_STEPS_PER_FRAME = 8; // after a long stall, skip ahead instead of fast-forwarding
const MENU_GRACE_TICKS = 20; // a key still held from play must not skip the next screen

export class Game {
  constructor({ data, atlas, sheet, renderer, input, audio, ui }) {
    Object.assign(this, { data, renderer, input, audio, ui });
    this.physics = data.physics;
    this.species = speciesOf(data.species);
    this.kind = SPECIES[this.species];
    this.sprites = new Sprites(this.kind.collectible);
    this.pet = new Pet(atlas, sheet, data.hero);
    this.camera = new Camera();
    this.effects = new Effects(data.seed, this.physics.score, this.kind.special);
    this.status = 'title';
    this.hero = document.getElementById('hero');
    this.tick = 0;
    this.shownAt = 0;
    this.acc = 0;
    this.last = null;
    this.loadLevel(0, this.physics.lives, 0);
    input.on('any', (action) => this.anyInput(action));
    input.on('pause', () => this.togglePause());
    ui.actions.tap = () => this.anyInput('tap');
    ui.title();
  }

  loadLevel(index, lives, score) {
    const level = this.data.levels[index];
    const themeName = level.theme || this.data.theme;
    this.levelIndex = index;
    this.levelStart = { lives, score };
    this.world = createWorld(level, this.physics, this.data.seed);
    // Lives and score run across levels; the sim starts each level fresh, so carry them in.
    this.world.lives = lives;
    this.world.score = score;
    if (themeName !== this.themeName) {
      this.themeName = themeName;
      this.background = new Background(themeName, this.data.seed);
      this.tiles = new TileSet(themeName, this.world.tileSize);
    }
    this.effects.clear();
    const worldH = this.world.height * this.world.tileSize;
    if (worldH !== this.renderer.worldH) this.renderer.resize(worldH);
    this.camera.snap(this.world, this.renderer.view);
  }

  setStatus(status) {
    this.status = status;
    this.shownAt = this.tick;
    this.input.clearLatches();
    this.onStatus?.(status);
  }

  announce() {
    const w = this.world;
    this.ui.announce(`Level ${this.levelIndex + 1} of ${this.data.levels.length}. Score ${w.score}. Lives ${w.lives}. Health ${w.player.hp} of ${w.player.maxHp}.`);
  }

  anyInput(action) {
    this.audio.unlock();
    if (action === 'pause' || this.tick - this.shownAt < MENU_GRACE_TICKS) return;
    if (this.status === 'title') this.play();
    else if (this.status === 'level_complete') this.nextLevel();
    else if (this.status === 'game_over') this.retry();
  }

  play() { this.ui.hide(); this.setStatus('playing'); }

  nextLevel() {
    this.loadLevel(this.levelIndex + 1, this.world.lives, this.world.score);
    this.play();
  }

  retry() {
    this.loadLevel(this.levelIndex, this.physics.lives, this.levelStart.score);
    this.play();
  }

  restart() {
    this.loadLevel(0, this.physics.lives, 0);
    this.play();
  }

  togglePause() {
    if (this.status === 'playing') { this.setStatus('paused'); this.ui.paused(() => this.togglePause()); }
    else if (this.status === 'paused') this.play();
  }

  // requestAnimationFrame callback: whole sim steps for the time that passed, then one render.
  frame(now) {
    if (this.last === null) this.last = now;
    this.acc += Math.min(250, now - this.last);
    this.last = now;
    let steps = 0;
    while (this.acc >= STEP_MS - 1e-6 && steps < MAX_STEPS_PER_FRAME) {
      this.acc -= STEP_MS;
      steps += 1;
      this.update();
    }
    if (steps === MAX_STEPS_PER_FRAME) this.acc = 0;
    this.renderer.frame(this);
    if (this.status === 'title' || this.status === 'won') this.pet.drawHero(this.hero);
  }

  update() {
    this.tick += 1;
    if (this.effects.hitStop > 0) { this.effects.hitStop -= 1; return; }
    if (this.status === 'playing') { this.simStep(); this.announce(); }
    this.pet.tick(this.world.player);
    this.effects.tick();
    this.camera.update(this.world, this.renderer.view);
  }

  simStep() {
    for (const e of step(this.world, this.input.read())) {
      this.audio.play(e.type);
      this.effects.event(e, this.world.player);
      this.pet.event(e.type === 'special' && this.kind.special === 'pounce' ? 'pounce' : e.type);
    }
    const s = this.world.status;
    if (s === 'won' || (s === 'level_complete' && this.levelIndex === this.data.levels.length - 1)) {
      this.setStatus('won');
      this.ui.won(this.world.score, () => this.restart());
    } else if (s === 'level_complete') {
      this.setStatus('level_complete');
      this.ui.levelComplete(this.levelIndex, this.world.score);
    } else if (s === 'dead') {
      this.setStatus('game_over');
      this.ui.gameOver(this.world.score, () => this.retry());
    }
  }
}
