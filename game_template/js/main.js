// Entry point: load the game files, wire input, sound, screens and renderer, start the frame loop,
// and publish the read-only window.PETPIXEL snapshot for tests and embedding pages.

import { Audio } from './audio.js';
import { loadGame } from './assets.js';
import { Game } from './game.js';
import { Input, attachTouch, isTouchDevice } from './input.js';
import { setStyle, styleDocument } from './palette.js';
import { Renderer } from './render.js';
import { SPECIES, speciesOf } from './species.js';
import { UI } from './ui.js';

function installHook(game) {
  const hook = Object.freeze({
    get status() { return game.status; },
    get level() { return game.levelIndex; },
    get x() { return game.world.player.x; },
    get y() { return game.world.player.y; },
    get lives() { return game.world.lives; },
    get score() { return game.world.score; },
    get seed() { return game.data.seed; },
    get frame() { return game.world.frame; },
    get species() { return game.species; },
    get collectible() { return game.sprites.collectible; },
    get sounds() { return Object.freeze({ ...game.audio.played }); },
    // The recap on (or coming to) the screen, the death beat's ticks left, the saved best score.
    get recap() { return game.lastRecap && JSON.parse(JSON.stringify(game.lastRecap)); },
    get beat() { return game.beat ? game.beat.left : 0; },
    get best() { return game.best.read(); },
    // What the screen shows, in world px: {x, y, w, h} (the view is the canvas's backing store).
    get camera() { const c = game.camera, v = game.renderer.view; return Object.freeze({ x: c.x, y: c.y, w: v.w, h: v.h }); },
    get boss() { const b = game.world.boss; return b && Object.freeze({ x: b.x, y: b.y, w: b.w, h: b.h, mode: b.mode, alive: b.alive }); },
  });
  Object.defineProperty(window, 'PETPIXEL', { value: hook, enumerable: true });
}

function wireButtons(game, audio) {
  const mute = document.getElementById('mute-button');
  mute.setAttribute('aria-pressed', String(audio.muted));
  mute.addEventListener('click', () => { audio.unlock(); mute.setAttribute('aria-pressed', String(audio.toggle())); });
  const pause = document.getElementById('pause-button');
  pause.addEventListener('click', () => game.togglePause());
  game.onStatus = (status) => pause.setAttribute('aria-pressed', String(status === 'paused'));
  document.addEventListener('visibilitychange', () => { if (document.hidden && game.status === 'playing') game.togglePause(); });
}

// The touch special button says what the move is: "Bark!", "Meow!" or "Chirp!".
function labelSpecial(kind) {
  const button = document.querySelector('[data-action="special"]');
  button.textContent = kind.cry;
  button.setAttribute('aria-label', `${kind.cry.slice(0, -1)} (Special)`);
}

async function boot() {
  // The overlay's pixel font is not needed for the first frame (the fallback font stands in).
  import('./fontface.js').then(({ installFont }) => installFont(), () => {});
  const touch = isTouchDevice();
  const stage = document.getElementById('stage');
  document.getElementById('touch').hidden = !touch;
  const input = new Input();
  input.attach(window);
  if (touch) attachTouch(input, document.getElementById('touch'));
  const audio = new Audio();
  for (const kind of ['pointerdown', 'keydown']) window.addEventListener(kind, () => audio.unlock(), { once: true });
  let ui = null;
  try {
    const { game: data, atlas, sheet } = await loadGame();
    setStyle(data.style); // palette styles: the whole world and the overlay in the style's palette
    styleDocument();
    const kind = SPECIES[speciesOf(data.species)];
    audio.voice = kind.voice;
    labelSpecial(kind);
    ui = new UI({ petName: data.pet_name, touch, levelCount: data.levels.length, word: kind.word });
    const renderer = new Renderer(document.getElementById('screen'), stage, { touch });
    const game = new Game({ data, atlas, sheet, renderer, input, audio, ui });
    installHook(game);
    wireButtons(game, audio);
    window.addEventListener('resize', () => { renderer.resize(); game.camera.snap(game.world, renderer.view); });
    let first = true;
    const loop = (now) => {
      game.frame(now);
      // A named mark lets benchmarks read time to first frame without touching game state; the
      // event lets the packaged page fetch the code the first frame did not need (the late chunk).
      if (first) { performance.mark('petpixel:first-frame'); dispatchEvent(new Event('petpixel:first-frame')); first = false; }
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  } catch (err) {
    (ui || new UI({ petName: '', touch, levelCount: 0 })).error(err.message || String(err));
  }
}

boot();
