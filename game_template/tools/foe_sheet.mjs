// The contact sheet's page side (tools/foe_sheet.py): one strip of level per theme, drawn by the game's own
// modules in the given style, as PNG data URLs.

export async function sheet(style, themes) {
  const { setStyle, lockContext } = await import('../js/palette.js');
  const { Background } = await import('../js/background.js');
  const { TileSet } = await import('../js/tiles.js');
  const { Sprites } = await import('../js/sprites.js');
  const { Renderer } = await import('../js/render.js');
  const { Effects } = await import('../js/effects.js');
  const physics = await (await fetch(new URL('../physics.json', import.meta.url))).json();
  setStyle(style);
  const W = 560, H = 144, S = 16, FLOOR = 112, out = {};
  for (const name of themes) {
    const c = document.createElement('canvas'); c.width = W; c.height = H;
    const g = lockContext(c.getContext('2d')); // as the game's screen: palette colours only
    const view = { w: W, h: H }, cam = { x: 0, y: 0 };
    new Background(name, 7).draw(g, view, cam, H, 5);
    const cols = W / S, rows = [];
    for (let y = 0; y < H / S; y++) rows.push(y >= FLOOR / S ? '#'.repeat(cols) : '.'.repeat(cols));
    rows[FLOOR / S] = rows[FLOOR / S].slice(0, 13) + '*' + rows[FLOOR / S].slice(14);
    rows[4] = '.'.repeat(15) + '==' + '.'.repeat(cols - 17);
    const world = { width: cols, height: H / S, tileSize: S, tiles: rows };
    new TileSet(name, S).draw(g, world, cam, view);
    const sprites = new Sprites('bone');
    const things = Renderer.prototype.things.bind({ view });
    const scene = (w, tick) => things(g, { tick, sprites, world: { theme: name, tileSize: S, physics,
      isBoss: true, items: [], enemies: [], boss: null, projectiles: [], goal: { x: 0, y: 0 }, ...w } }, cam);
    const foe = (type, x, y, o = {}) => ({ type, x, y, w: physics.enemies[type].w, h: physics.enemies[type].h,
      alive: true, stun: 0, facing: 1, ...o });
    const we = physics.enemies;
    // Enemies: walking frames 0 and 1 (right), frame 0 left, stunned; jumper on the ground and up high;
    // flyers in the air.
    let x = 4;
    for (const [type, y0] of [['walker', FLOOR - we.walker.h], ['jumper', FLOOR - we.jumper.h], ['flyer', 70]]) {
      for (const [tick, o] of [[0, {}], [8, {}], [0, { facing: -1 }], [5, { stun: 30 }]]) {
        scene({ enemies: [foe(type, x, y0, o)] }, type === 'flyer' ? tick * 6 / 8 : tick);
        x += 18;
      }
      x += 4;
    }
    scene({ enemies: [foe('jumper', 4 + 18 * 4 + 4, 40)] }, 0);
    // Treats on the ground and a secret cache's treat on the platform.
    scene({ items: [{ type: 'treat', x: 14 * S, y: FLOOR - S, taken: false },
      { type: 'treat', x: 15 * S, y: 4 * S - S, taken: false, secret: 1 }] }, 0);
    // Score pop-ups over a treat and a stomp.
    const fx = new Effects(1, { treat: 10, stomp: 100 });
    fx.pop(13 * S - 4, FLOOR - 30, 10); fx.pop(4, 46, 100); fx.draw(g, cam);
    // The boss in every mode its plan uses.
    const design = physics.boss.theme_designs[name];
    const spec = { ...physics.boss, ...physics.boss.designs[design] };
    const modes = [['walk', 0, {}], ['windup', 2, { next: spec.plan[0] }], ['windup', 8, { next: spec.plan[0] }],
      ...[...new Set(spec.plan)].map((m) => [m, 0, {}]), ['stunned', 5, { stun: 30 }], ['walk', 1, { invuln: 30 }],
      ['defeated', 1, { alive: false, defeat: 50 }]];
    x = 280;
    for (const [mode, tick, o] of modes) {
      const hop = ['hop', 'slam'].includes(mode) ? 14 : 0;
      scene({ boss: { design, w: spec.w, h: spec.h, x, y: FLOOR - spec.h - hop, dir: -1, mode, invuln: 0,
        alive: true, defeat: 0, ...o } }, tick);
      x += spec.w + 6;
    }
    out[name] = c.toDataURL('image/png');
  }
  return out;
}
