// Light on a rural phone (README): pages load as chunks, each build file crosses the network
// once, every page opens offline after one online visit, and a chunk that does not arrive is a
// translated notice with a way to load the page again, never a panic.
import assert from "node:assert/strict";
import http from "node:http";
import { describe, test } from "node:test";
import {
  PHONE,
  newContext,
  openUnderWorker,
  waitForActiveServiceWorker,
  waitForHydration,
  withServerAndBrowser,
} from "../support/browser.mjs";

/** A pass-through proxy in front of the server that counts the GETs of each path. */
async function countingProxy(target) {
  const counts = new Map();
  const upstream = new URL(target);
  const proxy = http.createServer((req, res) => {
    const path = req.url.split("?")[0];
    if (req.method === "GET") counts.set(path, (counts.get(path) ?? 0) + 1);
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${proxy.address().port}`, counts, close: () => new Promise((r) => proxy.close(r)) };
}

describe("light on a rural phone", () => {
  const env = withServerAndBrowser();

  test("the sign-in page hydrates from its chunk, and each build file crosses the network once", async () => {
    const { server, browser } = env;
    const proxy = await countingProxy(server.url);
    const context = await newContext(browser, { viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(`${proxy.url}/sign-in`);
      await waitForHydration(page);
      const worker = await waitForActiveServiceWorker(page);
      const script = await (await fetch(worker.replace(proxy.url, server.url))).text();
      const precache = JSON.parse(script.match(/const PRECACHE = (\[.*\]);/)[1]);
      const chunks = precache.filter((f) => /\/pkg\/(chunk|split)_/.test(f));
      assert.ok(chunks.length > 7, `the worker precaches every chunk of the build (${chunks.length})`);
      const built = [...proxy.counts.keys()].filter((p) => p.startsWith("/pkg/"));
      for (const file of precache.filter((f) => f.startsWith("/pkg/"))) {
        assert.equal(proxy.counts.get(file), 1, `${file} was fetched ${proxy.counts.get(file) ?? 0} times`);
      }
      assert.ok(built.every((p) => proxy.counts.get(p) === 1), "no build file twice");
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  test("after one online visit, a page of every chunk opens with the network off", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE, signInAs: { url: server.url, login: "demo.admin" } });
    try {
      const page = await context.newPage();
      await openUnderWorker(page, server.url);
      await context.setOffline(true);
      // Client-side navigation: the page's chunk comes from the worker's precache.
      const pages = ["/tasks", "/persons", "/meetings", "/map", "/admin/accounts", "/account", "/outbox"];
      for (const address of pages) {
        await page.evaluate((to) => {
          const link = document.createElement("a");
          link.href = to;
          document.querySelector("main").append(link);
          link.click();
        }, address);
        await page.waitForURL((u) => new URL(u).pathname === address);
        await page.waitForSelector("main h1");
        const heading = await page.locator("main h1").first().textContent();
        assert.notEqual(heading, "Не удалось загрузить страницу", `${address} loaded its chunk offline`);
      }
    } finally {
      await context.setOffline(false);
      await context.close();
    }
  });

  test("a chunk that does not arrive shows a translated notice, no panic, and its link loads the page", async () => {
    const { server, browser } = env;
    // No worker: its precache would answer the chunk the test withholds.
    const context = await newContext(browser, { viewport: PHONE, serviceWorkers: "block", signInAs: { url: server.url } });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(server.url);
      await waitForHydration(page);
      await page.route("**/pkg/split_council_pages*", (route) => route.abort("internetdisconnected"));
      await page.locator("button.menu-toggle").click();
      await page.locator('#main-nav a[href="/meetings"]').click();
      await page.waitForSelector("main p[role=alert]");
      assert.equal(await page.locator("main h1").textContent(), "Не удалось загрузить страницу");
      // The chunk loader's own failed fetch is reported as an unhandled rejection; the wasm
      // itself must not panic or abort.
      assert.deepEqual(errors.filter((e) => /panicked|unreachable|RuntimeError/.test(e)), [], `no panic: ${errors}`);
      // The app still answers: the menu opens.
      await page.locator("button.menu-toggle").click();
      assert.equal(await page.locator("#main-nav").isVisible(), true);
      await page.unroute("**/pkg/split_council_pages*");
      await page.locator("main a.button").click();
      await waitForHydration(page);
      assert.equal(new URL(page.url()).pathname, "/meetings");
      assert.notEqual(await page.locator("main h1").textContent(), "Не удалось загрузить страницу");
    } finally {
      await context.close();
    }
  });
});
