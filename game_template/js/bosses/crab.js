// A boss design: its name and its drawer, for a pose, in foes.js's palette letters (bossPose, foePalette).
// One module a design, so a packaged game carries only the designs its levels fight (bosses/all.js).

export const name = 'giant crab';

const rect = (ctx, p) => (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };

export function draw(ctx, p, pose) {
  // A giant crab: eyes on stalks, two big claws (raised high in the wind-up, thrust low to attack), six legs.
  const r = rect(ctx, p), cy = pose === 'windup' ? 0 : pose === 'attack' ? 6 : 3;
  for (const x of [3, 7, 11, 18, 22, 26]) r('k', x, 15, 3, 5);
  for (const x of [4, 8, 12, 19, 23, 27]) r('A', x, 16, 1, 3);
  r('k', 4, 6, 24, 11); r('a', 5, 7, 22, 9); r('A', 5, 14, 22, 2);
  r('k', 10, 1, 1, 6); r('k', 21, 1, 1, 6);
  r('k', 8, 0, 4, 4); r('k', 19, 0, 4, 4);
  if (pose === 'stun') { r('A', 9, 1, 2, 2); r('A', 20, 1, 2, 2); r('k', 9, 2, 2, 1); r('k', 20, 2, 2, 1); }
  else { r('w', 9, 1, 2, 2); r('w', 20, 1, 2, 2); r('k', 9, 2, 1, 1); r('k', 20, 2, 1, 1); }
  for (const x of [0, 25]) {
    r('k', x, cy, 7, 7); r('a', x + 1, cy + 1, 5, 5); r('A', x + 1, cy + 5, 5, 1);
    r('k', x + 2, cy, 3, pose === 'walk' || pose === 'stun' ? 3 : 4); // the pincer's notch, open to strike
    r('k', x === 0 ? 5 : 26, cy + 6, 1, Math.max(1, 9 - cy - 1));
  }
  r('k', 12, 11, 8, 2); r(pose === 'stun' ? 'A' : 'c', 13, 11, 6, 1);
}
