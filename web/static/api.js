// Small fetch helpers shared by the order and status pages.
// Every API error is {"error": {"code", "message"}}; the message is written for people.

export async function api(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : "Something went wrong. Please try again.";
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

export function postJSON(path, payload) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(payload),
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Poll until done(body) is true; a failed order throws with its reason.
export async function pollUntil(path, done, onProgress, intervalMs = 700) {
  for (;;) {
    const body = await api(path);
    if (onProgress) onProgress(body);
    if (body.status === "failed") {
      const error = new Error(body.error || "That didn't work. Please try another photo.");
      error.body = body; // next_steps says what to offer (fix the crop, use Other, another photo)
      throw error;
    }
    if (done(body)) return body;
    await sleep(intervalMs);
  }
}
