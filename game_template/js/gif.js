// A small animated GIF89a encoder (LZW, looping, one global palette, a comment block) and a
// palette builder for RGBA frames. Pure functions: bytes in, bytes out; no DOM.

const MAX_CODE = 4096;

// Packs variable-width codes least significant bit first, as GIF's LZW stream wants.
class BitWriter {
  constructor() { this.bytes = []; this.acc = 0; this.bits = 0; }

  write(code, size) {
    this.acc |= code << this.bits;
    this.bits += size;
    while (this.bits >= 8) { this.bytes.push(this.acc & 0xff); this.acc >>>= 8; this.bits -= 8; }
  }

  finish() {
    if (this.bits > 0) this.bytes.push(this.acc & 0xff);
    this.acc = 0; this.bits = 0;
    return this.bytes;
  }
}

/** LZW-compress palette indices (each < 2**minSize) into GIF code bytes (before sub-blocking). */
export function lzw(indices, minSize) {
  const clear = 1 << minSize, eoi = clear + 1;
  const out = new BitWriter();
  let size = minSize + 1, next = eoi + 1;
  let table = new Map();
  out.write(clear, size);
  if (indices.length === 0) { out.write(eoi, size); return out.finish(); }
  let prefix = indices[0];
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i], key = prefix * 256 + k;
    const known = table.get(key);
    if (known !== undefined) { prefix = known; continue; }
    out.write(prefix, size);
    if (next === MAX_CODE) {
      // Table full: start over (the decoder resets on the clear code too).
      out.write(clear, size);
      table = new Map(); size = minSize + 1; next = eoi + 1;
    } else {
      // The decoder adds its entry one code later, so widen before the entry that needs the bit.
      if (next >= 1 << size) size += 1;
      table.set(key, next++);
    }
    prefix = k;
  }
  out.write(prefix, size);
  out.write(eoi, size);
  return out.finish();
}

function subBlocks(bytes, into) {
  for (let i = 0; i < bytes.length; i += 255) {
    const chunk = bytes.slice(i, i + 255);
    into.push(chunk.length, ...chunk);
  }
  into.push(0);
}

const le16 = (v) => [v & 0xff, (v >> 8) & 0xff];
const ascii = (s) => [...s].map((ch) => (ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 63));

/**
 * Encode frames of palette indices as a looping GIF.
 * palette: [[r, g, b], ...] (1-256 entries); frames: arrays of width*height indices;
 * delayCs: hundredths of a second per frame; comment: ASCII text stored in a comment block.
 */
export function encodeGif({ width, height, palette, frames, delayCs = 10, comment = '' }) {
  if (!palette.length || palette.length > 256) throw new RangeError('a GIF palette holds 1-256 colours');
  const bitsFor = Math.max(1, Math.ceil(Math.log2(palette.length)));
  const out = [...ascii('GIF89a'), ...le16(width), ...le16(height), 0xf0 | (bitsFor - 1), 0, 0];
  for (let i = 0; i < 1 << bitsFor; i++) out.push(...(palette[i] || [0, 0, 0]));
  out.push(0x21, 0xff, 11, ...ascii('NETSCAPE2.0'), 3, 1, 0, 0, 0); // loop forever
  if (comment) { out.push(0x21, 0xfe); subBlocks(ascii(comment), out); }
  const minSize = Math.max(2, bitsFor);
  for (const frame of frames) {
    if (frame.length !== width * height) throw new RangeError('every frame needs width*height indices');
    out.push(0x21, 0xf9, 4, 0x04, ...le16(delayCs), 0, 0); // disposal: keep, no transparency
    out.push(0x2c, 0, 0, 0, 0, ...le16(width), ...le16(height), 0);
    out.push(minSize);
    subBlocks(lzw(frame, minSize), out);
  }
  out.push(0x3b);
  return Uint8Array.from(out);
}

/**
 * RGBA frames (Uint8ClampedArray each) to one shared palette and index frames. Exact colours when
 * there are at most 256 (pixel art usually has far fewer); otherwise the `keep` colours stay exact
 * and the rest snap to a 6x7x6 colour cube.
 */
export function palettize(rgbaFrames, keep = []) {
  const seen = new Map(keep.map((c, i) => [(c[0] << 16) | (c[1] << 8) | c[2], i]));
  for (const rgba of rgbaFrames) {
    for (let i = 0; i < rgba.length && seen.size <= 256; i += 4) {
      const key = (rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2];
      if (!seen.has(key)) seen.set(key, seen.size);
    }
  }
  const exact = seen.size <= 256;
  const palette = exact ? [...seen.keys()].map((k) => [k >> 16, (k >> 8) & 0xff, k & 0xff]) : keep.slice(0, 4);
  const cubeAt = palette.length;
  if (!exact) {
    for (let r = 0; r < 6; r++) for (let g = 0; g < 7; g++) for (let b = 0; b < 6; b++) {
      palette.push([Math.round((r * 255) / 5), Math.round((g * 255) / 6), Math.round((b * 255) / 5)]);
    }
  }
  const kept = new Map(palette.slice(0, exact ? palette.length : cubeAt).map((c, i) => [(c[0] << 16) | (c[1] << 8) | c[2], i]));
  const frames = rgbaFrames.map((rgba) => {
    const idx = new Uint8Array(rgba.length / 4);
    for (let p = 0, i = 0; i < rgba.length; i += 4, p++) {
      const key = (rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2];
      const hit = kept.get(key);
      idx[p] = hit !== undefined ? hit
        : cubeAt + Math.round((rgba[i] * 5) / 255) * 42 + Math.round((rgba[i + 1] * 6) / 255) * 6 + Math.round((rgba[i + 2] * 5) / 255);
    }
    return idx;
  });
  return { palette, frames };
}
