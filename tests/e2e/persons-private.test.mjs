// Issue 14, item 3: the persons pages are built on the device (their HTML names nobody) and are
// never stored by the service worker, so a phone taken in a village holds no person in clear
// in Cache Storage, IndexedDB or localStorage after an inspector opened every persons page
// (and their edit forms, whose drafts are sealed); other pages are still kept for offline use.
// The offline half of the story is in persons-offline.test.mjs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newContext, PHONE, signInWithPin, waitForActiveServiceWorker, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";
import { sqlite } from "../support/server.mjs";
import { open, until } from "../support/outbox.mjs";

const env = withServerAndBrowser();

/** Every Cache Storage entry as [cache, url, body text]. */
function cacheEntries(page) {
  return page.evaluate(async () => {
    const entries = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        const type = response.headers.get("content-type") ?? "";
        // Wasm and images cannot hold a person's data; their bytes are not text.
        const text = /wasm|image/.test(type) ? "" : await response.text();
        entries.push([name, request.url, text]);
      }
    }
    return entries;
  });
}

/** Every value of every IndexedDB store of the app's database, as JSON text, and localStorage. */
function deviceStorage(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zq");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const values = [];
    for (const store of db.objectStoreNames) {
      const all = await new Promise((resolve) => {
        const request = db.transaction([store]).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      for (const value of all) values.push(`${store}: ${JSON.stringify(value)}`);
    }
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      values.push(`localStorage ${key}: ${localStorage.getItem(key)}`);
    }
    return values;
  });
}

describe("persons pages are never kept on the device", () => {
  test("after every persons page was opened online, no name, household or note sits in clear", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.inspector");
    await waitForActiveServiceWorker(page);
    const persons = sqlite(
      server.database,
      "SELECT p.id, p.full_name, p.household, p.note FROM persons p JOIN villages v ON v.id = p.village_id " +
        "WHERE v.name_ru IN ('Сепе', 'Покровка', 'Шуйское', 'Бастау')",
    );
    assert.ok(persons.length >= 3);
    // Each page twice: the second load passes through the now active worker.
    const paths = ["/persons", ...persons.flatMap(([id]) => [`/persons/${id}`, `/persons/${id}/edit`]), "/tasks"];
    for (const path of paths) {
      await open(page, server.url, path);
      await open(page, server.url, path);
    }
    const html = await page.goto(`${server.url}/persons`).then((r) => r.text());
    assert.ok(!html.includes(persons[0][1]), "the page's HTML names nobody: the list is built on the device");
    await waitForHydration(page);
    await until(async () => (await page.locator("#persons strong").count()) >= 3, "the device shows the persons: the scan below can find them", 60_000);

    // The worker stores the other pages it serves (the tasks page), so it did see these.
    await until(async () => (await cacheEntries(page)).some(([, url]) => url.endsWith("/tasks")), "the tasks page was kept");
    const entries = await cacheEntries(page);
    const kept = entries.map(([, url]) => new URL(url).pathname);
    assert.ok(!kept.some((path) => path === "/persons" || path.startsWith("/persons/")), kept.join(", "));
    const values = await deviceStorage(page);
    const secrets = persons.flatMap(([, name, , note]) => [name, note]).filter((s) => s && s.length > 3);
    // A household's address is also a point of the village map's households layer, which the
    // device keeps for offline use without saying who lives there: addresses are looked for in
    // the cached pages only, where they would sit beside a person's name.
    const addresses = persons.map(([, , household]) => household).filter(Boolean);
    for (const secret of [...secrets, ...addresses]) {
      for (const [cache, url, text] of entries) assert.ok(!text.includes(secret), `${secret} in ${cache} ${url}`);
    }
    for (const secret of secrets) {
      for (const value of values) assert.ok(!value.includes(secret), `${secret} in ${value.slice(0, 300)}`);
    }
    await context.close();
  });
});
