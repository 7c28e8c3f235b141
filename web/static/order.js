// The order page: upload, style, live progress, preview, free "payment", link + QR.
// State lives in this module; the server is the source of truth through the JSON API.
import { api, postJSON, pollUntil } from "./api.js";

const $ = (id) => document.getElementById(id);
const form = $("order");
// imageId is the order's private token: every order action sends it (the API knows no other id).
const state = { imageId: null, gameId: null };

// A problem with one field marks that field invalid, points it at the message and focuses it.
function showError(message, field = null) {
  const box = $("form-error");
  box.textContent = message;
  box.hidden = !message;
  for (const input of form.querySelectorAll("[aria-invalid]")) markInvalid(input, false);
  if (message && field) {
    markInvalid(field, true);
    field.focus();
  }
}

function markInvalid(field, invalid) {
  if (invalid) {
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-errormessage", "form-error");
  } else {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-errormessage");
  }
}

// A card that appears takes the focus (its heading) and is announced, so nobody is left on <body>.
function reveal(card, message) {
  card.hidden = false;
  const heading = card.querySelector("h2[tabindex]");
  (heading || card).focus({ preventScroll: true });
  card.scrollIntoView({ behavior: "smooth", block: "start" });
  announce(message);
}

function announce(message) {
  const region = $("announce");
  region.textContent = "";
  // A fresh text node after a tick is announced even when the same words come again.
  setTimeout(() => { region.textContent = message; }, 50);
}

function setBusy(button, busy, label) {
  button.disabled = busy;
  if (label) button.textContent = label;
}

function setProgress(percent, label) {
  const card = $("progress-card");
  if (card.hidden) reveal(card, label || "Working on it");
  const value = Math.round(Math.max(0, Math.min(100, percent || 0)));
  $("bar-fill").style.width = `${Math.max(3, value)}%`;
  $("bar").setAttribute("aria-valuenow", String(value));
  if (label) {
    $("progress-label").textContent = label;
    $("bar").setAttribute("aria-valuetext", `${value}%: ${label}`);
  }
}

function chosen(name) {
  const input = document.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : null;
}

$("photo").addEventListener("change", () => {
  const file = $("photo").files[0];
  const preview = $("photo-preview");
  if (!file) return;
  showError("");
  preview.src = URL.createObjectURL(file);
  // The label stays the input's name, so it says a photo was chosen and how to change it.
  preview.alt = `Your photo: ${file.name}`;
  preview.hidden = false;
  $("drop-title").textContent = "Photo chosen. Tap to choose another";
  $("drop-hint").hidden = true;
});

// [message, the field at fault], or null when the form can be sent.
function validate() {
  const file = $("photo").files[0];
  if (!state.imageId && !file) return ["Please choose a photo of your pet first.", $("photo")];
  if (file && file.size > Number(form.dataset.maxBytes)) return ["That photo is too big. Please pick a smaller one.", $("photo")];
  if (!$("pet-name").value.trim()) return ["What's your pet's name?", $("pet-name")];
  return null;
}

async function upload(file) {
  const data = new FormData();
  data.append("photo", file);
  for (const [key, value] of Object.entries(choices())) if (key !== "image_id") data.append(key, value);
  setProgress(2, "Uploading your photo");
  return api("/api/images/upload", { method: "POST", body: data });
}

function choices() {
  return { image_id: state.imageId, style: chosen("style"), pet_name: $("pet-name").value.trim(), theme: $("theme").value, species: chosen("species") };
}

async function makeSprite() {
  const file = $("photo").files[0];
  if (file && file !== state.file) {
    const uploaded = await upload(file);
    Object.assign(state, { imageId: uploaded.image_id, file });
    $("order-link").href = uploaded.order_url;
    $("order-link").textContent = new URL(uploaded.order_url, location.href).href;
    await postJSON("/api/pixel-art/generate", choices());
  } else {
    await postJSON("/api/pixel-art/customize", choices());
  }
  await waitForPreview();
}

async function waitForPreview() {
  const done = (body) => body.status === "preview_ready" && body.preview_url;
  const body = await pollUntil(`/api/images/${encodeURIComponent(state.imageId)}/status`, done, (b) => setProgress(b.progress, b.label));
  showPreview(body);
}

