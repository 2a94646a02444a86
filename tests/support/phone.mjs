// A phone as the browser tests use it: signed in with its PIN, reopened with it, and every
// browser storage read back to look for what must not be there.
import { newContext, PHONE, signInWithPin, waitForActiveServiceWorker, waitForHydration } from "./browser.mjs";
import { open, syncBar, until } from "./outbox.mjs";

export const PIN = "2468";

const settled = async (page) => {
  const bar = await syncBar(page);
  return bar.pending === 0 && !bar.running;
};

/** Opens the app anew in a fresh tab (the lock screen shows) and types the PIN. */
export async function reopenWithPin(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await waitForHydration(page);
  await page.fill("#unlock-pin", PIN);
  await page.click("#unlock-form button[type=submit]");
  await page.waitForSelector("#unlock-form", { state: "detached", timeout: 30_000 });
  return page;
}

/** Every Cache Storage entry's text, every IndexedDB value and every local/session storage item. */
export function everythingStored(page) {
  return page.evaluate(async () => {
    const found = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        const type = response.headers.get("content-type") ?? "";
        // Wasm and images cannot hold a person's data; their bytes are not text.
        if (!/wasm|image/.test(type)) found.push(`cache ${request.url}: ${await response.text()}`);
      }
    }
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zq");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of db.objectStoreNames) {
      const all = await new Promise((resolve) => {
        const request = db.transaction([store]).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      // A CryptoKey (the device key) serialises as {}: its bytes are out of script's reach.
      for (const value of all) found.push(`${store}: ${JSON.stringify(value)}`);
    }
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) found.push(`storage ${storage.key(i)}: ${storage.getItem(storage.key(i))}`);
    }
    return found;
  });
}

/**
 * A new phone signed in with the PIN, the service worker active, `paths` opened once online
 * (so the worker keeps them) and home last, after the first sync: `{ context, page }`.
 */
export async function readyPhone(browser, url, login, paths = []) {
  const context = await newContext(browser, { viewport: PHONE });
  const page = await context.newPage();
  await signInWithPin(page, url, login, PIN);
  await waitForActiveServiceWorker(page);
  for (const path of [...paths, "/"]) await open(page, url, path);
  await until(() => settled(page), "the first sync finished", 60_000);
  return { context, page };
}

