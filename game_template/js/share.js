// Sharing the result: a low-res clip of the final moments turned into a GIF that carries the
// score, a share-card PNG (pet, name, score, best), and Web Share with a copy-link fallback.

import { encodeGif, palettize } from './gif.js';
import { shareLink } from './link.js';
import { theme } from './themes.js';

const INK = '#1a1c2c', GOLD = '#ffcd75', WHITE = '#f4f4f4';
const BANNER = 12; // px under each GIF frame for the name and score

function surface(w, h) {
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingEnabled = false;
  return [c, ctx];
}

/** A ring of the last `keep` frames of a canvas, shrunk so the longer side is at most `size`. */
export class Clip {
  constructor({ keep = 30, size = 160 } = {}) {
    Object.assign(this, { keep, size, frames: [], canvas: null });
  }

  reset() { this.frames = []; }

  capture(source) {
    const k = Math.min(1, this.size / Math.max(source.width, source.height));
    const w = Math.max(1, Math.round(source.width * k)), h = Math.max(1, Math.round(source.height * k));
    if (!this.canvas || this.canvas[0].width !== w || this.canvas[0].height !== h) {
      this.canvas = surface(w, h);
      this.frames = []; // a resize mid-clip: start again at the new size
    }
    const [, ctx] = this.canvas;
    ctx.drawImage(source, 0, 0, w, h);
    this.frames.push(ctx.getImageData(0, 0, w, h));
    if (this.frames.length > this.keep) this.frames.shift();
  }
}

/** Lower-case letters and digits joined by dashes, for download names ("Rex & Bo" -> "rex-bo"). */
export function slug(name) {
  return (String(name).toLowerCase().match(/[a-z0-9]+/g) || ['pet']).join('-').slice(0, 40);
}

// The name (canvas text: never parsed as markup) and the score in the HUD's pixel digits.
function banner(ctx, w, y, name, score, sprites) {
  ctx.fillStyle = INK;
  ctx.fillRect(0, y, w, BANNER);
  const digits = String(Math.max(0, Math.floor(score)));
  const right = w - 3 - digits.length * 4;
  ctx.fillStyle = WHITE;
  ctx.font = '8px monospace';
  ctx.textBaseline = 'top';
  ctx.fillText(name, 3, y + 2, Math.max(8, right - 8));
  sprites.number(ctx, score, right, y + 3, GOLD);
}

/** The clip as a looping GIF with a banner (name, score) under every frame; null without frames. */
export function clipGif(clip, { name, score, sprites, delayCs = 10 }) {
  if (clip.frames.length === 0) return null;
  const { width: w, height: h } = clip.frames[0];
  const [c, ctx] = surface(w, h + BANNER);
  const rgba = clip.frames.map((frame) => {
    ctx.putImageData(frame, 0, 0);
    banner(ctx, w, h, name, score, sprites);
    return ctx.getImageData(0, 0, c.width, c.height).data;
  });
  const { palette, frames } = palettize(rgba, [[255, 205, 117], [26, 28, 44], [244, 244, 244]]);
  const comment = `PetPixel: ${name} scored ${score}`;
  return encodeGif({ width: w, height: h + BANNER, palette, frames, delayCs, comment });
}

/** A 600x315 share card: the pet big on the left, the name, the score, the best and (once the
 * server ranked the run) the board's rank on the right. */
export function shareCard({ name, score, best, isNew, rank = '', drawHero, theme = {} }) {
  const [c, ctx] = surface(600, 315);
  ctx.fillStyle = theme.sky || '#29366f';
  ctx.fillRect(0, 0, 600, 315);
  ctx.fillStyle = theme.ground || '#38b764';
  ctx.fillRect(0, 255, 600, 60);
  ctx.fillStyle = INK;
  ctx.fillRect(0, 255, 600, 4);
  const [hero] = surface(1, 1);
  drawHero(hero);
  const zoom = Math.max(1, Math.floor(Math.min(240 / hero.width, 220 / hero.height)));
  ctx.drawImage(hero, 30, 258 - hero.height * zoom, hero.width * zoom, hero.height * zoom);
  ctx.textBaseline = 'alphabetic';
  const text = (str, size, colour, y) => {
    ctx.font = `bold ${size}px monospace`;
    ctx.fillStyle = INK;
    ctx.fillText(str, 302, y + 3, 280);
    ctx.fillStyle = colour;
    ctx.fillText(str, 300, y, 280);
  };
  text(name, 34, WHITE, 70);
  text(`Score ${score}`, 30, GOLD, 130);
  text(isNew ? 'New best!' : `Best ${best}`, 22, WHITE, 175);
  if (rank) text(rank, 22, GOLD, 215);
  text('PetPixel', 18, WHITE, 295);
  return c;
}

/** The share text: the score, and the best when it is another (or this one is new). */
export function shareText({ name, score, best, isNew }) {
  const record = isNew ? ', a new best' : best > score ? ` (best ${best})` : '';
  return `${name} scored ${score} in PetPixel${record}! Can you beat it?`;
}

export function canvasBlob(c) {
  return new Promise((resolve) => c.toBlob(resolve, 'image/png'));
}

/** Web Share where the browser has it (phones), with the card image when files can be shared;
 * otherwise the link goes to the clipboard. Returns 'shared', 'copied', 'cancelled' or 'failed'. */
export async function shareResult({ name, score, best, isNew, card }) {
  const url = shareLink();
  const data = { title: `${name} in PetPixel`, text: shareText({ name, score, best, isNew }), url };
  try {
    if (navigator.share) {
      if (card) {
        const file = new File([card], `${slug(name)}-petpixel.png`, { type: 'image/png' });
        if (navigator.canShare && navigator.canShare({ files: [file] })) data.files = [file];
      }
      await navigator.share(data);
      return 'shared';
    }
    await navigator.clipboard.writeText(url);
    return 'copied';
  } catch (err) {
    return err && err.name === 'AbortError' ? 'cancelled' : 'failed';
  }
}

// The win screen's Share and Save GIF for `game` (game.js, once this module has arrived): the clip of
// the last level as a GIF, and the share card with the score and best (and the board's rank once the
// server has ranked the run).
export function sharingFor(game) {
  const name = game.data.pet_name, score = game.world.score;
  if (game.gifUrl) URL.revokeObjectURL(game.gifUrl);
  const gif = clipGif(game.clip, { name, score, sprites: game.sprites });
  game.gifUrl = gif ? URL.createObjectURL(new Blob([gif], { type: 'image/gif' })) : null;
  const { best, isNew, server, level } = game.result, colours = theme(game.themeName);
  const card = (rank) => shareCard({ name, score, best, isNew, rank, drawHero: (c) => game.pet.drawHero(c), theme: { sky: colours.sky[0], ground: colours.top } });
  let png = canvasBlob(card());
  server?.then((s) => { if (s.ok) png = canvasBlob(card(`#${s.rank} on level ${level + 1}`)); });
  const share = async () => shareResult({ name, score, best, isNew, card: await png });
  return { share, gif: game.gifUrl && { url: game.gifUrl, name: `${slug(name)}-petpixel.gif` } };
}
