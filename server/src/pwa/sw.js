// Zĭyaly Qauym service worker. The server fills in BUILD_ID and PRECACHE for the running
// build, so the cache holds exactly this build's files and a new build gets a new cache.
const BUILD_ID = "__BUILD_ID__";
const PRECACHE = [/*__PRECACHE__*/];
const SHELL_CACHE = `zq-shell-${BUILD_ID}`;
// Pages seen online, so reloading a page with no signal shows that page. Named after the
// build because a page refers to the js/wasm of the build that rendered it.
const PAGES_CACHE = `zq-pages-${BUILD_ID}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // `reload` skips the HTTP cache: the files must come from this server, this build.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  // Old builds' caches go; the page keeps running the code it loaded and picks up the new
  // build on its next navigation. No reload is forced, so no reload loop can start.
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("zq-") && key !== SHELL_CACHE && key !== PAGES_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Data and health checks always go to the network; offline data lives in IndexedDB.
  if (url.pathname.startsWith("/api/") || url.pathname === "/healthz" || url.pathname === "/sw.js") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

async function pageNetworkFirst(request) {
  const pages = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await pages.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await pages.match(request, { ignoreVary: true });
    if (cached) return cached;
    // A page never opened online: go to the precached home page rather than show another
    // page's HTML under this address (which would not hydrate).
    const home = await caches.match("/", { cacheName: SHELL_CACHE });
    if (home && new URL(request.url).pathname !== "/") return Response.redirect("/", 302);
    if (home) return home;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  return cached || fetch(request);
}
