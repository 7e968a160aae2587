/* Reparto: the driver's phone page keeps working without signal.
   Each form becomes an action with its own key, kept in localStorage and sent to the server when there is signal;
   the server answers a key it has seen with its first answer, so sending twice records nothing twice.
   Without JavaScript (or without localStorage) the plain forms post as usual. */
(function () {
  "use strict";

  const configNode = document.getElementById("driver-config");
  if (!configNode) return;
  const CONFIG = JSON.parse(configNode.textContent);
  const TEXT = CONFIG.texts;
  const QUEUE_KEY = "reparto.driver.queue." + CONFIG.user;
  const DONE_KEY = "reparto.driver.done." + CONFIG.user;
  const RETRY_MS = 15000;
  const BATCH_ACTIONS = 50;
  const DONE_KEEP_MS = 3 * 24 * 3600 * 1000;

  if (!storageWorks()) return; // the plain forms still work

  let sending = false;

  /* ---------- storage ---------- */

  function storageWorks() {
    try {
      localStorage.setItem("reparto.test", "1");
      localStorage.removeItem("reparto.test");
      return true;
    } catch (error) {
      return false;
    }
  }

  function read(name, empty) {
    try {
      return JSON.parse(localStorage.getItem(name)) || empty;
    } catch (error) {
      return empty;
    }
  }

  function loadQueue() {
    return read(QUEUE_KEY, []);
  }

  function saveQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); // may throw when the phone is full
  }

  // Stops recorded on this phone: a page opened from the cache may be older than what was done since.
  function loadDone() {
    return read(DONE_KEY, {});
  }

  function saveDone(done) {
    try {
      localStorage.setItem(DONE_KEY, JSON.stringify(done));
    } catch (error) {
      /* only a display aid; the queue is what matters */
    }
  }

  function newKey() {
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
  }

  /* ---------- what the driver sees ---------- */

  function notice(message, kind) {
    const box = document.getElementById("driver-notices");
    if (!box || !message) return;
    const line = document.createElement("p");
    line.className = "message " + (kind || "error");
    line.setAttribute("role", "status");
    line.textContent = message;
    box.prepend(line);
    while (box.children.length > 5) box.lastElementChild.remove();
  }

  let statusText = "";

  function showBanner() {
    const banner = document.getElementById("driver-queue");
    if (!banner) return;
    const count = loadQueue().length;
    const parts = [];
    if (count === 1) parts.push(TEXT.waiting_one);
    if (count > 1) parts.push(TEXT.waiting_many.replace("{count}", String(count)));
    if (!navigator.onLine) parts.push(TEXT.offline);
    else if (count && statusText) parts.push(statusText);
    banner.textContent = parts.join(" · ");
    banner.hidden = parts.length === 0;
    banner.classList.toggle("offline", !navigator.onLine);
  }

  function stopItem(stopId) {
    return document.querySelector('li.stop[data-stop="' + stopId + '"]');
  }

  function outcomeLabel(entry) {
    if (entry.kind === "delivered") return TEXT.delivered;
    return TEXT.failed + ": " + (CONFIG.reasons[entry.reason] || entry.reason);
  }

  // Show a stop as done on this phone, before (or without) the server's word on it.
  function showDone(item, entry) {
    if (!item || item.dataset.outcome !== "pending") return;
    item.classList.remove("delivered", "failed");
    item.classList.add(entry.kind, "local");
    const pending = item.querySelector(".pending-only");
    if (pending) pending.hidden = true;
    const text = item.querySelector("[data-outcome-text]");
    if (text) text.textContent = outcomeLabel(entry) + " · " + (entry.sent ? TEXT.sent : TEXT.waiting);
  }

  function showUndone(item, message) {
    if (!item) return;
    if (item.dataset.outcome === "pending") {
      item.classList.remove("delivered", "failed", "local");
      const pending = item.querySelector(".pending-only");
      if (pending) pending.hidden = false;
      const text = item.querySelector("[data-outcome-text]");
      if (text) text.textContent = "";
    }
    const box = item.querySelector("[data-stop-message]");
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
  }

  function hideStart() {
    const form = document.querySelector('form[data-action="start"]');
    if (form) form.hidden = true;
  }

  function restoreFromPhone() {
    const done = loadDone();
    const now = Date.now();
    for (const [id, entry] of Object.entries(done)) {
      if (now - entry.at > DONE_KEEP_MS) {
        delete done[id];
      } else if (id === "round-" + CONFIG.round) {
        hideStart();
      } else {
        showDone(stopItem(id), entry);
      }
    }
    saveDone(done);
  }

  /* ---------- the queue ---------- */

  function enqueue(action) {
    action.key = newKey();
    action.done_at = new Date().toISOString();
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
  }

  function remember(id, entry) {
    const done = loadDone();
    done[id] = Object.assign({ at: Date.now() }, entry);
    saveDone(done);
  }

  function forget(id) {
    const done = loadDone();
    delete done[id];
    saveDone(done);
  }

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Consecutive actions in batches small enough for one request; an action with a photo may go alone.
  function batches(queue) {
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
  }

  function applyAnswer(action, answer) {
    const id = action.kind === "start" ? "round-" + action.round : String(action.stop);
    if (answer.accepted) {
      if (action.kind === "delivered" || action.kind === "failed") {
        const entry = Object.assign({}, loadDone()[id] || { kind: action.kind, reason: action.reason }, { sent: true });
        remember(id, entry);
        showDone(stopItem(id), entry);
      }
      return;
    }
    notice(answer.message);
    if (action.kind === "delivered" || action.kind === "failed") {
      forget(id);
      showUndone(stopItem(id), answer.message);
    } else if (action.kind === "start") {
      forget(id);
    }
  }

  async function errorText(response) {
    try {
      return (await response.json()).error || TEXT.server_error;
    } catch (error) {
      return TEXT.server_error; // not JSON: keep the general message
    }
  }

  async function flush() {
    if (sending) return;
    if (!loadQueue().length || !navigator.onLine) {
      showBanner();
      return;
    }
    sending = true;
    statusText = TEXT.sending;
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
          body: JSON.stringify({ actions: batch }),
        });
        if (response.type === "opaqueredirect" || response.status === 403) {
          statusText = TEXT.session;
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
          statusText = await errorText(response);
          return;
        }
        const answers = (await response.json()).answers || [];
        const byKey = new Map(answers.map((answer) => [answer.key, answer]));
        for (const action of batch) {
          const answer = byKey.get(action.key);
          if (answer) applyAnswer(action, answer);
        }
        // Read the queue again: the driver may have added to it while this batch was on its way.
        saveQueue(loadQueue().filter((action) => !byKey.has(action.key)));
      }
      statusText = "";
    } catch (error) {
      statusText = TEXT.server_error; // no signal after all, or the answer was lost: the queue stays
    } finally {
      sending = false;
      showBanner();
    }
  }

  /* ---------- signature and photo ---------- */

  function signaturePad(box) {
    const canvas = box.querySelector("canvas");
    const context = canvas.getContext("2d");
    let drawing = false;
    let drawn = false;
    let last = null;

    function blank() {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      drawn = false;
    }

    // The canvas keeps its own resolution; the pointer is scaled from the size it is shown at.
    function point(event) {
      const rect = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - rect.left) * canvas.width) / rect.width,
        y: ((event.clientY - rect.top) * canvas.height) / rect.height,
      };
    }

    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const next = point(event);
      context.strokeStyle = "#1d2733";
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
      drawn = true;
    });
    for (const type of ["pointerup", "pointercancel"]) {
      canvas.addEventListener(type, () => {
        drawing = false;
      });
    }
    box.querySelector("[data-clear]").addEventListener("click", blank);
    blank();
    box.hidden = false;
    return {
      clear: blank,
      dataUrl: () => (drawn ? canvas.toDataURL("image/png") : null),
    };
  }

  // A phone photo is several megabytes; a JPEG of at most photo_max_pixels shows the door well enough.
  function shrinkPhoto(file) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(file);
      const image = new Image();
      image.onload = () => {
        URL.revokeObjectURL(url);
        const scale = Math.min(1, CONFIG.photo_max_pixels / Math.max(image.naturalWidth, image.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        let quality = 0.85;
        let data = canvas.toDataURL("image/jpeg", quality);
        while (data.length * 0.75 > CONFIG.photo_max_bytes && quality > 0.35) {
          quality -= 0.15;
          data = canvas.toDataURL("image/jpeg", quality);
        }
        if (!data.startsWith("data:image/jpeg") || data.length * 0.75 > CONFIG.photo_max_bytes) {
          reject(new Error("photo too large"));
        } else {
          resolve(data);
        }
      };
      image.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error("photo unreadable"));
      };
      image.src = url;
    });
  }

  /* ---------- the forms ---------- */

  function stopOf(form) {
    return form.closest("li.stop");
  }

  function setUpDelivered(form) {
    const pad = signaturePad(form.querySelector("[data-signature]"));
    const input = form.querySelector("input[type=file]");
    const preview = form.querySelector(".photo-preview");
    let photo = null;
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      photo = file
        ? shrinkPhoto(file).catch(() => {
            notice(TEXT.photo_error);
            input.value = "";
            return null;
          })
        : null;
      if (photo && preview) {
        photo.then((data) => {
          preview.hidden = !data;
          if (data) preview.src = data;
        });
      }
    });
    let busy = false; // a second tap while the photo is still being shrunk must not queue the delivery twice
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      const item = stopOf(form);
      const action = {
        kind: "delivered",
        stop: Number(item.dataset.stop),
        received_by: form.elements.received_by.value.trim(),
        signature: pad.dataUrl(),
        photo: photo ? await photo : null,
      };
      busy = false;
      if (!enqueue(action)) return;
      remember(item.dataset.stop, { kind: "delivered" });
      showDone(item, { kind: "delivered" });
      form.reset();
      pad.clear();
      photo = null;
      if (preview) preview.hidden = true;
    });
  }

  function setUpFailed(form) {
    let chosen = null;
    // event.submitter is missing on older phones; remember the button instead.
    form.querySelectorAll("button[name=reason]").forEach((button) => {
      button.addEventListener("click", () => {
        chosen = button.value;
      });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = (event.submitter && event.submitter.value) || chosen;
      if (!reason) return;
      const item = stopOf(form);
      if (!enqueue({ kind: "failed", stop: Number(item.dataset.stop), reason: reason })) return;
      remember(item.dataset.stop, { kind: "failed", reason: reason });
      showDone(item, { kind: "failed", reason: reason });
    });
  }

  function setUpConcern(form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = form.elements.text.value.trim();
      if (!text) return;
      const item = stopOf(form);
      if (!enqueue({ kind: "concern", stop: Number(item.dataset.stop), text: text })) return;
      form.reset();
      const details = form.closest("details");
      if (details) details.open = false;
      notice(TEXT.concern_queued, "success");
    });
  }

  function setUpStart(form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const round = Number(form.dataset.round);
      if (!enqueue({ kind: "start", round: round })) return;
      remember("round-" + round, { kind: "start" });
      hideStart();
      notice(TEXT.started, "success");
    });
  }

  function start() {
    document.querySelectorAll('form[data-action="delivered"]').forEach(setUpDelivered);
    document.querySelectorAll('form[data-action="failed"]').forEach(setUpFailed);
    document.querySelectorAll('form[data-action="concern"]').forEach(setUpConcern);
    document.querySelectorAll('form[data-action="start"]').forEach(setUpStart);
    restoreFromPhone();
    showBanner();
    window.addEventListener("online", flush);
    window.addEventListener("offline", showBanner);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush();
    });
    setInterval(flush, RETRY_MS);
    flush();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(CONFIG.sw_url, { scope: CONFIG.sw_scope }).catch(() => undefined);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
