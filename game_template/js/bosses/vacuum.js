// A boss design: its name and its drawer, for a pose, in foes.js's palette letters (bossPose, foePalette).
// One module a design, so a packaged game carries only the designs its levels fight (bosses/all.js).

export const name = 'robot vacuum';

const rect = (ctx, p) => (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };

// Two eyes (whites x, y, w, h): looking ahead, glaring (brows slanting in), or shut.
function eyes(r, pose, [lx, rx], y, w, h) {
  if (pose === 'stun') { for (const x of [lx, rx]) r('k', x, y + h - 2, w, 1); return; }
  for (const x of [lx, rx]) { r('w', x, y, w, h); r('k', x, y + 1, 2, h - 1); }
  if (pose === 'walk') return;
  for (let i = 0; i < w; i++) { r('k', lx + i, y + Math.floor((i * 2) / w), 1, 1); r('k', rx + w - 1 - i, y + Math.floor((i * 2) / w), 1, 1); }
}

export function draw(ctx, p, pose) {
  // A robot vacuum cleaner: a round lid, a bumper with angry eyes, a warning light, side brushes.
  const r = rect(ctx, p), lit = pose === 'windup' || pose === 'attack';
  r('k', 1, 6, 26, 14); r('k', 3, 4, 22, 2); r('k', 6, 3, 16, 1);
  r('a', 2, 7, 24, 12); r('a', 4, 5, 20, 2); r('a', 7, 4, 14, 1);
  r('A', 2, 15, 24, 3); r('k', 2, 14, 24, 1);
  r('w', 8, 5, 4, 1); // the lid's shine
  eyes(r, pose, [6, 17], 8, 5, 4);
  r('k', 11, 0, 6, 4); r(lit ? 'c' : 'A', 12, 1, 4, 3);
  if (pose === 'windup') r('w', 13, 1, 2, 1);
  for (const x of [3, 19]) { r('k', x, 19, 6, 5); r('A', x + 1, 20, 4, 3); r('w', x + 2, 21, 2, 1); }
  if (lit) for (const x of [0, 26]) { r('c', x, 18, 2, 1); r('c', x, 20, 2, 1); }
}
