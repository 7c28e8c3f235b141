// Verified runs: record every input the sim steps with, from the first frame, and at the end of a
// level send the trace to the server (POST /api/games/{code}/runs), which replays it with the Python
// twin and answers the rank and whether it is a new best; read a level's board (GET). The sending and
// reading is runsapi.js, in the late chunk (import()): neither is needed before a level ends or the
// Leaderboard opens. Offline, from a file, or when the server says no, the game carries on: `result`
// just holds a short note.

const BITS = [['left', 1], ['right', 2], ['jump', 4], ['special', 8]];
const OFFLINE = 'Score not submitted: offline.'; // also when runsapi.js cannot be fetched

/** A bot's launch token: in the link's fragment (`#t=...`, never sent to a server), or `?t=`. */
export function launchToken(location = globalThis.location) {
  for (const part of [location?.hash, location?.search]) {
    const found = new URLSearchParams((part || '').slice(1)).get('t');
    if (found) return found;
  }
  return null;
}

// The token is this player's pass: keep it in memory and out of the address bar, so a link copied
// from there (or shared by the page) never credits someone else's runs to this player.
function hideToken(location, history) {
  try {
    const url = new URL(location.href);
    url.searchParams.delete('t');
    const hash = new URLSearchParams(url.hash.slice(1));
    hash.delete('t');
    url.hash = hash.toString();
    history?.replaceState(history.state, '', url.toString());
  } catch { /* not a page with history */ }
}

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

// Session storage can be missing or throw (sandboxed frames, privacy settings).
function sessionStore() {
  try { return globalThis.sessionStorage; } catch { return undefined; }
}

export class RunRecorder {
  constructor({ storage, session = sessionStore(), location = globalThis.location, history = globalThis.history, fetchFn = (...args) => globalThis.fetch(...args) } = {}) {
    this.code = gameCode(location);
    this.token = this.launch(location, history, session); // a bot's launch token, or null
    this.storage = storage;
    this.fetch = fetchFn;
    this.runs = [];
    this.level = 0;
    this.lives = null;
    this.result = null; // the last submission: a Promise of {ok, rank, newBest, best, note}
  }

  // The token from the link, kept for this tab (a reload still credits the chat) but taken out of
  // the address bar.
  launch(location, history, session) {
    const key = `petpixel:launch:${this.code}`;
    const token = launchToken(location);
    try {
      if (token) session?.setItem(key, token);
      else return session?.getItem(key) || null;
    } catch { /* no session storage: the token lives as long as the page */ }
    if (token) hideToken(location, history);
    return token;
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

  /** Can this page reach the runs API at all (served at /g/<code>, not from a file)? */
  get online() {
    return Boolean(this.code && this.fetch && globalThis.location?.protocol !== 'file:');
  }

  async submit(body) {
    if (!this.online) return { ok: false, local: true, note: '' }; // no server here: nothing to say
    try {
      return await (await import('./runsapi.js')).submit(this, body);
    } catch {
      return { ok: false, note: OFFLINE }; // the late chunk could not be fetched
    }
  }

  /** A level's board: {level, top: [{rank, name, score, frames, ...}], mine} (mine: this
   * player's best, by the launch token or this browser's id), or null when it cannot be read. */
  async board(level) {
    if (!this.online) return null;
    try {
      return await (await import('./runsapi.js')).board(this, level);
    } catch {
      return null;
    }
  }
}
