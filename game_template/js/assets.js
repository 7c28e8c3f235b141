// Loading: game.json (named by the page's petpixel-game meta tag), the sprite atlas and the sheet image.
// Every path is relative to the page, so the bundle works from any static host or sub-folder.

export class LoadError extends Error {}

function gameJsonPath() {
  const meta = document.querySelector('meta[name="petpixel-game"]');
  return (meta && meta.content) || 'game.json';
}

async function fetchJson(path) {
  const res = await fetch(path);
  if (!res.ok) throw new LoadError(`Could not load ${path} (HTTP ${res.status}).`);
  return res.json();
}

function loadImage(path) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new LoadError(`Could not load the sprite sheet ${path}.`));
    img.src = path;
  });
}

export async function loadGame() {
  const game = await fetchJson(gameJsonPath());
  if (game.version !== 1 || !Array.isArray(game.levels) || game.levels.length === 0) {
    throw new LoadError('This game file is from another version or has no levels.');
  }
  const [atlas, sheet] = await Promise.all([fetchJson(game.atlas), loadImage(game.sheet)]);
  return { game, atlas, sheet };
}
