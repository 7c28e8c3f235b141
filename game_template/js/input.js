// Player input: keyboard, gamepad and on-screen touch buttons merged into one {left,right,jump,special}.
// Presses are latched until the next simulation frame reads them, so a tap shorter than 1/60 s still counts.

const KEYS = {
  ArrowLeft: 'left', KeyA: 'left', ArrowRight: 'right', KeyD: 'right',
  ArrowUp: 'jump', KeyW: 'jump', Space: 'jump', KeyZ: 'jump',
  KeyX: 'special', ShiftLeft: 'special', ShiftRight: 'special',
  KeyP: 'pause', Escape: 'pause',
};
const ACTIONS = ['left', 'right', 'jump', 'special'];
// Keys that move focus or modify others never start the game from a menu screen.
const NOT_START = /^(Tab|Alt|Control|Meta|OS|CapsLock|ContextMenu)/;
const PAD_DEADZONE = 0.35;

export class Input {
  constructor() {
    this.held = { left: false, right: false, jump: false, special: false };
    this.latched = { left: false, right: false, jump: false, special: false };
    this.touchHeld = { left: false, right: false, jump: false, special: false };
    this.pulses = { left: 0, right: 0, jump: 0, special: 0 }; // frames a click-activated button stays held
    this.listeners = { pause: [], any: [] };
    this.padPrev = { jump: false, special: false, pause: false };
  }

  on(kind, fn) { this.listeners[kind].push(fn); }

  emit(kind, detail) { for (const fn of this.listeners[kind]) fn(detail); }

  attach(target) {
    target.addEventListener('keydown', (e) => this.key(e, true));
    target.addEventListener('keyup', (e) => this.key(e, false));
    target.addEventListener('blur', () => this.releaseAll());
  }

  key(e, down) {
    // Space and Enter on a focused button activate that button; they are not game keys there.
    if ((e.code === 'Space' || e.code === 'Enter') && e.target?.closest?.('button')) return;
    const action = KEYS[e.code];
    if (action) e.preventDefault();
    if (down && !e.repeat && !NOT_START.test(e.code)) this.emit('any', action || 'other');
    if (action === 'pause') {
      if (down && !e.repeat) this.emit('pause');
      return;
    }
    if (action) this.set(action, down);
  }

  set(action, down) {
    this.held[action] = down;
    if (down) this.latched[action] = true;
  }

  // Hold an action for a number of sim frames (a touch button activated by click or keyboard).
  pulse(action, frames) {
    this.pulses[action] = Math.max(this.pulses[action], frames);
    this.latched[action] = true;
  }

  releaseAll() {
    for (const a of ACTIONS) { this.held[a] = false; this.touchHeld[a] = false; this.pulses[a] = 0; }
  }

  // Forget presses made on a menu screen so they do not leak into the first frame of play.
  clearLatches() {
    for (const a of ACTIONS) this.latched[a] = false;
  }

  // One frame's input: held now or pressed since the last read.
  read() {
    this.pollPad();
    const out = {};
    for (const a of ACTIONS) {
      out[a] = this.held[a] || this.latched[a] || this.touchHeld[a] || this.pulses[a] > 0 || Boolean(this.padHeld?.[a]);
      this.latched[a] = false;
      if (this.pulses[a] > 0) this.pulses[a] -= 1;
    }
    return out;
  }

  pollPad() {
    const pads = typeof navigator !== 'undefined' && navigator.getGamepads ? navigator.getGamepads() : [];
    const pad = Array.from(pads || []).find((p) => p && p.connected);
    if (!pad) return;
    const axis = pad.axes[0] || 0;
    const btn = (i) => Boolean(pad.buttons[i] && pad.buttons[i].pressed);
    this.padHeld = {
      left: axis < -PAD_DEADZONE || btn(14),
      right: axis > PAD_DEADZONE || btn(15),
      jump: btn(0) || btn(3),
      special: btn(1) || btn(2) || btn(5),
    };
    for (const a of ACTIONS) if (this.padHeld[a]) this.latched[a] = true;
    this.padEdges(btn(9));
  }

  padEdges(start) {
    const pressed = this.padHeld.jump || this.padHeld.special;
    if (pressed && !this.padPrev.jump) this.emit('any', 'pad');
    if (start && !this.padPrev.pause) this.emit('pause');
    this.padPrev = { jump: pressed, pause: start };
  }
}

// Touch buttons follow the thumb: each pointer holds whichever button is under it now, so sliding
// from Left to Right releases Left and presses Right. A click with no pointer press behind it
// (keyboard Enter/Space, assistive tech, element.click()) holds its action for a short pulse.
const PULSE_FRAMES = 10;
const BUZZ_MS = 12;

export function attachTouch(input, root, doc = document, nav = navigator) {
  const buttons = [...root.querySelectorAll('[data-action]')];
  const fingers = new Map(); // pointerId -> action under it (or null)
  let pointerAt = -1e9;
  const buttonAt = (x, y) => doc.elementFromPoint(x, y)?.closest?.('[data-action]') ?? null;
  const refresh = () => {
    const held = new Set(fingers.values());
    for (const b of buttons) {
      const a = b.dataset.action, down = held.has(a);
      if (down && !input.touchHeld[a]) { input.latched[a] = true; input.emit('any', a); buzz(nav); }
      input.touchHeld[a] = down;
      b.classList.toggle('down', down);
    }
  };
  const track = (e) => {
    if (!fingers.has(e.pointerId)) return;
    e.preventDefault();
    const b = buttonAt(e.clientX, e.clientY);
    fingers.set(e.pointerId, b && root.contains(b) ? b.dataset.action : null);
    refresh();
  };
  root.addEventListener('pointerdown', (e) => {
    const b = e.target.closest?.('[data-action]');
    if (!b) return;
    e.preventDefault();
    pointerAt = e.timeStamp;
    // Captured moves keep arriving (and bubbling here) wherever the thumb goes; we hit-test them.
    try { b.setPointerCapture?.(e.pointerId); } catch { /* synthetic pointers cannot be captured */ }
    fingers.set(e.pointerId, b.dataset.action);
    refresh();
  });
  root.addEventListener('pointermove', track);
  for (const end of ['pointerup', 'pointercancel', 'lostpointercapture']) {
    root.addEventListener(end, (e) => { if (fingers.delete(e.pointerId)) refresh(); });
  }
  for (const b of buttons) {
    b.addEventListener('click', (e) => {
      if (e.detail > 0 && e.timeStamp - pointerAt < 1000) return; // the press already counted
      input.pulse(b.dataset.action, PULSE_FRAMES);
      input.emit('any', b.dataset.action);
    });
  }
}

function buzz(nav) {
  try { if (typeof nav?.vibrate === 'function') nav.vibrate(BUZZ_MS); } catch { /* not allowed here */ }
}

export function isTouchDevice() {
  return window.matchMedia('(pointer: coarse)').matches || navigator.maxTouchPoints > 0;
}