function showPreview(body) {
  const url = body.preview_url;
  state.previewUrl = url;
  $("species-note").textContent = body.species_note || "";
  $("species-note").hidden = !body.species_note;
  for (const input of document.querySelectorAll('input[name="drawn_species"]')) input.checked = input.value === body.species;
  $("progress-card").hidden = true;
  $("preview-name").textContent = $("pet-name").value.trim();
  $("preview-gif").src = url;
  reveal($("preview-card"), `Your sprite is ready: meet ${$("pet-name").value.trim()}. Next, pick a package to get the game.`);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const problem = validate();
  showError(...(problem || [""]));
  if (problem) return;
  setBusy($("make"), true, "Working on it…");
  try {
    await makeSprite();
    form.hidden = true;
  } catch (error) {
    $("progress-card").hidden = true;
    showError(error.message);
    offerNextSteps(error.body);
  } finally {
    setBusy($("make"), false, "Make my sprite");
  }
});

for (const field of [$("photo"), $("pet-name")]) {
  field.addEventListener(field.type === "file" ? "change" : "input", () => markInvalid(field, false));
}

// After a photo problem: the ways forward the API names (fix the crop, use Other, another photo).
// Focus goes to the first way forward, else to the photo picker (the error itself is an alert).
function offerNextSteps(body) {
  const steps = (body && body.next_steps) || [];
  $("next-steps").hidden = steps.length === 0;
  $("use-other").hidden = !steps.includes("use_other");
  $("crop-fix").hidden = !steps.includes("crop");
  const first = $("next-steps").querySelector("button:not([hidden]), fieldset:not([hidden]) button");
  (first || $("photo")).focus();
}

async function redraw(path, payload) {
  showError("");
  $("next-steps").hidden = true;
  $("preview-card").hidden = true;
  setProgress(2, "Drawing again");
  try {
    await postJSON(path, { image_id: state.imageId, ...payload });
    await waitForPreview();
    form.hidden = true;
  } catch (error) {
    $("progress-card").hidden = true;
    form.hidden = false;
    showError(error.message);
    offerNextSteps(error.body);
  }
}

function pickSpecies(value) {
  for (const input of document.querySelectorAll('input[name="species"]')) input.checked = input.value === value;
}

$("use-other").addEventListener("click", () => {
  pickSpecies("other");
  redraw("/api/pixel-art/customize", { species: "other" });
});

for (const button of document.querySelectorAll("[data-crop]")) {
  button.addEventListener("click", () => {
    const [x0, y0, x1, y1] = button.dataset.crop.split(",").map(Number);
    redraw("/api/images/crop", { x0, y0, x1, y1 });
  });
}

$("species-fix").addEventListener("submit", (event) => {
  event.preventDefault();
  const species = chosen("drawn_species");
  if (!species) return;
  pickSpecies(species);
  redraw("/api/pixel-art/customize", { species });
});

$("restyle").addEventListener("click", () => {
  $("preview-card").hidden = true;
  form.hidden = false;
  const style = document.querySelector('input[name="style"]:checked');
  style.focus({ preventScroll: true });
  form.scrollIntoView({ behavior: "smooth" });
  announce("Pick another style, then make the sprite again.");
});

async function buyGame() {
  const game = await postJSON("/api/games/create", { image_id: state.imageId, package: chosen("package") });
  if (game.checkout_url) {
    location.assign(game.checkout_url);
    return null;
  }
  state.gameId = game.id;
  setProgress(game.progress, game.label || "Building your game");
  return pollUntil(`/api/games/${encodeURIComponent(game.id)}`, (b) => b.status === "ready", (b) => setProgress(b.progress, b.label));
}

function showReady(game) {
  $("progress-card").hidden = true;
  $("preview-card").hidden = true;
  const link = new URL(game.url, location.href).href;
  $("game-link").value = link;
  $("play").href = link;
  const qr = document.createElement("img");
  qr.src = game.qr_url;
  qr.alt = "QR code for your game link";
  qr.width = 180;
  qr.height = 180;
  $("qr").replaceChildren(qr);
  $("ready-gif").src = state.previewUrl;
  reveal($("ready-card"), "Your game is ready. Share the link or play it now.");
}

$("pay").addEventListener("click", async () => {
  setBusy($("pay"), true);
  $("pay-error").hidden = true;
  try {
    const game = await buyGame();
    if (game) showReady(game);
  } catch (error) {
    $("progress-card").hidden = true;
    $("pay-error").textContent = error.message;
    $("pay-error").hidden = false;
    setBusy($("pay"), false);
    $("pay").focus();
  } finally {
    setBusy($("pay"), false);
  }
});

$("copy").addEventListener("click", async () => {
  const link = $("game-link");
  link.select();
  try { await navigator.clipboard.writeText(link.value); $("copy").textContent = "Copied!"; }
  catch { $("copy").textContent = "Select & copy"; }
});
