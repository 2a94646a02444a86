// Zĭyaly Qauym service worker. The server fills in BUILD_ID and PRECACHE for the running
// build, so the cache holds exactly this build's files and a new build gets a new cache.
const BUILD_ID = "__BUILD_ID__";
const PRECACHE = [/*__PRECACHE__*/];
// Where this build's hashed files live (null when names carry no hash). Such a file never
// changes, so the copy the page has just downloaded into the HTTP cache is the right one.
const IMMUTABLE_PREFIX = "__IMMUTABLE_PREFIX__";
const SHELL_CACHE = `zq-shell-${BUILD_ID}`;
// Pages seen online, so reloading a page with no signal shows that page. Named after the
// build because a page refers to the js/wasm of the build that rendered it.
const PAGES_CACHE = `zq-pages-${BUILD_ID}`;
// Map tiles a person downloaded for a village ("download this village"): kept across builds,
// removed only from the map page. Served from here first, so the map works without signal.
const TILES_CACHE = "zq-tiles";
// The header the server puts on pages that may carry a person's data: never stored (issue 14).
const PRIVATE_PAGE_HEADER = "__PRIVATE_PAGE_HEADER__";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map(precacheRequest)))
      .then(() => self.skipWaiting()),
  );
});

function precacheRequest(url) {
  // A hashed build file: taken from the HTTP cache when the page already downloaded it (same
  // credentials mode as the page's own request, or the browser keys it apart), so each build
  // file crosses the network once.
  if (IMMUTABLE_PREFIX && url.startsWith(IMMUTABLE_PREFIX)) return new Request(url);
  // Anything else may have changed with the build: `reload` skips the HTTP cache. Without
  // cookies: the shell (sign-in page) is the same for everybody and must not hold the name of
  // whoever was signed in when the worker installed.
  return new Request(url, { cache: "reload", credentials: "omit" });
}

self.addEventListener("activate", (event) => {
  // Old builds' caches go; the page keeps running the code it loaded and picks up the new
  // build on its next navigation. No reload is forced, so no reload loop can start.
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter(
              (key) => key.startsWith("zq-") && key !== SHELL_CACHE && key !== PAGES_CACHE && key !== TILES_CACHE,
            )
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
    // Only a page the server rendered for this address: a redirect (to sign in) stored under
    // the address would be replayed offline as the wrong page.
    // The sign-in page is the precached shell already.
    const keep = !response.headers.has(PRIVATE_PAGE_HEADER);
    if (keep && response.ok && !response.redirected && new URL(request.url).pathname !== "/sign-in") {
      await pages.put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await pages.match(request, { ignoreVary: true });
    if (cached) return cached;
    // A page never opened online: go to the home page if it was seen (signed in), else to the
    // precached sign-in page, rather than show another page's HTML under this address.
    const path = new URL(request.url).pathname;
    const home = await pages.match("/", { ignoreVary: true });
    if (home && path !== "/") return Response.redirect("/", 302);
    const signIn = await caches.match("/sign-in", { cacheName: SHELL_CACHE });
    if (signIn && path === "/sign-in") return signIn;
    if (signIn) return Response.redirect("/sign-in", 302);
    throw offline;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  return cached || fetch(request);
}
