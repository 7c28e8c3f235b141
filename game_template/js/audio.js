// Sound: tiny WebAudio synth effects for sim events (synth.js), a chiptune loop per theme (music.js)
// while playing, and a mute toggle (effects and music) remembered by the browser (localStorage).
// Silent until the first user gesture, as browsers require; nothing is downloaded. The special move
// speaks with the hero's voice: a bark (dog), a meow (cat) or a chirp (other).

const STORE_KEY = 'petpixel-muted';
// The effects synth.js plays (a test keeps the lists equal): counted as played, with or without it.
export const EFFECTS = ['jump', 'land', 'collect', 'stomp', 'hurt', 'death', 'checkpoint', 'bark', 'meow', 'chirp',
  'boss_hit', 'goal', 'won'];

function remembered() {
  try { return localStorage.getItem(STORE_KEY) === '1'; } catch { return false; }
}

export class Audio {
  constructor(voice = 'bark') {
    this.ctx = null;
    this.muted = remembered();
    this.voice = voice;
    this.played = {}; // sound name -> times played (read by tests through window.PETPIXEL)
    this.music = null;
    this.tune = null; // the theme whose loop should play now, or null (not playing)
    // music.js is not needed for the first frame: packaged, it comes in the late chunk after it.
    // Until it arrives (or if it never does) the effects play without the loop.
    this.Music = null;
    import('./music.js').then(({ Music }) => { this.Music = Music; this.updateMusic(); }, () => {});
    // So is the effects' synth (synth.js): no sound is audible before the first user gesture anyway.
    // Until it arrives the effects count as played (window.PETPIXEL.sounds) but stay silent.
    this.synth = null;
    this.Synth = null;
    import('./synth.js').then(({ Synth }) => { this.Synth = Synth; this.connectSynth(); }, () => {});
  }

  // The game's screen changed: the theme's loop while playing, silence on menus and pauses.
  scene(status, themeName) {
    this.tune = status === 'playing' ? themeName : null;
    this.updateMusic();
  }

  updateMusic() {
    if (!this.ctx || !this.Music) return;
    if (!this.music) {
      // Reduced motion: a calmer mix without the drums.
      const calm = !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      this.music = new this.Music(this.ctx, this.master, { calm });
    }
    if (this.tune && !this.muted) this.music.play(this.tune);
    else this.music.stop();
  }

  // Called from a user gesture handler: only then may a page start an AudioContext.
  unlock() {
    if (this.ctx || !(window.AudioContext || window.webkitAudioContext)) return;
    this.ctx = new (window.AudioContext || window.webkitAudioContext)();
    this.master = this.ctx.createGain();
    this.master.gain.value = this.muted ? 0 : 0.6;
    this.master.connect(this.ctx.destination);
    this.connectSynth();
    this.updateMusic();
  }

  connectSynth() {
    if (this.ctx && this.Synth && !this.synth) this.synth = new this.Synth(this.ctx, this.master);
  }

  toggle() {
    this.muted = !this.muted;
    try { localStorage.setItem(STORE_KEY, this.muted ? '1' : '0'); } catch { /* private mode: session only */ }
    if (this.master) this.master.gain.value = this.muted ? 0 : 0.6;
    this.updateMusic(); // muted: no notes are scheduled at all
    return this.muted;
  }

  play(event) {
    const name = event === 'special' ? this.voice : event;
    if (!this.ctx || this.muted || !EFFECTS.includes(name)) return;
    this.played[name] = (this.played[name] || 0) + 1;
    this.synth?.play(name, this.ctx.currentTime);
  }
}
