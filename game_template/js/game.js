// The game's screens and loop: title -> playing <-> paused -> level_complete -> ... -> won/game_over.
// Fixed 60 Hz sim steps from an accumulator, rendering once per display frame, hit-stop between steps.

import { createWorld, step } from './sim.js';
import { Background } from './background.js';
import { Camera } from './camera.js';
import { Effects } from './effects.js';
import { Pet } from './pet.js';
import { BestScore, Tally, bestKey, combine } from './recap.js';
import { RunRecorder } from './runs.js';
import { SPECIES, speciesOf } from './species.js';
import { Sprites } from './sprites.js';
import { TileSet } from './tiles.js';

const STEP_MS = 1000 / 60;
const MAX_STEPS_PER_FRAME = 8; // after a long stall, skip ahead instead of fast-forwarding
const MENU_GRACE_TICKS = 20; // a key still held from play must not skip the next screen
// Beats, in ticks (1/60 s): a moment to breathe before a screen covers the game. The sim itself
// plays the boss-defeat beat (physics.json boss.defeat_frames) before it reports 'won', so the
// win screen comes 60 + 45 ticks (1.75 s) after the last stomp.
const BEATS = { level: 30, won: 45, gameOver: 60 };
const DEATH_HOLD = 45; // after losing a life: the camera stays where it happened, the pet is gone...
const RESPAWN_PAUSE = 30; // ...then it reappears at the checkpoint, blinking, before play resumes
const CLIP_EVERY = 6; // the share GIF: one frame every 6 ticks (10 fps) of the last level

// Local storage can be missing or throw (private modes, sandboxed frames): no best score then.
function storage() {
  try { return window.localStorage; } catch { return undefined; }
}

