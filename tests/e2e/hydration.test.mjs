// A page's own wasm chunk arriving late (a slow network, a busy phone) while the layout, live
// already, opens the persons cache again and counts the outbox (DESIGN §3.2, "Hydration
// first"): the page must hydrate what the server rendered, then show the changed state. Before,
// /persons/new hydrated the open form over the server's "sealed" notice, panicked and stayed
// dead (seen once in CI's restore story, where the chunk came late by chance).
import assert from "node:assert/strict";
import { test } from "node:test";
import { newContext, PHONE, signInWithPin, withServerAndBrowser } from "../support/browser.mjs";
import { newTask, syncBar, until } from "../support/outbox.mjs";

const env = withServerAndBrowser();
const CHUNK_DELAY_MS = 2_000;

/**
 * Opens `path` with the wasm module of `split` held back for a while, and waits until the page
 * is live; fails at once with the browser's error if the page's hydration broke.
 */
async function openWithLateChunk(page, path, split, { meanwhile = async () => {}, delay = CHUNK_DELAY_MS } = {}) {
  const late = new RegExp(`/pkg/split_${split}\\.[^/]*\\.wasm`);
  let delayed = 0;
  await page.route(late, async (route) => {
    delayed += 1;
    await new Promise((resolve) => setTimeout(resolve, delay));
    await route.continue();
  });
  const errors = [];
  const onError = (error) => errors.push(error.message);
  page.on("pageerror", onError);
  try {
    await page.goto(`${env.server.url}${path}`);
    await meanwhile();
    await until(
      async () => errors.length > 0 || (await page.locator('.app[data-hydrated="true"]').count()) > 0,
      `${path} hydrated`,
      60_000,
    );
    assert.deepEqual(errors, [], `${path}: the page broke while hydrating`);
    assert.ok(delayed > 0, `${path}: its chunk ${late} was loaded (and held back)`);
  } finally {
    page.off("pageerror", onError);
    await page.unroute(late);
  }
}

test("pages whose chunk comes late hydrate what the server rendered, then show the open cache and the outbox", async () => {
  // No service worker: it would serve the chunk from its cache, past the held-back route.
  const context = await newContext(env.browser, { viewport: PHONE, serviceWorkers: "block" });
  const page = await context.newPage();
  await signInWithPin(page, env.server.url, "demo.inspector");
  // One entry waits in the outbox: its pushes fail, so the counts the layout reads are not 0.
  await page.route("**/api/v1/sync/push", (route) => route.abort());
  await newTask(page, env.server.url, { title: "Ждёт отправки" });
  await until(async () => (await syncBar(page)).pending === 1, "the task waits in the outbox");

  await openWithLateChunk(page, "/persons/new", "persons_pages");
  // The cache this tab opened with the PIN opens again once the page is live: the form shows.
  await page.waitForSelector("#person-form", { timeout: 30_000 });

  await openWithLateChunk(page, "/persons", "persons_pages");
  await page.waitForSelector("#persons li", { timeout: 30_000 });

  await openWithLateChunk(page, "/", "home_pages");
  await until(async () => (await page.textContent("#work-outbox-counts")).includes("1"), "the home page counts the waiting task");
  assert.equal((await syncBar(page)).pending, 1);
  await context.close();
});

test("a PIN typed at the lock screen before the page's chunk arrives opens the cache once the page is live", async () => {
  const context = await newContext(env.browser, { viewport: PHONE, serviceWorkers: "block" });
  const first = await context.newPage();
  await signInWithPin(first, env.server.url, "demo.inspector");
  await first.close();
  // A new tab shows the lock screen; its layout is live before the page's chunk is.
  const page = await context.newPage();
  // Held back long enough for the PIN to open the cache (a round trip for the server's share)
  // well before the chunk arrives.
  const meanwhile = async () => {
    await page.waitForSelector("#unlock-form", { timeout: 30_000 });
    await page.fill("#unlock-pin", "2468");
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#unlock-form", { state: "detached", timeout: 30_000 });
    assert.equal(await page.locator('.app[data-hydrated="true"]').count(), 0, "the PIN went in before the page was live");
  };
  await openWithLateChunk(page, "/", "home_pages", { meanwhile, delay: 8_000 });
  // The cache opened: the form for a new person (shown only then) opens, in the app.
  await page.evaluate(() => {
    const link = document.createElement("a");
    link.href = "/persons/new";
    document.querySelector("main").appendChild(link);
    link.click();
  });
  await page.waitForSelector("#person-form", { timeout: 30_000 });
  await context.close();
});
