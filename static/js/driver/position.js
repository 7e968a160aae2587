/* Sharing the van's position with the depot, only after the driver agreed on this round (the toggle on the page,
   remembered on the round) and only while the round is under way. At most one fix a minute, sooner once the van
   has moved 200 m. A fix that cannot be sent is dropped, never queued: an old position is worth nothing.
   The server says when to stop (409: the round is over or sharing was turned off; 403: not this driver's round). */
import { CONFIG } from "./config.js";
import { csrfToken } from "./sync.js";

const settings = CONFIG && CONFIG.position;

// Metres between two fixes along the Earth's surface (haversine); close enough for "has it moved 200 m".
const metresBetween = (a, b) => {
  const rad = (degrees) => (degrees * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(h));
};

const share = () => {
  const status = document.getElementById("position-status");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  let watch = null;
  let timer = null;
  let last = null; // the last fix the server stored: {latitude, longitude, at}
  let sending = false;

  const stop = (text) => {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    if (timer !== null) window.clearInterval(timer);
    watch = timer = null;
    say(text);
  };

  const due = (fix) => {
    if (!last) return true;
    if (Date.now() - last.at >= settings.every_s * 1000) return true;
    return metresBetween(last, fix) >= settings.every_m;
  };

  const send = async (position) => {
    const fix = { latitude: position.coords.latitude, longitude: position.coords.longitude };
    if (sending || !navigator.onLine || !due(fix)) return;
    sending = true;
    try {
      const response = await fetch(settings.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({
          ...fix,
          accuracy: position.coords.accuracy,
          recorded_at: new Date(position.timestamp || Date.now()).toISOString(),
        }),
      });
      if (response.status === 201) {
        last = { ...fix, at: Date.now() };
        say(settings.texts.sharing);
      } else if (response.status === 409 || response.status === 403) {
        stop(settings.texts.stopped);
      }
      // 429: a fix too soon after the last one; the next one goes. 400: a bad fix; the next one may be good.
    } catch (error) {
      /* no signal: this fix is dropped, the next one is tried */
    } finally {
      sending = false;
    }
  };

  const failed = (error) => {
    if (error.code === error.PERMISSION_DENIED) stop(settings.texts.denied);
  };

  watch = navigator.geolocation.watchPosition(send, failed, {
    enableHighAccuracy: true,
    maximumAge: 30000,
    timeout: 60000,
  });
  // A van standing still may get no new fix from watchPosition: ask once a minute, so the board does not see it
  // as gone quiet.
  timer = window.setInterval(() => {
    navigator.geolocation.getCurrentPosition(send, failed, { maximumAge: settings.every_s * 1000, timeout: 30000 });
  }, settings.every_s * 1000);
};

if (settings && settings.shared && settings.under_way && "geolocation" in navigator) share();
