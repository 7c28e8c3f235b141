// A short chiptune loop per theme, synthesized with WebAudio: a square-wave lead, a triangle bass and
// noise drums, 4 bars of 8th notes, looped. No audio files. Notes are scheduled a little ahead on the
// AudioContext clock from a timer, so the beat stays steady whatever the frame rate.

// Each channel: 32 steps (8th notes) separated by spaces; a note name ('C4', 'F#3'), '-' rest.
// Drums: 'k' kick, 's' snare, 'h' hat, '.' nothing.
export const TUNES = {
  park: {
    bpm: 132,
    lead: 'E5 - G5 E5 D5 - C5 - D5 E5 - G5 A5 - G5 - E5 - G5 E5 D5 - C5 D5 E5 - D5 - C5 - - -',
    bass: 'C3 - C3 - G2 - G2 - A2 - A2 - F2 - G2 - C3 - C3 - G2 - G2 - F2 - G2 - C3 - - -',
    drums: 'k . h . s . h . k . h . s . h h k . h . s . h . k . h . s . s s',
  },
  beach: {
    bpm: 116,
    lead: 'A4 - C#5 E5 - C#5 B4 - A4 - F#4 - E4 - - - A4 - C#5 E5 - F#5 E5 - C#5 - B4 - A4 - - -',
    bass: 'A2 - - A2 E2 - - E2 F#2 - - F#2 D2 - E2 - A2 - - A2 E2 - - E2 D2 - - D2 E2 - - -',
    drums: 'k . . h s . h . k . . h s . h . k . . h s . h . k . h h s . h .',
  },
  snow: {
    bpm: 100,
    lead: 'D5 - A4 - F4 - A4 - C5 - A4 - E4 - A4 - D5 - A4 - F4 - A4 - E5 - D5 - C#5 - - -',
    bass: 'D3 - - - D3 - - - C3 - - - C3 - - - A#2 - - - A#2 - - - A2 - - - A2 - - -',
    drums: 'k . . . h . . . k . . . h . . . k . . . h . . . k . . . h . h .',
  },
  city: {
    bpm: 140,
    lead: 'G4 A#4 - G4 C5 - A#4 G4 F4 - G4 - - - D4 F4 G4 A#4 - G4 C5 - D5 C5 A#4 - G4 - - - - -',
    bass: 'G2 - G2 G3 G2 - G2 G3 F2 - F2 F3 F2 - F2 F3 D#2 - D#2 D#3 D#2 - D#2 D#3 D2 - D2 D3 D2 - D2 D3',
    drums: 'k h s h k k s h k h s h k k s h k h s h k k s h k h s h k s s s',
  },
  space: {
    bpm: 108,
    lead: 'B4 - F#5 - D5 - - - C#5 - A4 - - - B4 - F#5 - G5 - F#5 - E5 - D5 - C#5 - A4 - - -',
    bass: 'B1 - - - B2 - - - A1 - - - A2 - - - G1 - - - G2 - - - F#1 - - - F#2 - - -',
    drums: 'k . . . . . s . k . . . . . s . k . . . . . s . k . . . s . h h',
  },
};

const NAMES = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

