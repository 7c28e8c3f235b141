// Scenery shared by the themes' background painters (themes/*.js) and background.js: the strip width
// the parallax layers tile at, and the skylines and trees several themes draw.

export const STRIP = 512;
const TAU = Math.PI * 2;

// A skyline of 1 px columns from a sum of sines whose periods divide the strip, so it tiles.
export function ridge(ctx, h, colour, base, waves, jag = 0, rand = Math.random) {
  ctx.fillStyle = colour;
  const phase = waves.map(() => rand() * TAU);
  for (let x = 0; x < STRIP; x++) {
    let y = base;
    waves.forEach(([cycles, amp], i) => { y += Math.sin((x / STRIP) * cycles * TAU + phase[i]) * amp; });
    if (jag) y += Math.abs(((x * 7) % (jag * 2)) - jag);
    const top = Math.round(h - y);
    ctx.fillRect(x, top, 1, h - top);
  }
}

export function trees(ctx, h, colour, dark, count, rand, pine) {
  for (let i = 0; i < count; i++) {
    const x = Math.floor(rand() * STRIP), size = 6 + Math.floor(rand() * 8), foot = h - 4;
    ctx.fillStyle = dark;
    ctx.fillRect(x, foot - size, 2, size);
    ctx.fillStyle = colour;
    for (let r = 0; r < size; r++) {
      const half = pine ? Math.floor((r * 0.6) + 1) : Math.round(Math.sqrt(Math.max(0, size * size / 4 - (r - size / 2) ** 2)));
      const y = foot - size * 2 + r + (pine ? 0 : size / 2);
      for (const wrap of [0, STRIP, -STRIP]) ctx.fillRect(x - half + wrap, Math.round(y), half * 2 + 2, 1);
    }
  }
}
