// The "my order" page: while the order is in progress, poll and reload when its status changes.
import { api, sleep } from "./api.js";

const card = document.getElementById("status");
const settled = new Set(["ready", "failed", "preview_ready", "awaiting_payment"]);

async function watch() {
  const initial = card.dataset.status;
  if (settled.has(initial)) return;
  for (;;) {
    await sleep(1000);
    const body = await api(`/api/images/${encodeURIComponent(card.dataset.token)}/status`).catch(() => null);
    if (!body) continue;
    const percent = Math.round(body.progress || 0);
    document.getElementById("bar-fill").style.width = `${percent}%`;
    document.getElementById("bar").setAttribute("aria-valuenow", String(percent));
    document.getElementById("progress-label").textContent = body.label || "";
    if (body.status !== initial) { location.reload(); return; }
  }
}

watch();