const reducedMotion = () => !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

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
    this.pending = null; // {at, show}: a screen waiting for its beat
    this.beat = null; // {left, hold}: the death beat, sim frozen
    this.recaps = [];
    this.lastRecap = null;
    this.best = new BestScore(storage(), bestKey(data));
    this.runs = new RunRecorder({ storage: storage() }); // verified runs: the trace sent at each level's end
    this.result = null;
    if (this.runs.online) ui.actions.board = (level) => this.runs.board(level); // the Leaderboard buttons
    // share.js (the GIF, the card, Web Share) is for the end screen: packaged, it comes in the late
    // chunk after the first frame. Until then nothing is recorded; without it no GIF, and Share
    // shows the link to copy.
    this.clip = null;
    this.sharing = import('./share.js');
    this.sharing.then(({ Clip }) => { this.clip = new Clip(); }, () => {});
    this.gifUrl = null;
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
    this.tally = new Tally(level, score);
    this.runs.start(index, lives);
    this.beat = null;
    this.pending = null;
    if (index === this.data.levels.length - 1) this.clip?.reset();
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
    this.renderer.resize(this.world); // the view's rows follow the level's content
    this.camera.snap(this.world, this.renderer.view);
  }

  setStatus(status) {
    this.status = status;
    this.shownAt = this.tick;
    this.input.clearLatches();
    this.audio.scene?.(status, this.themeName); // the theme's music loop while playing
    this.onStatus?.(status);
  }

  announce() {
    const w = this.world;
    this.ui.announce(`Level ${this.levelIndex + 1} of ${this.data.levels.length}. Score ${w.score}. Lives ${w.lives}. Health ${w.player.hp} of ${w.player.maxHp}.`);
  }

  anyInput(action) {
    this.audio.unlock();
    if (action === 'pause' || this.pending || this.tick - this.shownAt < MENU_GRACE_TICKS) return;
    if (this.status === 'title') this.play();
    else if (this.status === 'level_complete') this.nextLevel();
    else if (this.status === 'game_over') this.retry();
  }

  play() {
    this.ui.hide();
    if (!this.beat) { this.ui.endBeat(); this.pet.hidden = false; } // unpausing mid-beat keeps it
    this.setStatus('playing');
  }

  finishLevel() {
    this.lastRecap = this.tally.summary(this.world);
    this.recaps.push(this.lastRecap);
    return this.lastRecap;
  }

  showWon() {
    this.lastRecap = combine(this.recaps);
    const shown = (more) => this.ui.won({ recap: this.lastRecap, best: this.result, again: () => this.restart(), ...more });
    this.sharing.then(({ sharingFor }) => shown(sharingFor(this)), () => shown({ share: async () => 'failed', gif: null }));
  }

  nextLevel() {
    this.loadLevel(this.levelIndex + 1, this.world.lives, this.world.score);
    this.play();
  }

  retry() {
    this.loadLevel(this.levelIndex, this.physics.lives, this.levelStart.score);
    this.play();
  }

  restart() {
    this.recaps = [];
    this.loadLevel(0, this.physics.lives, 0);
    this.play();
  }

  togglePause() {
    if (this.pending) return; // a beat runs to its screen
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
    this.record();
    if (this.status === 'title' || this.status === 'won') this.pet.drawHero(this.hero);
  }

  update() {
    this.tick += 1;
    if (this.pending && this.tick >= this.pending.at) this.showPending();
    if (this.effects.hitStop > 0) { this.effects.hitStop -= 1; return; }
    if (this.status === 'playing' && this.beat) this.deathBeat();
    else if (this.status === 'playing') { this.simStep(); this.announce(); }
    this.pet.tick(this.world.player);
    this.effects.tick();
    if (!this.beat || this.beat.left <= RESPAWN_PAUSE) this.camera.update(this.world, this.renderer.view);
  }

  // Show `show()` after `ticks` of the scene carrying on behind (particles, the pet, the camera).
  later(ticks, show) { this.pending = { at: this.tick + ticks, show }; }

  showPending() {
    const { show } = this.pending;
    this.pending = null;
    this.shownAt = this.tick;
    this.input.clearLatches();
    show();
  }

  // Losing a life: hold on the spot (pet hidden), then the respawn point with the pet blinking.
  startDeathBeat() {
    this.beat = { left: DEATH_HOLD + RESPAWN_PAUSE };
    this.pet.hidden = true;
    this.ui.beat(`Ouch! ${this.world.lives} ${this.world.lives === 1 ? 'life' : 'lives'} left`);
  }

  deathBeat() {
    this.beat.left -= 1;
    if (this.beat.left === RESPAWN_PAUSE) {
      this.pet.hidden = false;
      // Reduced motion: cut to the respawn point instead of gliding there.
      if (reducedMotion()) this.camera.snap(this.world, this.renderer.view);
    }
    if (this.beat.left > 0) return;
    this.beat = null;
    this.ui.endBeat();
    this.input.clearLatches();
  }

  // The share GIF's frames: the last level and the beat after it, a frame every CLIP_EVERY ticks.
  record() {
    const lastLevel = this.levelIndex === this.data.levels.length - 1;
    const live = this.status === 'playing' || (this.status === 'won' && this.pending);
    if (!this.clip || !lastLevel || !live || this.tick === this.clipTick || this.tick % CLIP_EVERY) return;
    this.clipTick = this.tick;
    this.clip.capture(this.renderer.buffer || this.renderer.screen);
  }

  simStep() {
    const input = this.input.read();
    this.runs.record(input);
    const events = step(this.world, input);
    for (const e of events) {
      this.tally.event(e);
      this.audio.play(e.type);
      this.effects.event(e, this.world.player);
      this.pet.event(e.type === 'special' && this.kind.special === 'pounce' ? 'pounce' : e.type);
    }
    const s = this.world.status;
    if (s !== 'playing') this.runs.finish(this.world, this.world.score - this.levelStart.score); // result: the recap's
    if (s === 'won' || (s === 'level_complete' && this.levelIndex === this.data.levels.length - 1)) {
      this.finishLevel();
      this.result = this.best.submit(this.world.score); // saved now: a reload during the beat keeps it
      Object.assign(this.result, { server: this.runs.result, level: this.levelIndex }); // the board's word, when it comes
      this.setStatus('won');
      this.later(BEATS.won, () => this.showWon());
    } else if (s === 'level_complete') {
      const recap = this.finishLevel();
      this.setStatus('level_complete');
      this.later(BEATS.level, () => this.ui.levelComplete(this.levelIndex, recap, this.runs.result));
    } else if (s === 'dead') {
      this.setStatus('game_over');
      this.later(BEATS.gameOver, () => this.ui.gameOver(this.world.score, () => this.retry()));
    } else if (events.some((e) => e.type === 'death')) {
      this.startDeathBeat();
    }
  }
}
