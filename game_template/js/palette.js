// The chosen style's palette on the whole world. Fixed-palette styles (Game Boy, PICO-8, 8-bit NES)
// remap every colour once, when themes and sprites are built; nothing is quantized per pixel per frame.
// How is in styles/ink.js, reached only through the style's own module (styles/<style>.js); here the
// game picks its style and every drawing module asks for the active one.

import { parseColour } from './colour.js';
import { STYLES } from './styles/all.js';

export { parseColour };

// The fixed palettes by style (styles/<style>.js; styles/all.js lists them). Styles not listed here
// (16-bit, modern) keep full colour.
export const STYLE_PALETTES = Object.fromEntries(Object.entries(STYLES).map(([style, s]) => [style, s.palette]));

let active = null; // the Ink of the game's style, or null for full colour

// Called once at boot with game.json's `style`, before any sprite, tile or background is drawn.
export function setStyle(style) {
  active = Object.hasOwn(STYLES, style) ? STYLES[style].ink() : null;
  return active;
}

export const activeInk = () => active;

// Make this context paint only the active palette's colours (no-op in full colour).
export function lockContext(ctx, ink = active) {
  return ink ? ink.lock(ctx) : ctx;
}

// The DOM overlay's colours (css/game.css custom properties) from the same palette.
export function styleDocument(root = document.documentElement, ink = active) {
  ink?.styleDocument(root);
}
