// Verified runs' network side (runs.js reaches it through import(), so it travels in the late chunk:
// the first frame needs only the recorder): send a level's trace (POST /api/games/{code}/runs) and
// read a level's board (GET). Offline, or when the server says no, the game carries on: the result
// just holds a short note.

const PLAYER_KEY = 'petpixel:player';
const OFFLINE = 'Score not submitted: offline.';
// What the player reads when the server kept nothing (error codes: docs/CONTRACTS.md).
const REFUSED = {
  game_rules_changed: 'Score not ranked: this game was made with older rules.',
  token_expired: 'Score not ranked: this game link has expired.',
  game_busy: 'Score not submitted: the board is busy. Try again soon.',
};

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

/** Send `body` (a level's trace) for `runs` (a RunRecorder): {ok, rank, newBest, best, communityRank, note, code?}. */
export async function submit(runs, body) {
  if (runs.token) body.token = runs.token;
  else body.player = playerId(runs.storage);
  try {
    const res = await runs.fetch(`/api/games/${runs.code}/runs`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const code = data.error?.code;
      return { ok: false, code, note: REFUSED[code] || 'Score not verified: not on the board.' };
    }
    return { ok: true, rank: data.rank, newBest: data.new_best, best: data.best?.score, communityRank: data.community_rank, note: '' };
  } catch {
    return { ok: false, note: OFFLINE };
  }
}

/** A level's board for `runs` (a RunRecorder), or null when it cannot be read. */
export async function board(runs, level) {
  const headers = {};
  if (runs.token) headers['X-Launch-Token'] = runs.token;
  else {
    const id = playerId(runs.storage);
    if (id) headers['X-Player-Id'] = id;
  }
  try {
    const res = await runs.fetch(`/api/games/${runs.code}/runs?level=${level}&limit=10`, { headers });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
