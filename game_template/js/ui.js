// Screens over the canvas: title, pause, level complete, game over, victory (with sharing), errors.
// All player-supplied text (the pet's name) goes in through textContent, never as HTML.

const $ = (id) => document.getElementById(id);

export class UI {
  constructor({ petName, touch, levelCount, word = 'bark' }) {
    this.petName = petName;
    this.word = word; // the special move's name: bark, meow or chirp
    this.touch = touch;
    this.levelCount = levelCount;
    this.overlay = $('overlay');
    this.actions = {};
    this.overlay.addEventListener('pointerdown', (e) => {
      if (e.target.closest('button')) return;
      e.preventDefault();
      this.actions.tap?.();
    });
  }

  prompt() { return this.touch ? 'Tap to start' : 'Press any key to start'; }

  show(title, lines, buttons = [], blink = '', hero = false) {
    $('hero').hidden = !hero;
    $('overlay-title').textContent = title;
    const text = $('overlay-text');
    text.replaceChildren(...lines.map((line) => {
      const p = document.createElement('span');
      p.textContent = line;
      return p;
    }).flatMap((el, i) => (i ? [document.createElement('br'), el] : [el])));
    if (blink) {
      const b = document.createElement('p');
      b.className = 'blink';
      b.textContent = blink;
      text.append(document.createElement('br'), b);
    }
    $('overlay-buttons').replaceChildren(...buttons.map(([label, fn]) => this.button(label, fn)));
    this.overlay.hidden = false;
  }

  button(label, fn) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', (e) => { e.stopPropagation(); fn(b); });
    return b;
  }

  hide() { this.overlay.hidden = true; }

  title() {
    const keys = this.touch ? `Use the buttons to run, jump and use your Special (${this.word}).` : `Arrows/WASD run · Space/Z jump · X/Shift Special (${this.word}) · P pause`;
    this.show(this.petName, [`A pixel adventure in ${this.levelCount} ${this.levelCount === 1 ? 'level' : 'levels'}`, keys], [], this.prompt(), true);
  }

  paused(resume) {
    this.show('Paused', ['Take a breather.'], [['Resume', resume]]);
    $('overlay-buttons').querySelector('button').focus();
  }

  // Score, lives and level for screen readers (a polite live region), only when they change.
  announce(text) {
    const region = $('game-status');
    if (region.textContent !== text) region.textContent = text;
  }

  levelComplete(level, score) {
    const next = this.touch ? 'Tap for the next level' : 'Press any key for the next level';
    this.show(`Level ${level + 1} complete!`, [`Score ${score}`], [], next);
  }

  gameOver(score, retry) {
    this.show('Game over', [`${this.petName} needs another try. Score ${score}`], [['Try again', retry]]);
  }

  won(score, again) {
    this.show('You won!', [`${this.petName} beat every level.`, `Final score ${score}`],
      [['Share', (b) => this.share(b, score)], ['Play again', again]], '', true);
  }

  error(message) { this.show('Oops', [message, 'Reload the page to try again.']); }

  // Web Share where the device has it (phones), else copy the link, else show it to copy by hand.
  async share(button, score) {
    const data = { title: document.title, text: `${this.petName} scored ${score} in PetPixel!`, url: location.href };
    try {
      if (navigator.share) { await navigator.share(data); return; }
      await navigator.clipboard.writeText(data.url);
      button.textContent = 'Link copied!';
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      $('overlay-text').append(document.createElement('br'), Object.assign(document.createElement('span'), { textContent: data.url }));
    }
  }
}
