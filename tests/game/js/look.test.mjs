// Node tests for the look and sound modules: the style's palette over every theme colour, the pixel
// font's coverage and drawing, the per-theme music loops. Run by tests/game/test_js.py.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GLYPHS, drawText, glyphsReady, textWidth } from '../../../game_template/js/font.js';
import { TUNES, noteHz, score } from '../../../game_template/js/music.js';
import { STYLE_PALETTES, parseColour, setStyle } from '../../../game_template/js/palette.js';
import { STYLES } from '../../../game_template/js/styles/all.js';
import { Ink, lightness } from '../../../game_template/js/styles/ink.js';
import { THEMES, theme } from '../../../game_template/js/themes.js';

const colours = (t) => Object.values(t).flat().filter((v) => parseColour(v));

test('every colour of every theme, any key, lands on the style palette', () => {
  for (const [style, palette] of Object.entries(STYLE_PALETTES)) {
    for (const [name, t] of Object.entries(THEMES)) {
      // A key nobody here knows about (as another module may add) is mapped too, nested ones as well.
      const extra = { ...t, someEnemy: '#7a3bcc', someEnemyDark: '#3a1060', trail: ['#ff00ff', '#00ffaa'] };
      const out = STYLES[style].ink().styledTheme(extra); // with the style's own step
      assert.deepEqual(Object.keys(out), Object.keys(extra));
      for (const c of colours(out)) assert.ok(palette.includes(c), `${style}/${name}: ${c}`);
      assert.equal(out.deco, t.deco); // non-colours untouched
      const ordered = (k) => k.endsWith('Dark') && extra[k.slice(0, -4)] && lightness(extra[k]) < lightness(extra[k.slice(0, -4)]);
      for (const key of Object.keys(out).filter(ordered)) {
        assert.ok(lightness(out[key]) < lightness(out[key.slice(0, -4)]), `${style}/${name}: ${key} darker`);
      }
    }
  }
});

test('Game Boy: each theme uses at least three of the four shades, darkest for the pit void', () => {
  const gb = STYLE_PALETTES.gameboy;
  for (const [name, t] of Object.entries(THEMES)) {
    const out = STYLES.gameboy.ink().styledTheme(t);
    assert.ok(new Set(colours(out)).size >= 3, name);
    assert.equal(out.void, gb[0], name);
  }
});

test('Game Boy: sky, scenery, ground and enemies each keep their own shade in every theme', () => {
  for (const [name, t] of Object.entries(THEMES)) {
    const out = STYLES.gameboy.ink().styledTheme(t);
    // What can stand behind the ground's top row: the sky and each scenery layer (background.js).
    const behind = new Set([...out.sky, out.far, out.mid, out.near, out.cap, out.drift].filter(Boolean));
    for (const key of ['top', 'fill', 'platform']) assert.ok(!behind.has(out[key]), `${name}: ${key} melts into the scenery`);
    for (const layer of ['far', 'mid', 'near']) assert.ok(!out.sky.includes(out[layer]), `${name}: ${layer} is the sky's shade`);
    for (const foe of ['walker', 'flyer', 'jumper', 'boss']) {
      for (const tile of ['top', 'fill', 'platform', 'bush']) assert.notEqual(out[foe], out[tile], `${name}: ${foe} on ${tile}`);
      assert.notEqual(out[foe], out.ink, `${name}: ${foe} has an outline`);
    }
    assert.notEqual(out.void, out.fill, `${name}: a pit reads as a hole`);
  }
});

test('theme() follows the active style; full colour leaves themes as drawn', () => {
  setStyle('modern');
  assert.equal(theme('park').top, THEMES.park.top);
  setStyle('pico8');
  assert.ok(STYLE_PALETTES.pico8.includes(theme('park').top));
  setStyle('16bit');
});

test('Ink snaps any colour (sprites, effects) and drops or checkers translucent ones', () => {
  const ink = new Ink(STYLE_PALETTES.pico8);
  assert.equal(ink.snap('#000001'), '#000000');
  assert.equal(ink.snap('rgba(255, 255, 255, 0.1)'), 'none');
  assert.match(ink.snap('rgba(177, 62, 83, 0.5)'), /^checker:#/);
  const gb = new Ink(STYLE_PALETTES.gameboy);
  assert.equal(gb.snap('#ffffff'), '#9bbc0f');
  assert.equal(gb.snap('#1a1c2c'), '#0f380f');
});

test('the pixel font covers ASCII and the symbols the UI uses', async () => {
  await glyphsReady; // glyphs.js: every glyph beyond the first frame's
  for (let c = 32; c < 127; c++) assert.ok(GLYPHS[String.fromCharCode(c)], `glyph ${c}`);
  for (const ch of '…★♥♪◀▶▲▼·×’') assert.ok(GLYPHS[ch], ch);
  const rects = [];
  const ctx = { set fillStyle(v) { this.fill = v; }, fillRect: (x, y, w, h) => rects.push([ctx.fill, x, y, w, h]) };
  const width = drawText(ctx, 'Hi', 10, 20, '#fff', null);
  assert.equal(width, textWidth('Hi'));
  assert.equal(width, GLYPHS.H[0] + 1 + GLYPHS.i[0]);
  const ink = rects.reduce((n, r) => n + r[3], 0);
  const expected = [...'Hi'].reduce((n, ch) => n + GLYPHS[ch][1].reduce((m, row) => m + row.toString(2).split('1').length - 1, 0), 0);
  assert.equal(ink, expected); // one pixel per set bit
  assert.ok(rects.every(([, x, y]) => x >= 10 && y >= 20 && y < 29));
});

test('each theme has its own 4-bar loop of square lead, triangle bass and drums', () => {
  assert.equal(noteHz('A4'), 440);
  assert.equal(noteHz('-'), null);
  const prints = new Set();
  for (const name of Object.keys(THEMES)) {
    assert.ok(TUNES[name], name);
    for (const part of ['lead', 'bass', 'drums']) assert.equal(TUNES[name][part].trim().split(/\s+/).length, 32, `${name} ${part}`);
    const { steps, step } = score(name);
    assert.ok(step > 0.1 && step < 0.4);
    assert.ok(steps.filter((s) => s.lead).length >= 8 && steps.filter((s) => s.bass).length >= 8, name);
    assert.ok(steps.every((s) => s.lead === null || (s.lead > 60 && s.lead < 2000)));
    prints.add(JSON.stringify(steps));
  }
  assert.equal(prints.size, Object.keys(THEMES).length);
});
