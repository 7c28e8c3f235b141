// Screens over the canvas: title, pause, level recap, game over, victory (final recap, best, sharing),
// the short death beat, errors. Player-supplied text (the pet's name) goes in as textContent only.

import { recapRows, standing } from './recap.js';
import { shareLink } from './link.js';

const $ = (id) => document.getElementById(id);
const STAT = { Time: 'time', Treats: 'treats', Secrets: 'secrets', 'Hits taken': 'hits', Score: 'score' };

export class UI {
  constructor({ petName, touch, levelCount, word = 'bark' }) {
    this.petName = petName;
    this.word = word; // the special move's name: bark, meow or chirp
    this.touch = touch;
    this.levelCount = levelCount;
    this.overlay = $('overlay');
    this.actions = {}; // tap; board(level): a Promise of a level's board, when the page can read one
    this.board = null; // a promise of the leaderboard dialog, made when first opened
    this.shown = 0; // counts screens: a late answer must not write onto a newer screen
    // The recap (a definition list, one row per stat) and the best-score line live under the text.
    this.recap = Object.assign(document.createElement('dl'), { className: 'recap', hidden: true });
    this.best = Object.assign(document.createElement('p'), { className: 'best', hidden: true });
    $('overlay-text').after(this.recap, this.best);
    this.banner = Object.assign(document.createElement('p'), { className: 'beat-banner', hidden: true });
    this.banner.setAttribute('role', 'status');
    $('stage').append(this.banner);
    this.overlay.addEventListener('pointerdown', (e) => {
      if (e.target.closest('button')) return;
      e.preventDefault();
      this.actions.tap?.();
    });
  }

  prompt() { return this.touch ? 'Tap to start' : 'Press any key to start'; }

  show(title, lines, buttons = [], blink = '', hero = false, screen = 'message') {
    this.shown += 1;
    this.overlay.dataset.screen = screen;
    this.recap.hidden = true;
    this.best.hidden = true;
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
    $('overlay-buttons').replaceChildren(...buttons.map((b) => (b instanceof Node ? b : this.button(...b))));
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
    this.show(this.petName, [`A pixel adventure in ${this.levelCount} ${this.levelCount === 1 ? 'level' : 'levels'}`, keys], this.boardButton(0), this.prompt(), true, 'title');
  }

  // A "Leaderboard" button opening the board at `level`, when the page can read boards.
  boardButton(level) {
    return this.actions.board ? [['Leaderboard', (b) => this.openBoard(level, b)]] : [];
  }

  // board.js is not needed for the first frame: packaged, it comes in the late chunk after it. Without
  // it (the chunk failed) the button does nothing; the next press tries again.
  openBoard(level, opener) {
    this.board ||= import('./board.js').then(({ BoardDialog }) =>
      new BoardDialog({ levelCount: this.levelCount, load: (n) => this.actions.board(n) }),
    (err) => { this.board = null; throw err; });
    return this.board.then((board) => board.open(level, opener), () => {});
  }

  // What the server made of the run: its rank and "New best!" when it comes (the screen never waits
  // for it); until then, and when it never does (offline, refused), the local best and a note.
  standing(pending, level, local = null) {
    const screen = this.shown;
    const draw = (result, waiting) => {
      if (screen !== this.shown) return;
      const said = standing(result, level), parts = [];
      const newBest = () => Object.assign(document.createElement('strong'), { className: 'new-best', textContent: 'New best!' });
      if (said && !said.note) parts.push(...(said.isNew ? [newBest(), ' '] : []), said.text);
      else if (local) parts.push(local.isNew ? newBest() : `Best ${local.best}`);
      const note = waiting ? 'Sending score…' : said?.note;
      if (note) parts.push(...(parts.length ? [document.createElement('br')] : []), Object.assign(document.createElement('span'), { className: 'run-note', textContent: note }));
      this.best.replaceChildren(...parts);
      this.best.dataset.run = waiting ? 'pending' : said && !said.note ? 'ranked' : 'local';
      this.best.hidden = parts.length === 0;
    };
    draw(null, Boolean(pending));
    pending?.then((result) => draw(result, false), () => draw({ ok: false }, false));
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

  // One row per stat: <div data-stat="treats"><dt>Treats</dt><dd>5 / 8</dd></div>.
  showRecap(recap) {
    this.recap.replaceChildren(...recapRows(recap).map(([label, value]) => {
      const row = document.createElement('div');
      row.dataset.stat = STAT[label];
      row.append(Object.assign(document.createElement('dt'), { textContent: label }),
        Object.assign(document.createElement('dd'), { textContent: value }));
      return row;
    }));
    this.recap.hidden = false;
  }

  levelComplete(level, recap, submitted = null) {
    const next = this.touch ? 'Tap for the next level' : 'Press any key for the next level';
    this.show(`Level ${level + 1} complete!`, [], [], next, false, 'recap');
    this.showRecap(recap);
    this.standing(submitted, level);
  }

  // The short pause after losing a life (the game is frozen behind it); hide() ends it.
  beat(text) { this.banner.textContent = text; this.banner.hidden = false; }

  endBeat() { this.banner.hidden = true; }

  gameOver(score, retry) {
    this.show('Game over', [`${this.petName} needs another try. Score ${score}`], [['Try again', retry]], '', false, 'game-over');
  }

  // The final screen: the pet, the recap of the whole run, the best score, Share / Save GIF / Play again.
  won({ recap, best, gif, share, again }) {
    const buttons = [['Share', (b) => this.shared(b, share)]];
    if (gif) {
      const link = Object.assign(document.createElement('a'), { className: 'button', href: gif.url, download: gif.name, textContent: 'Save GIF' });
      link.addEventListener('click', (e) => e.stopPropagation());
      buttons.push(link);
    }
    buttons.push(...this.boardButton(best.level ?? this.levelCount - 1), ['Play again', again]);
    this.show('You won!', [`${this.petName} beat every level.`], buttons, '', true, 'won');
    this.showRecap(recap);
    this.standing(best.server, best.level ?? this.levelCount - 1, best); // best: the local best score
  }

  error(message) { this.show('Oops', [message, 'Reload the page to try again.']); }

  // The share button says what happened: shared, link copied, or the link to copy by hand.
  async shared(button, share) {
    const outcome = await share();
    if (outcome === 'shared') button.textContent = 'Shared!';
    else if (outcome === 'copied') button.textContent = 'Link copied!';
    else if (outcome === 'failed') {
      const url = Object.assign(document.createElement('span'), { className: 'share-url', textContent: shareLink() });
      $('overlay-text').append(document.createElement('br'), url);
    }
  }
}
