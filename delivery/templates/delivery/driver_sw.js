/* Reparto: the service worker of the driver's page (served by delivery.views_driver.driver_sw).
   The page comes from the network when there is signal and from the cache when there is none; static files come
   from the cache and are refreshed behind it. Posts are never touched: the page queues them itself. */
"use strict";

const CONFIG = {{ sw_config|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CONFIG.cache).then(async (cache) => {
      await cache.addAll(CONFIG.precache);
      // The page too, so that the first time without signal already finds it; a failure here is not fatal.
      try {
        const response = await fetch(CONFIG.page, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(CONFIG.page, response);
      } catch (error) {
        /* no signal while installing: the next visit with signal stores the page */
      }
      await self.skipWaiting();
    }),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("reparto-driver-") && name !== CONFIG.cache)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function pageFromNetwork(request) {
  return fetch(request)
    .then((response) => {
      // A redirect means the session ended: show the sign-in page, but keep the last good round page.
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CONFIG.cache).then((cache) => cache.put(CONFIG.page, copy));
      }
      return response;
    })
    .catch(() =>
      caches.match(CONFIG.page).then((cached) => cached || Response.error()),
    );
}

function staticFromCache(event) {
  const refreshed = fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      return caches
        .open(CONFIG.cache)
        .then((cache) => cache.put(event.request, copy))
        .then(() => response);
    }
    return response;
  });
  // Keep the worker alive until the copy in the cache is fresh, whichever answer the page gets.
  event.waitUntil(refreshed.catch(() => undefined));
  return caches.match(event.request).then((cached) => cached || refreshed);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(pageFromNetwork(request));
  } else if (url.pathname.startsWith(CONFIG.static_prefix)) {
    event.respondWith(staticFromCache(event));
  }
});
