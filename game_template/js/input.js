// Player input: keyboard, gamepad and on-screen touch buttons merged into one {left,right,jump,special}.
// Presses are latched until the next simulation frame reads them, so a tap shorter than 1/60 s still counts.

const KEYS = {
  ArrowLeft: 'left', KeyA: 'left', ArrowRight: 'right', KeyD: 'right',
  ArrowUp: 'jump', KeyW: 'jump', Space: 'jump', KeyZ: 'jump',
  KeyX: 'special', ShiftLeft: 'special', ShiftRight: 'special',
  KeyP: 'pause', Escape: 'pause',
};
const ACTIONS = ['left', 'right', 'jump', 'special'];
const PAD_DEADZONE = 0.35;

export class Input {
  constructor() {
    this.held = { left: false, right: false, jump: false, special: false };
    this.latched = { left: false, right: false, jump: false, special: false };
    this.touchHeld = { left: false, right: false, jump: false, special: false };
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
    const action = KEYS[e.code];
    if (action) e.preventDefault();
    if (down && !e.repeat) this.emit('any', action || 'other');
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

  releaseAll() {
    for (const a of ACTIONS) { this.held[a] = false; this.touchHeld[a] = false; }
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
      out[a] = this.held[a] || this.latched[a] || this.touchHeld[a] || Boolean(this.padHeld?.[a]);
      this.latched[a] = false;
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

// Touch buttons hold their action while a finger is on them; sliding off releases it.
export function attachTouch(input, root) {
  for (const button of root.querySelectorAll('[data-action]')) {
    const action = button.dataset.action;
    const press = (down) => (e) => {
      e.preventDefault();
      input.touchHeld[action] = down;
      if (down) { input.latched[action] = true; input.emit('any', action); }
      button.classList.toggle('down', down);
    };
    button.addEventListener('pointerdown', press(true));
    for (const end of ['pointerup', 'pointercancel', 'pointerleave']) {
      button.addEventListener(end, press(false));
    }
  }
}

export function isTouchDevice() {
  return window.matchMedia('(pointer: coarse)').matches || navigator.maxTouchPoints > 0;
}
