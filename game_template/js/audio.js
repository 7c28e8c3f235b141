// Sound: tiny WebAudio synth effects for sim events, a mute toggle remembered by the browser.
// Silent until the first user gesture, as browsers require; nothing is downloaded.

const STORE_KEY = 'petpixel-muted';

// Each effect: [wave, start Hz, end Hz, seconds, volume, noise?]; a list plays one after another.
const SOUNDS = {
  jump: [['square', 300, 620, 0.12, 0.12]],
  land: [['triangle', 140, 60, 0.06, 0.15]],
  collect: [['square', 880, 880, 0.05, 0.1], ['square', 1320, 1320, 0.08, 0.1]],
  stomp: [['square', 420, 90, 0.14, 0.16]],
  hurt: [['sawtooth', 300, 80, 0.25, 0.14], ['noise', 0, 0, 0.08, 0.1]],
  death: [['triangle', 440, 60, 0.6, 0.2]],
  checkpoint: [['square', 523, 523, 0.07, 0.1], ['square', 659, 659, 0.07, 0.1], ['square', 784, 784, 0.12, 0.1]],
  special: [['noise', 0, 0, 0.05, 0.14], ['sawtooth', 520, 260, 0.12, 0.14]],
  boss_hit: [['noise', 0, 0, 0.1, 0.2], ['square', 200, 60, 0.2, 0.16]],
  goal: [['square', 523, 523, 0.1, 0.1], ['square', 659, 659, 0.1, 0.1], ['square', 784, 784, 0.1, 0.1], ['square', 1046, 1046, 0.3, 0.1]],
  won: [['square', 392, 392, 0.12, 0.1], ['square', 523, 523, 0.12, 0.1], ['square', 659, 659, 0.12, 0.1], ['square', 1046, 1046, 0.5, 0.12]],
};

function remembered() {
  try { return localStorage.getItem(STORE_KEY) === '1'; } catch { return false; }
}

export class Audio {
  constructor() {
    this.ctx = null;
    this.muted = remembered();
  }

  // Called from a user gesture handler: only then may a page start an AudioContext.
  unlock() {
    if (this.ctx || !(window.AudioContext || window.webkitAudioContext)) return;
    this.ctx = new (window.AudioContext || window.webkitAudioContext)();
    this.master = this.ctx.createGain();
    this.master.gain.value = this.muted ? 0 : 0.6;
    this.master.connect(this.ctx.destination);
  }

  toggle() {
    this.muted = !this.muted;
    try { localStorage.setItem(STORE_KEY, this.muted ? '1' : '0'); } catch { /* private mode: session only */ }
    if (this.master) this.master.gain.value = this.muted ? 0 : 0.6;
    return this.muted;
  }

  play(name) {
    const parts = SOUNDS[name];
    if (!parts || !this.ctx || this.muted) return;
    let t = this.ctx.currentTime;
    for (const part of parts) t = this.tone(t, ...part);
  }

  tone(t, wave, f0, f1, dur, vol) {
    const gain = this.ctx.createGain();
    gain.gain.setValueAtTime(vol, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + dur);
    gain.connect(this.master);
    const src = wave === 'noise' ? this.noise(dur) : this.osc(wave, f0, f1, t, dur);
    src.connect(gain);
    src.start(t);
    src.stop(t + dur);
    return t + dur * 0.8;
  }

  osc(wave, f0, f1, t, dur) {
    const o = this.ctx.createOscillator();
    o.type = wave;
    o.frequency.setValueAtTime(f0, t);
    o.frequency.exponentialRampToValueAtTime(Math.max(20, f1), t + dur);
    return o;
  }

  noise(dur) {
    const n = Math.ceil(this.ctx.sampleRate * dur);
    const buffer = this.ctx.createBuffer(1, n, this.ctx.sampleRate);
    const data = buffer.getChannelData(0);
    for (let i = 0; i < n; i++) data[i] = Math.random() * 2 - 1;
    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    return src;
  }
}
