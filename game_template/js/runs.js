// Verified runs: record every input the sim steps with, and at the end of a level send the trace to
// the server (POST /api/games/{code}/runs), which replays it with the Python twin and answers the
// rank and whether it is a new best. Offline, from a file, or when the server says no, the game
// carries on: `result` just holds a short note.

const PLAYER_KEY = 'petpixel:player';
const BITS = [['left', 1], ['right', 2], ['jump', 4], ['special', 8]];

/** The game's short code when the page is served at /g/<code>; null from a file or elsewhere. */
export function gameCode(location = globalThis.location) {
  const m = /^\/g\/([0-9A-Za-z]{1,16})(?:\/|$)/.exec(location?.pathname || '');
  return m ? m[1] : null;
}

/** One frame's input as bits (1 left, 2 right, 4 jump, 8 special). */
export function maskOf(input) {
  let mask = 0;
  for (const [key, bit] of BITS) if (input[key]) mask |= bit;
  return mask;
}

// This browser's random anonymous player id (kept in localStorage; never shown to anyone).
function playerId(storage) {
  try {
    let id = storage?.getItem(PLAYER_KEY);
    if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      const bytes = new Uint8Array(18);
      globalThis.crypto.getRandomValues(bytes);
      id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      storage?.setItem(PLAYER_KEY, id);
    }
    return id;
  } catch { return null; }
}

export class RunRecorder {
  constructor({ storage, location = globalThis.location, fetchFn = (...args) => globalThis.fetch(...args) } = {}) {
    this.code = gameCode(location);
    this.token = new URLSearchParams(location?.search || '').get('t'); // a bot's launch token
    this.storage = storage;
    this.fetch = fetchFn;
    this.runs = [];
    this.level = 0;
    this.lives = null;
    this.result = null; // the last submission: a Promise of {ok, rank, newBest, best, note}
  }

  /** A level (re)starts: a new trace, with the lives carried into it. */
  start(level, lives) {
    Object.assign(this, { level, lives, runs: [], frames: 0, sent: false });
  }

  /** The input of one sim step (call it with exactly what step() gets). */
  record(input) {
    const mask = maskOf(input), last = this.runs[this.runs.length - 1];
    if (last && last[1] === mask) last[0] += 1;
    else this.runs.push([1, mask]);
    this.frames += 1;
  }

  /** The level ended (world.status level_complete, won or dead): send it once. `score` is the
   * points won in this level. Returns the pending result (also kept in `result`). */
  finish(world, score) {
    if (this.sent) return this.result;
    this.sent = true;
    const body = {
      level: this.level, frames: this.frames, inputs: this.runs, score, status: world.status,
      lives: this.lives, time_ms: Math.round((this.frames * 1000) / 60),
    };
    this.result = this.submit(body);
    return this.result;
  }

  async submit(body) {
    if (!this.code || !this.fetch || (globalThis.location && globalThis.location.protocol === 'file:')) {
      return { ok: false, note: 'Offline: score kept on this device only.' };
    }
    if (this.token) body.token = this.token;
    else body.player = playerId(this.storage);
    try {
      const res = await this.fetch(`/api/games/${this.code}/runs`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) return { ok: false, code: data.error?.code, note: 'Score not verified.' };
      return { ok: true, rank: data.rank, newBest: data.new_best, best: data.best?.score, communityRank: data.community_rank, note: '' };
    } catch {
      return { ok: false, note: 'Offline: score kept on this device only.' };
    }
  }
}
