/* Sending the queue: in batches, once per key (the server answers a key it has seen with its first answer), and
   never losing an action to a dropped signal or an ended session. */
import { CONFIG, TEXT } from "./config.js";
import { forget, loadDone, loadQueue, remember, saveQueue } from "./storage.js";
import { dropStops, notice, setStatus, showBanner, showDone, showUndone, shownStops, stopItem } from "./screen.js";

const BATCH_ACTIONS = 50;
// With nothing to send, ask this often whether a stop was taken off the round (a cancelled or moved order).
const CHECK_MS = 60000;

let lastCheck = 0;
// The signal is back: the flush that follows asks at once which stops were taken off while the phone was offline,
// instead of waiting out CHECK_MS. Registered as this module loads, so before main.js's own "online" flush.
window.addEventListener("online", () => {
  lastCheck = 0;
});

let sending = false;

export const csrfToken = () => {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
};

// Consecutive actions in batches small enough for one request; an action with a photo may go alone.
export const batches = (queue) => {
  const result = [];
  let batch = [];
  let size = 0;
  for (const action of queue) {
    const length = JSON.stringify(action).length;
    if (batch.length && (size + length > CONFIG.batch_chars || batch.length >= BATCH_ACTIONS)) {
      result.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(action);
    size += length;
  }
  if (batch.length) result.push(batch);
  return result;
};

const isOutcome = (action) => ["delivered", "failed", "picked_up"].includes(action.kind);

const applyAnswer = (action, answer) => {
  const id = action.kind === "start" ? `round-${action.round}` : String(action.stop);
  if (answer.accepted) {
    if (isOutcome(action)) {
      const entry = { ...(loadDone()[id] || { kind: action.kind, reason: action.reason }), sent: true };
      remember(id, entry);
      showDone(stopItem(id), entry);
    }
    return;
  }
  notice(answer.message);
  if (isOutcome(action)) {
    forget(id);
    showUndone(stopItem(id), answer.message);
  } else if (action.kind === "start") {
    forget(id);
  }
};

const errorText = async (response) => {
  try {
    return (await response.json()).error || TEXT.server_error;
  } catch (error) {
    return TEXT.server_error; // not JSON: keep the general message
  }
};

// Nothing queued: still ask now and then which of the shown stops were taken off, so a phone that was offline
// when an order was cancelled drops its stop at the next sync.
const checkRemoved = async () => {
  if (Date.now() - lastCheck < CHECK_MS || !shownStops().length) return;
  lastCheck = Date.now();
  try {
    const response = await fetch(CONFIG.sync_url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ actions: [], known: shownStops() }),
    });
    if (response.ok) dropStops((await response.json()).removed);
  } catch (error) {
    /* no signal after all: asked again at the next sync */
  }
};

export const flush = async () => {
  if (sending) return;
  if (!loadQueue().length || !navigator.onLine) {
    showBanner();
    if (navigator.onLine) await checkRemoved();
    return;
  }
  sending = true;
  setStatus(TEXT.sending);
  showBanner();
  try {
    const pending = batches(loadQueue());
    while (pending.length) {
      const batch = pending.shift();
      const response = await fetch(CONFIG.sync_url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual", // a redirect means the session ended; the sign-in page is no answer
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ actions: batch, known: shownStops() }),
      });
      if (response.type === "opaqueredirect" || response.status === 403) {
        setStatus(TEXT.session);
        return;
      }
      if (response.status === 400) {
        // The server cannot take this batch as it is, and sending it again would get the same answer: send its
        // actions one at a time, and drop (with the server's reason) the one it still cannot take.
        if (batch.length > 1) {
          pending.unshift(...batch.map((action) => [action]));
          continue;
        }
        const refused = batch[0];
        applyAnswer(refused, { key: refused.key, accepted: false, message: await errorText(response) });
        saveQueue(loadQueue().filter((action) => action.key !== refused.key));
        continue;
      }
      if (!response.ok) {
        setStatus(await errorText(response));
        return;
      }
      const reply = await response.json();
      const answers = reply.answers || [];
      dropStops(reply.removed);
      lastCheck = Date.now();
      const byKey = new Map(answers.map((answer) => [answer.key, answer]));
      for (const action of batch) {
        const answer = byKey.get(action.key);
        if (answer) applyAnswer(action, answer);
      }
      // Read the queue again: the driver may have added to it while this batch was on its way.
      saveQueue(loadQueue().filter((action) => !byKey.has(action.key)));
    }
    setStatus("");
  } catch (error) {
    setStatus(TEXT.server_error); // no signal after all, or the answer was lost: the queue stays
  } finally {
    sending = false;
    showBanner();
  }
};
