// A boss design: its name and its drawer, for a pose, in foes.js's palette letters (bossPose, foePalette).
// One module a design, so a packaged game carries only the designs its levels fight (bosses/all.js).

export const name = 'yeti';

const rect = (ctx, p) => (c, x, y, w, h) => { ctx.fillStyle = p[c]; ctx.fillRect(x, y, w, h); };

export function draw(ctx, p, pose) {
  // A big furry yeti: horns, a dark face, long arms (thrown up in the wind-up), stomping feet.
  const r = rect(ctx, p), up = pose === 'windup' || pose === 'attack';
  r('k', 3, 7, 18, 18); r('a', 4, 8, 16, 16);
  for (const x of [4, 8, 12, 16]) r('k', x, 24, 2, 1); // a shaggy hem
  r('k', 6, 0, 12, 10); r('a', 7, 1, 10, 8);
  r('c', 5, 0, 2, 3); r('c', 17, 0, 2, 3);
  r('A', 8, 3, 8, 5);
  if (pose === 'stun') { r('k', 9, 5, 2, 1); r('k', 13, 5, 2, 1); }
  else { r('w', 9, 4, 2, 2); r('w', 13, 4, 2, 2); r('k', 9, 5, 1, 1); r('k', 13, 5, 1, 1); }
  if (up) { r('k', 8, 3, 3, 1); r('k', 13, 3, 3, 1); }
  r('k', 10, 7, 4, 1); r('w', 10, 7, 1, 1); r('w', 13, 7, 1, 1);
  if (pose === 'windup' || pose === 'attack') r('k', 10, 8, 4, 1); // a roar
  const arm = up ? [0, 13] : [9, 13];
  for (const x of [0, 20]) { r('k', x, arm[0], 4, arm[1]); r('a', x + 1, arm[0] + 1, 2, arm[1] - 2); r('A', x + 1, arm[0] + arm[1] - 3, 2, 2); }
  r('A', 7, 14, 10, 1); r('A', 9, 17, 6, 1);
  for (const x of [4, 14]) { r('k', x, 24, 6, 4); r('A', x + 1, 25, 4, 2); }
}
