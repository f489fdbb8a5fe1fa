// Kabinet's service worker: makes the portal installable and answers a page that cannot be
// loaded while offline with /offline.html. It keeps only that page and what it shows (the
// stylesheet and the icons); pages and answers with the customer's data are never stored.
"use strict";

const CACHE = "kabinet-offline-v2";
const OFFLINE_PAGE = "/offline.html";
// /style.css is the current stylesheet under a stable name (the /pkg one carries its hash).
const KEPT = [OFFLINE_PAGE, "/style.css", "/favicon.svg", "/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(KEPT.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Always the network; the offline page only when there is none.
    event.respondWith(
      fetch(request).catch(() => caches.match(OFFLINE_PAGE).then((page) => page || Response.error())),
    );
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && KEPT.includes(url.pathname)) {
    // The offline page's own files: fresh from the network, kept copies when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((kept) => kept || Response.error())),
    );
  }
});