// 'A4' -> 440, 'C#5' -> 554.37; null for a rest.
export function noteHz(token) {
  const m = /^([A-G])(#?)(\d)$/.exec(token);
  if (!m) return null;
  const semis = NAMES[m[1]] + (m[2] ? 1 : 0) + (Number(m[3]) + 1) * 12; // MIDI note number
  return 440 * 2 ** ((semis - 69) / 12);
}

// The tune as steps: [{lead Hz|null, bass Hz|null, drum char}] and the step length in seconds.
export function score(name) {
  const tune = TUNES[name] || TUNES.park;
  const split = (s) => s.trim().split(/\s+/);
  const lead = split(tune.lead), bass = split(tune.bass), drums = split(tune.drums);
  const steps = lead.map((t, i) => ({ lead: noteHz(t), bass: noteHz(bass[i] || '-'), drum: drums[i] || '.' }));
  return { steps, step: 60 / tune.bpm / 2 };
}

const LOOKAHEAD = 0.4; // seconds of notes scheduled ahead
const TICK_MS = 100;

export class Music {
  // ctx: an AudioContext; out: the node music plays into (the game's master gain, so mute covers it).
  constructor(ctx, out, { calm = false } = {}) {
    this.ctx = ctx;
    this.calm = calm; // reduced motion: softer, no drums
    this.bus = ctx.createGain();
    this.bus.gain.value = calm ? 0.16 : 0.28;
    this.bus.connect(out);
    this.timer = null;
    this.name = null;
  }

  play(name) {
    if (this.timer && this.name === name) return;
    this.stop();
    this.name = name;
    this.tune = score(name);
    this.index = 0;
    this.next = this.ctx.currentTime + 0.05;
    this.schedule();
    this.timer = setInterval(() => this.schedule(), TICK_MS);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.name = null;
  }

  get playing() { return this.timer !== null; }

  schedule() {
    const { steps, step } = this.tune;
    // After a stall (a background tab), skip ahead rather than play a burst of late notes.
    if (this.next < this.ctx.currentTime) this.next = this.ctx.currentTime + 0.05;
    while (this.next < this.ctx.currentTime + LOOKAHEAD) {
      const s = steps[this.index % steps.length];
      if (s.lead) this.note('square', s.lead, this.next, step * 0.85, 0.18);
      if (s.bass) this.note('triangle', s.bass, this.next, step * 1.6, 0.32);
      if (!this.calm && s.drum !== '.') this.drum(s.drum, this.next);
      this.index += 1;
      this.next += step;
    }
  }

  note(type, hz, t, dur, vol) {
    const o = this.ctx.createOscillator(), env = this.ctx.createGain();
    o.type = type;
    o.frequency.value = hz;
    env.gain.setValueAtTime(vol, t);
    env.gain.setValueAtTime(vol, t + dur * 0.6);
    env.gain.linearRampToValueAtTime(0, t + dur);
    o.connect(env).connect(this.bus);
    o.start(t);
    o.stop(t + dur);
  }

  drum(kind, t) {
    if (kind === 'k') {
      const o = this.ctx.createOscillator(), env = this.ctx.createGain();
      o.type = 'triangle';
      o.frequency.setValueAtTime(150, t);
      o.frequency.exponentialRampToValueAtTime(40, t + 0.12);
      env.gain.setValueAtTime(0.5, t);
      env.gain.linearRampToValueAtTime(0, t + 0.12);
      o.connect(env).connect(this.bus);
      o.start(t);
      o.stop(t + 0.12);
      return;
    }
    const dur = kind === 's' ? 0.12 : 0.04;
    const src = this.ctx.createBufferSource(), env = this.ctx.createGain();
    src.buffer = this.noise();
    env.gain.setValueAtTime(kind === 's' ? 0.22 : 0.08, t);
    env.gain.linearRampToValueAtTime(0, t + dur);
    src.connect(env).connect(this.bus);
    src.start(t);
    src.stop(t + dur);
  }

  noise() {
    if (!this.noiseBuffer) {
      const n = Math.ceil(this.ctx.sampleRate * 0.2);
      this.noiseBuffer = this.ctx.createBuffer(1, n, this.ctx.sampleRate);
      const data = this.noiseBuffer.getChannelData(0);
      let x = 0x1234; // a 15-bit LFSR like the NES noise channel: the same hiss every time
      for (let i = 0; i < n; i++) {
        const bit = (x ^ (x >> 1)) & 1;
        x = (x >> 1) | (bit << 14);
        data[i] = x & 1 ? 0.8 : -0.8;
      }
    }
    return this.noiseBuffer;
  }
}
