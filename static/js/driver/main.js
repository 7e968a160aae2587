/* Reparto: the driver's phone page keeps working without signal.
   Each form becomes an action with its own key, kept in localStorage and sent to the server when there is signal;
   the server answers a key it has seen with its first answer, so sending twice records nothing twice.
   Without JavaScript, without localStorage, or on a browser too old for modules, the plain forms post as usual.
   A tap on Delivered or Not delivered is held a few seconds, with an Undo button, before it joins the queue.
   A module runs once the page is parsed, so the forms are all there. */
import { CONFIG, TEXT } from "./config.js";
import { holdOutcome, releaseDue, restoreHeld } from "./hold.js";
import { shrinkPhoto } from "./photo.js";
import { enqueue } from "./queue.js";
import { hideStart, notice, restoreFromPhone, showBanner, showDone } from "./screen.js";
import { signaturePad } from "./signature.js";
import { remember, storageWorks } from "./storage.js";
import { flush } from "./sync.js";

const RETRY_MS = 15000;

const stopOf = (form) => form.closest("li.stop");

const setUpDelivered = (form) => {
  const pad = signaturePad(form.querySelector("[data-signature]"));
  const input = form.querySelector("input[type=file]");
  const preview = form.querySelector(".photo-preview");
  const limits = { maxPixels: CONFIG.photo_max_pixels, maxBytes: CONFIG.photo_max_bytes };
  let photo = null;
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    photo = file
      ? shrinkPhoto(file, limits).catch(() => {
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
    // Held a few seconds with an Undo button before it is queued (hold.js).
    if (!holdOutcome(action, { kind: "delivered" })) return;
    remember(item.dataset.stop, { kind: "delivered" });
    showDone(item, { kind: "delivered" });
    form.reset();
    pad.clear();
    photo = null;
    if (preview) preview.hidden = true;
  });
};

// A pharmacy pickup: who handed the medication over is required, the first link of its chain of custody.
const setUpPickedUp = (form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const handedOverBy = form.elements.handed_over_by.value.trim();
    if (!handedOverBy) {
      notice(TEXT.handed_over_by_missing);
      form.elements.handed_over_by.focus();
      return;
    }
    const item = stopOf(form);
    const action = { kind: "picked_up", stop: Number(item.dataset.stop), handed_over_by: handedOverBy };
    // Held a few seconds with an Undo button before it is queued, like a delivery (hold.js).
    if (!holdOutcome(action, { kind: "picked_up" })) return;
    remember(item.dataset.stop, { kind: "picked_up" });
    showDone(item, { kind: "picked_up" });
    form.reset();
  });
};

const setUpFailed = (form) => {
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
    // A failure texts the household: ask before recording it (it can still be undone for a few minutes).
    const label = (CONFIG.reasons && CONFIG.reasons[reason]) || reason;
    const item = stopOf(form);
    const question = item.dataset.kind === "pickup" ? TEXT.pickup_failed_confirm : TEXT.failed_confirm;
    if (!window.confirm(question.replace("{reason}", label))) return;
    if (!holdOutcome({ kind: "failed", stop: Number(item.dataset.stop), reason }, { kind: "failed", reason })) return;
    remember(item.dataset.stop, { kind: "failed", reason });
    showDone(item, { kind: "failed", reason });
  });
};

const setUpConcern = (form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    if (!text) return;
    const item = stopOf(form);
    if (!enqueue({ kind: "concern", stop: Number(item.dataset.stop), text })) return;
    form.reset();
    const details = form.closest("details");
    if (details) details.open = false;
    notice(TEXT.concern_queued, "success");
  });
};

const setUpStart = (form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const round = Number(form.dataset.round);
    if (!enqueue({ kind: "start", round })) return;
    remember(`round-${round}`, { kind: "start" });
    hideStart();
    notice(TEXT.started, "success");
  });
};

const start = () => {
  document.querySelectorAll('form[data-action="delivered"]').forEach(setUpDelivered);
  document.querySelectorAll('form[data-action="picked_up"]').forEach(setUpPickedUp);
  document.querySelectorAll('form[data-action="failed"]').forEach(setUpFailed);
  document.querySelectorAll('form[data-action="concern"]').forEach(setUpConcern);
  document.querySelectorAll('form[data-action="start"]').forEach(setUpStart);
  restoreFromPhone();
  restoreHeld();
  showBanner();
  window.addEventListener("online", flush);
  window.addEventListener("offline", showBanner);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(() => {
    releaseDue(); // a held tap the phone could not queue at its time is tried again
    flush();
  }, RETRY_MS);
  flush();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(CONFIG.sw_url, { scope: CONFIG.sw_scope }).catch(() => undefined);
  }
};

if (CONFIG && storageWorks()) start(); // else the plain forms still work
