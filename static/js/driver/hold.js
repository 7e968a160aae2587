/* A tap on Delivered or Not delivered waits a few seconds on the phone before it joins the queue, with an Undo
   button on its card: a wrong tap is taken back before anything leaves the phone, with or without signal. The held
   taps live in localStorage, so a page reloaded or a phone locked within those seconds still sends them (or still
   offers the undo). After that, a failure can still be undone on the server until the household is told. */
import { CONFIG, TEXT } from "./config.js";
import { enqueue } from "./queue.js";
import { showBanner, showDone, showPending, stopItem } from "./screen.js";
import { forget, loadHeld, saveHeld } from "./storage.js";

const holdMs = () => Math.max(0, Number(CONFIG.undo_seconds) || 0) * 1000;

const removeUndo = (item) => {
  const bar = item && item.querySelector(".undo-tap");
  if (bar) bar.remove();
};

const addUndo = (item, stopId) => {
  if (!item || item.querySelector(".undo-tap")) return;
  const bar = document.createElement("p");
  bar.className = "undo-tap";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "big";
  button.textContent = TEXT.undo;
  button.addEventListener("click", () => undoTap(stopId));
  const note = document.createElement("span");
  note.className = "muted";
  note.textContent = ` ${TEXT.undo_note}`;
  bar.append(button, note);
  const text = item.querySelector("[data-outcome-text]");
  if (text) text.after(bar);
  else item.append(bar);
};

// Held taps whose seconds are over go to the queue (and from there to the server); one that the phone could not
// queue stays held and is tried again at the next release.
export const releaseDue = () => {
  const now = Date.now();
  let held = loadHeld();
  for (const entry of held.filter((h) => h.release_at <= now)) {
    if (!enqueue(entry.action)) continue;
    held = loadHeld().filter((h) => h.action.stop !== entry.action.stop);
    saveHeld(held);
    const item = stopItem(entry.action.stop);
    removeUndo(item);
    showDone(item, entry.entry);
  }
  showBanner();
};

const scheduleRelease = (releaseAt) => {
  setTimeout(releaseDue, Math.max(0, releaseAt - Date.now()) + 50);
};

// Whether the phone kept the tap. With no undo time, or no room to hold it, it is queued at once.
export const holdOutcome = (action, entry) => {
  const wait = holdMs();
  if (!wait) return enqueue(action);
  action.done_at = new Date().toISOString();
  const releaseAt = Date.now() + wait;
  try {
    saveHeld([...loadHeld().filter((h) => h.action.stop !== action.stop), { action, entry, release_at: releaseAt }]);
  } catch (error) {
    return enqueue(action);
  }
  const item = stopItem(action.stop);
  showDone(item, entry);
  addUndo(item, action.stop);
  showBanner();
  scheduleRelease(releaseAt);
  return true;
};

export const undoTap = (stopId) => {
  const held = loadHeld();
  const item = stopItem(stopId);
  removeUndo(item);
  if (!held.some((h) => h.action.stop === stopId)) return; // already on its way: the card says so
  saveHeld(held.filter((h) => h.action.stop !== stopId));
  forget(String(stopId));
  showPending(item);
  const box = item && item.querySelector("[data-stop-message]");
  if (box) box.hidden = true;
  showBanner();
};

// On opening the page: taps held when it was left are released if their time is over, else offered again.
export const restoreHeld = () => {
  releaseDue();
  for (const entry of loadHeld()) {
    const item = stopItem(entry.action.stop);
    showDone(item, entry.entry);
    addUndo(item, entry.action.stop);
    scheduleRelease(entry.release_at);
  }
};
