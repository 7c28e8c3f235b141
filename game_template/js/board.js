// The leaderboard: a modal dialog with a level's top verified runs (rank, name, score, time) and
// this player's best marked. Names are other players' own text: they only ever go in as textContent.
// Opened only by a click: packaged, it comes in the late chunk after the first frame (ui.js).

import { formatTime } from './recap.js';

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export class BoardDialog {
  /** `load(level)`: a Promise of the API's board ({top, mine}) or null. */
  constructor({ levelCount, load, root = document.body }) {
    Object.assign(this, { levelCount, load, level: 0, opener: null, asked: 0 });
    this.title = el('h2', { id: 'board-title', textContent: 'Leaderboard' });
    this.prev = this.button('◀', 'Previous level', () => this.show(this.level - 1));
    this.next = this.button('▶', 'Next level', () => this.show(this.level + 1));
    this.which = el('span', { className: 'board-level' });
    this.body = el('tbody');
    this.caption = el('caption', { className: 'sr-only' });
    const head = el('tr', {}, ...['Rank', 'Player', 'Score', 'Time'].map((t) => el('th', { scope: 'col', textContent: t })));
    this.table = el('table', { className: 'board-table' }, this.caption, el('thead', {}, head), this.body);
    this.note = el('p', { className: 'board-note' });
    this.note.setAttribute('role', 'status');
    const close = this.button('Close', '', () => this.close());
    close.className = 'board-close';
    this.dialog = el('dialog', { className: 'board', id: 'board' }, this.title,
      el('div', { className: 'board-levels' }, this.prev, this.which, this.next), this.table, this.note, close);
    this.dialog.setAttribute('aria-labelledby', 'board-title');
    this.dialog.addEventListener('close', () => this.closed());
    // The game listens for keys on the window (any key starts it from the title): while the board
    // is open its keys stay here. Escape closes the board.
    this.keys = (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') { e.preventDefault(); this.close(); }
    };
    root.append(this.dialog);
  }

  button(label, name, fn) {
    const b = el('button', { type: 'button', textContent: label });
    if (name) b.setAttribute('aria-label', name);
    b.addEventListener('click', (e) => { e.stopPropagation(); fn(); });
    return b;
  }

  get isOpen() { return this.dialog.open; }

  open(level, opener = null) {
    this.opener = opener;
    if (!this.dialog.open) {
      if (this.dialog.showModal) this.dialog.showModal(); else this.dialog.setAttribute('open', '');
      window.addEventListener('keydown', this.keys, true);
    }
    return this.show(level);
  }

  close() {
    if (this.dialog.open) this.dialog.close?.();
    if (this.dialog.hasAttribute('open')) this.dialog.removeAttribute('open');
    this.closed();
  }

  closed() {
    window.removeEventListener('keydown', this.keys, true);
    const opener = this.opener;
    this.opener = null;
    opener?.focus?.();
  }

  async show(level) {
    this.level = Math.max(0, Math.min(level, this.levelCount - 1));
    const asked = ++this.asked, label = `Level ${this.level + 1} of ${this.levelCount}`;
    this.which.textContent = label;
    this.caption.textContent = `Top runs of level ${this.level + 1}`;
    this.prev.disabled = this.level === 0;
    this.next.disabled = this.level === this.levelCount - 1;
    this.dialog.setAttribute('aria-busy', 'true');
    this.note.textContent = 'Loading…';
    const board = await this.load(this.level);
    if (asked !== this.asked) return; // another level was asked for meanwhile
    this.render(board);
    this.dialog.removeAttribute('aria-busy');
  }

  render(board) {
    const top = board?.top || [], mine = board?.mine || null;
    const rows = top.map((run) => this.row(run, mine && run.rank === mine.rank));
    if (mine && !top.some((run) => run.rank === mine.rank)) {
      rows.push(el('tr', { className: 'gap' }, el('td', { colSpan: 4, textContent: '…' })), this.row(mine, true));
    }
    this.body.replaceChildren(...rows);
    this.table.hidden = rows.length === 0;
    if (!board) this.note.textContent = "Couldn't load the leaderboard. Try again later.";
    else if (!top.length) this.note.textContent = 'No verified runs yet: be the first!';
    else this.note.textContent = mine ? `Your best: #${mine.rank}, ${mine.score} points.` : '';
  }

  row(run, isMine) {
    const name = el('td', { className: 'name', textContent: run.name || 'Guest' });
    const tr = el('tr', {}, el('td', { textContent: String(run.rank) }), name,
      el('td', { textContent: String(run.score) }), el('td', { textContent: formatTime(run.frames) }));
    if (isMine) {
      tr.className = 'mine';
      tr.setAttribute('aria-current', 'true');
      name.append(el('span', { className: 'you', textContent: ' (you)' }));
    }
    return tr;
  }
}
