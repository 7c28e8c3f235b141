// Level and game recaps (time, treats, secrets, hits, score) counted from sim events, and the best
// score kept per game in localStorage. Pure logic apart from the storage object passed in.

const STEPS_PER_SECOND = 60;

const isTreat = (e) => e.type === 'treat';

/** Counts one level: hits and lives lost from events, time and treats from the world. */
export class Tally {
  constructor(level, startScore = 0) {
    this.startScore = startScore;
    // Secret caches: treats whose entity carries `secret` (a cache id); counted apart from the rest.
    this.secretAt = new Map();
    for (const e of level.entities) if (isTreat(e) && e.secret) this.secretAt.set(`${e.x},${e.y}`, e.secret);
    this.hits = 0;
    this.lost = 0;
    this.stomps = 0;
  }

  event(e) {
    if (e.type === 'hurt') this.hits += 1;
    if (e.type === 'death') this.lost += 1;
    if (e.type === 'stomp') this.stomps += 1;
  }

  /** The recap of this level so far, read from the world the sim plays. */
  summary(world) {
    const treats = { got: 0, of: 0 };
    const caches = new Map(); // id -> found
    for (const it of world.items) {
      if (it.type !== 'treat') continue;
      const cache = this.secretAt.get(`${it.tx},${it.ty}`);
      if (cache) caches.set(cache, (caches.get(cache) || false) || it.taken);
      else { treats.of += 1; if (it.taken) treats.got += 1; }
    }
    const found = [...caches.values()].filter(Boolean).length;
    return {
      frames: world.frame, treats, secrets: { got: found, of: caches.size },
      hits: this.hits, lost: this.lost, stomps: this.stomps, score: world.score - this.startScore, total: world.score,
    };
  }
}

/** Adds level recaps into a game recap (total is the final score, not a sum). */
export function combine(recaps) {
  const add = (a, b) => ({ got: a.got + b.got, of: a.of + b.of });
  return recaps.reduce((sum, r) => ({
    frames: sum.frames + r.frames, treats: add(sum.treats, r.treats), secrets: add(sum.secrets, r.secrets),
    hits: sum.hits + r.hits, lost: sum.lost + r.lost, stomps: sum.stomps + r.stomps, score: sum.score + r.score, total: r.total,
  }), { frames: 0, treats: { got: 0, of: 0 }, secrets: { got: 0, of: 0 }, hits: 0, lost: 0, stomps: 0, score: 0, total: 0 });
}

/** Sim frames as m:ss.t (tenths rounded down: the recap never claims a faster time). */
export function formatTime(frames) {
  const tenths = Math.floor((frames * 10) / STEPS_PER_SECOND);
  const m = Math.floor(tenths / 600), s = Math.floor((tenths % 600) / 10);
  return `${m}:${String(s).padStart(2, '0')}.${tenths % 10}`;
}

/** The recap as label/value rows, the order the screens show them in. */
export function recapRows(r) {
  const rows = [['Time', formatTime(r.frames)], ['Treats', `${r.treats.got} / ${r.treats.of}`]];
  if (r.secrets.of) rows.push(['Secrets', `${r.secrets.got} / ${r.secrets.of}`]);
  rows.push(['Hits taken', String(r.hits)], ['Score', String(r.total)]);
  return rows;
}

// FNV-1a over a string: a short, stable id for "this game" from its own content.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The localStorage key of a game's best score: the same game (name, seed, levels) on any host. */
export function bestKey(data) {
  return `petpixel:best:${fnv1a(JSON.stringify([data.pet_name, data.seed, data.levels]))}`;
}

/** Best scores in `storage` (localStorage, or anything with getItem/setItem); storage that
 * throws (private modes, blocked cookies) or holds junk counts as no best yet. */
export class BestScore {
  constructor(storage, key) { this.storage = storage; this.key = key; }

  read() {
    try {
      const v = Number.parseInt(this.storage?.getItem(this.key) ?? '', 10);
      return Number.isFinite(v) && v >= 0 ? v : null;
    } catch { return null; }
  }

  /** Records `score`; returns {best, previous, isNew} (isNew: strictly beat an earlier best, or the first). */
  submit(score) {
    const previous = this.read();
    const isNew = previous === null || score > previous;
    if (isNew) { try { this.storage?.setItem(this.key, String(score)); } catch { /* not saved */ } }
    return { best: isNew ? score : previous, previous, isNew };
  }
}

/** The end screens' line for a submission's result: {text, isNew} once the server ranked the run,
 * {note} when it did not (offline, refused), null when nothing was or could be sent. */
export function standing(result, level) {
  if (!result || result.local) return null; // nothing sent (a page with no server behind it)
  if (!result.ok) return { note: result.note || 'Score not submitted.' };
  const where = `#${result.rank} on level ${level + 1}`;
  return result.newBest ? { isNew: true, text: where } : { isNew: false, text: `${where} · your best ${result.best}` };
}
