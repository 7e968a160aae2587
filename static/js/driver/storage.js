/* What the phone keeps in localStorage: the queue of actions not yet taken by the server, and the stops (and the
   round's start) recorded on this phone, per signed-in user. */
import { CONFIG } from "./config.js";

const user = CONFIG ? CONFIG.user : "";
const QUEUE_KEY = `reparto.driver.queue.${user}`;
const DONE_KEY = `reparto.driver.done.${user}`;
const HELD_KEY = `reparto.driver.held.${user}`;

export const DONE_KEEP_MS = 3 * 24 * 3600 * 1000;

export const storageWorks = () => {
  try {
    localStorage.setItem("reparto.test", "1");
    localStorage.removeItem("reparto.test");
    return true;
  } catch (error) {
    return false;
  }
};

const read = (name, empty) => {
  try {
    return JSON.parse(localStorage.getItem(name)) || empty;
  } catch (error) {
    return empty;
  }
};

export const loadQueue = () => read(QUEUE_KEY, []);

export const saveQueue = (queue) => {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); // may throw when the phone is full
};

// Outcomes tapped a moment ago, not yet in the queue: a wrong tap can still be taken back (hold.js).
export const loadHeld = () => read(HELD_KEY, []);

export const saveHeld = (held) => {
  localStorage.setItem(HELD_KEY, JSON.stringify(held)); // may throw when the phone is full
};

// Stops recorded on this phone: a page opened from the cache may be older than what was done since.
export const loadDone = () => read(DONE_KEY, {});

export const saveDone = (done) => {
  try {
    localStorage.setItem(DONE_KEY, JSON.stringify(done));
  } catch (error) {
    /* only a display aid; the queue is what matters */
  }
};

export const remember = (id, entry) => {
  const done = loadDone();
  done[id] = { at: Date.now(), ...entry };
  saveDone(done);
};

export const forget = (id) => {
  const done = loadDone();
  delete done[id];
  saveDone(done);
};
