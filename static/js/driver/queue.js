/* Each tap becomes an action with its own key, kept on the phone until the server has taken it. */
import { TEXT } from "./config.js";
import { loadQueue, saveQueue } from "./storage.js";
import { notice, showBanner } from "./screen.js";
import { flush } from "./sync.js";

const newKey = () => {
  if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; plain http on a local network has only getRandomValues.
  const bytes = new Uint8Array(16);
  if (window.crypto && crypto.getRandomValues) {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => (b + 0x100).toString(16).slice(1)).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
};

// Whether the phone kept the action; it is sent at once when there is signal.
export const enqueue = (action) => {
  action.key = newKey();
  // A tap held for its undo keeps the moment it was made, not the moment it joined the queue.
  action.done_at = action.done_at || new Date().toISOString();
  const queue = loadQueue();
  queue.push(action);
  try {
    saveQueue(queue);
  } catch (error) {
    if (!action.photo) {
      queue.pop();
      notice(TEXT.storage_error);
      return false;
    }
    delete action.photo; // the delivery matters more than its picture
    try {
      saveQueue(queue);
    } catch (again) {
      notice(TEXT.storage_error);
      return false;
    }
    notice(TEXT.storage_full, "warning");
  }
  showBanner();
  flush();
  return true;
};
