// The sound effects, synthesized with WebAudio: short tones and noise bursts per sim event, and the
// meow. Not needed for the first frame (nothing is audible before the first user gesture): packaged,
// it comes in the late chunk (audio.js counts and mutes; this module only makes the sound).

// Each effect: [wave, start Hz, end Hz, seconds, volume, noise?]; a list plays one after another.
export const SOUNDS = {
  jump: [['square', 300, 620, 0.12, 0.12]],
  land: [['triangle', 140, 60, 0.06, 0.15]],
  collect: [['square', 880, 880, 0.05, 0.1], ['square', 1320, 1320, 0.08, 0.1]],
  stomp: [['square', 420, 90, 0.14, 0.16]],
  hurt: [['sawtooth', 300, 80, 0.25, 0.14], ['noise', 0, 0, 0.08, 0.1]],
  death: [['triangle', 440, 60, 0.6, 0.2]],
  checkpoint: [['square', 523, 523, 0.07, 0.1], ['square', 659, 659, 0.07, 0.1], ['square', 784, 784, 0.12, 0.1]],
  bark: [['noise', 0, 0, 0.05, 0.14], ['sawtooth', 520, 260, 0.12, 0.14]],
  chirp: [['sine', 1400, 2600, 0.07, 0.12], ['sine', 1600, 3000, 0.09, 0.12]],
  boss_hit: [['noise', 0, 0, 0.1, 0.2], ['square', 200, 60, 0.2, 0.16]],
  goal: [['square', 523, 523, 0.1, 0.1], ['square', 659, 659, 0.1, 0.1], ['square', 784, 784, 0.1, 0.1], ['square', 1046, 1046, 0.3, 0.1]],
  won: [['square', 392, 392, 0.12, 0.1], ['square', 523, 523, 0.12, 0.1], ['square', 659, 659, 0.12, 0.1], ['square', 1046, 1046, 0.5, 0.12]],
};

// The meow: a sawtooth that bends up then down ("mi-aow"), through two band-pass formants that
// glide from an "ee"-ish vowel to an "ow"; [seconds from start, pitch Hz, formant 1 Hz, formant 2 Hz].
const MEOW = [[0, 480, 600, 2200], [0.12, 760, 950, 1700], [0.42, 390, 550, 900]];
const MEOW_SECONDS = 0.46;

export class Synth {
  // ctx: the game's AudioContext; master: its master gain (mute covers the effects).
  constructor(ctx, master) {
    this.ctx = ctx;
    this.master = master;
  }

  play(name, t) {
    if (name === 'meow') { this.meow(t); return; }
    for (const part of SOUNDS[name]) t = this.tone(t, ...part);
  }

  meow(t) {
    const o = this.ctx.createOscillator(), env = this.ctx.createGain();
    o.type = 'sawtooth';
    env.gain.setValueAtTime(0.001, t);
    env.gain.exponentialRampToValueAtTime(0.5, t + 0.04);
    env.gain.setValueAtTime(0.5, t + 0.25);
    env.gain.exponentialRampToValueAtTime(0.001, t + MEOW_SECONDS);
    env.connect(this.master);
    for (const [i, q] of [[2, 5], [3, 8]]) {
      const f = this.ctx.createBiquadFilter();
      f.type = 'bandpass';
      f.Q.value = q;
      this.glide(f.frequency, t, i);
      o.connect(f).connect(env);
    }
    this.glide(o.frequency, t, 1);
    o.start(t);
    o.stop(t + MEOW_SECONDS);
  }

  glide(param, t, column) {
    param.setValueAtTime(MEOW[0][column], t);
    for (const row of MEOW.slice(1)) param.exponentialRampToValueAtTime(row[column], t + row[0]);
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
