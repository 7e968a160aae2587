/* What the driver sees: notices, the banner of actions held for their undo or waiting for signal, and each stop's
   card. */
import { CONFIG, TEXT } from "./config.js";
import { DONE_KEEP_MS, loadDone, loadHeld, loadQueue, saveDone } from "./storage.js";

let statusText = "";

// What the sending says in the banner while actions wait ("" once the queue went through).
export const setStatus = (text) => {
  statusText = text;
};

export const notice = (message, kind = "error") => {
  const box = document.getElementById("driver-notices");
  if (!box || !message) return;
  const line = document.createElement("p");
  line.className = `message ${kind}`;
  line.setAttribute("role", "status");
  line.textContent = message;
  box.prepend(line);
  while (box.children.length > 5) box.lastElementChild.remove();
};

export const showBanner = () => {
  const banner = document.getElementById("driver-queue");
  if (!banner) return;
  // A tap still held for its undo has not left the phone on purpose: it reads as held, not as waiting for signal.
  // Only the queue (held taps join it once their seconds are over) waits for signal.
  const queued = loadQueue().length;
  const held = loadHeld().length;
  const parts = [];
  if (held === 1) parts.push(TEXT.held_one);
  if (held > 1) parts.push(TEXT.held_many.replace("{count}", String(held)));
  if (queued === 1) parts.push(TEXT.waiting_one);
  if (queued > 1) parts.push(TEXT.waiting_many.replace("{count}", String(queued)));
  if (!navigator.onLine) parts.push(TEXT.offline);
  else if (queued && statusText) parts.push(statusText);
  banner.textContent = parts.join(" · ");
  banner.hidden = parts.length === 0;
  banner.classList.toggle("offline", !navigator.onLine);
  // The cards keep clear of the sticky banner when the page jumps to one ("Next: stop 4"), so its number shows.
  document.documentElement.style.setProperty("--queue-banner-height", `${banner.hidden ? 0 : banner.offsetHeight}px`);
};

export const stopItem = (stopId) => document.querySelector(`li.stop[data-stop="${stopId}"]`);

// The stops this page shows: sent with each sync, so the server can say which were taken off the round.
export const shownStops = () =>
  Array.from(document.querySelectorAll("li.stop[data-stop]"), (item) => Number(item.dataset.stop));

// A stop the server took off the round (its order cancelled or moved): gone from the page, the driver told once.
export const dropStops = (stopIds) => {
  let dropped = 0;
  for (const stopId of stopIds || []) {
    const item = stopItem(stopId);
    if (item) {
      item.remove();
      dropped += 1;
    }
  }
  if (dropped) notice(TEXT.stop_removed, "warning");
};

const isPickup = (item) => item.dataset.kind === "pickup";

const outcomeLabel = (item, entry) => {
  if (entry.kind === "delivered") return TEXT.delivered;
  if (entry.kind === "picked_up") return TEXT.picked_up;
  const failed = isPickup(item) ? TEXT.pickup_failed : TEXT.failed;
  return `${failed}: ${CONFIG.reasons[entry.reason] || entry.reason}`;
};

// The home stop of a medication order says whether its pickup (stop `pickupId`) is done on this phone.
const showMedication = (pickupId, pickedUp) => {
  const note = document.querySelector(`[data-medication-for="${pickupId}"]`);
  if (!note) return;
  if (note.dataset.before === undefined) note.dataset.before = note.textContent;
  note.textContent = pickedUp ? TEXT.medication_picked_up : note.dataset.before;
};

const isHeld = (item) => loadHeld().some((h) => h.action.stop === Number(item.dataset.stop));

// Show a stop as done on this phone, before (or without) the server's word on it; held while its undo is offered.
export const showDone = (item, entry) => {
  if (!item || item.dataset.outcome !== "pending") return;
  item.classList.remove("delivered", "failed", "picked_up");
  item.classList.add(entry.kind, "local");
  const pending = item.querySelector(".pending-only");
  if (pending) pending.hidden = true;
  const text = item.querySelector("[data-outcome-text]");
  let state = entry.sent ? TEXT.sent : TEXT.waiting;
  if (isHeld(item)) state = TEXT.held;
  if (text) text.textContent = `${outcomeLabel(item, entry)} · ${state}`;
  if (entry.kind === "picked_up") showMedication(item.dataset.stop, true);
};

// The stop's forms again, as before the tap (a refusal from the server, or the driver's own undo).
export const showPending = (item) => {
  if (!item || item.dataset.outcome !== "pending") return;
  item.classList.remove("delivered", "failed", "picked_up", "local");
  const pending = item.querySelector(".pending-only");
  if (pending) pending.hidden = false;
  const text = item.querySelector("[data-outcome-text]");
  if (text) text.textContent = "";
  if (isPickup(item)) showMedication(item.dataset.stop, false);
};

export const showUndone = (item, message) => {
  if (!item) return;
  showPending(item);
  const box = item.querySelector("[data-stop-message]");
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
};

export const hideStart = () => {
  const form = document.querySelector('form[data-action="start"]');
  if (form) form.hidden = true;
};

export const restoreFromPhone = () => {
  const done = loadDone();
  const now = Date.now();
  for (const [id, entry] of Object.entries(done)) {
    if (now - entry.at > DONE_KEEP_MS) {
      delete done[id];
    } else if (id === `round-${CONFIG.round}`) {
      hideStart();
    } else {
      showDone(stopItem(id), entry);
    }
  }
  saveDone(done);
};
