// A new build replaces the old one's cache, and the page does not fall into a reload loop.
//
// "Build B" is the same program under new file names: a copy of the site whose js/wasm/css
// carry other hashes (and whose chunk loader imports the renamed js), and a copy of the server binary beside a hash.txt naming them (Leptos
// and the server read hash.txt next to the binary). Both builds serve on the same port, so
// the browser sees one origin whose build changed, as after a deployment.
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { launch, newContext, PHONE, waitForActiveServiceWorker, waitForHydration } from "../support/browser.mjs";
import { SERVER_BIN, SITE_ROOT, startServer, tempDir } from "../support/server.mjs";

function makeBuildB(dir) {
  const hashes = readFileSync(path.join(path.dirname(SERVER_BIN), "hash.txt"), "utf8");
  const site = path.join(dir, "site-b");
  cpSync(SITE_ROOT, site, { recursive: true });
  // A release site carries brotli and gzip copies of its files; build B's are rewritten below
  // in plain form only, so its copies go and the server compresses on the fly.
  for (const file of readdirSync(path.join(site, "pkg")).filter((f) => /\.(br|gz)$/.test(f))) {
    rmSync(path.join(site, "pkg", file));
  }
  const renamed = hashes.replace(/^(js|wasm|css|split): (\S+)$/gm, (_, kind, hash) => {
    const fresh = `${hash.slice(0, -4)}bbbb`;
    for (const file of readdirSync(path.join(site, "pkg"))) {
      if (file.includes(`.${hash}.`)) {
        renameSync(path.join(site, "pkg", file), path.join(site, "pkg", file.replace(hash, fresh)));
      }
    }
    // Build files name each other (the js and the chunk loader import one another, the wasm
    // imports the loader), as a real build's name its own: rewritten byte for byte (latin1
    // keeps every byte; the new hash has the old one's length).
    for (const file of readdirSync(path.join(site, "pkg")).filter((f) => /\.(js|wasm)$/.test(f))) {
      const built = path.join(site, "pkg", file);
      writeFileSync(built, readFileSync(built, "latin1").replaceAll(`.${hash}.`, `.${fresh}.`), "latin1");
    }
    return `${kind}: ${fresh}`;
  });
  mkdirSync(path.join(dir, "bin-b"));
  const bin = path.join(dir, "bin-b", "server");
  copyFileSync(SERVER_BIN, bin);
  writeFileSync(path.join(dir, "bin-b", "hash.txt"), renamed);
  return { bin, site };
}

let browser;
let dir;
before(async () => {
  browser = await launch();
  dir = tempDir();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` (which may be async) until it holds; fails with `what` after 60 s. */
async function until(check, what, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const shellCaches = (page) =>
  page.evaluate(async () => (await caches.keys()).filter((key) => key.startsWith("zq-shell-")));

test("a new build's worker takes over, drops the old cache and causes no reload loop", async () => {
  const database = path.join(dir, "zq.sqlite");
  const a = await startServer({ dir, database });
  const addr = new URL(a.url).host;
  const context = await newContext(browser, { viewport: PHONE, signInAs: { url: a.url } });
  const page = await context.newPage();
  let loads = 0;
  page.on("load", () => loads++);
  await page.goto(a.url);
  await waitForHydration(page);
  await waitForActiveServiceWorker(page);
  const [cacheA] = await shellCaches(page);
  assert.ok(cacheA, "build A's cache exists");
  await a.stop();

  const buildB = makeBuildB(dir);
  const b = await startServer({ dir, database, addr, bin: buildB.bin, siteRoot: buildB.site });
  try {
    const workerB = await (await fetch(`${b.url}/sw.js`)).text();
    const cacheB = `zq-shell-${workerB.match(/const BUILD_ID = "([0-9a-f]+)"/)[1]}`;
    assert.notEqual(cacheB, cacheA, "the new build names a new cache");

    loads = 0;
    await page.reload();
    await waitForHydration(page);
    // The browser checks /sw.js on navigation; build B's worker installs, activates and
    // removes build A's cache.
    await until(async () => {
      const names = await shellCaches(page);
      return names.length === 1 && names[0] === cacheB;
    }, "only the new build's cache is left");
    assert.match(await waitForActiveServiceWorker(page), /\/sw\.js$/);

    // Watch a while: the page must not reload itself.
    await page.waitForTimeout(3000);
    assert.equal(loads, 1, "one load for the one reload, no loop");

    // The next visit runs build B's files.
    await page.reload();
    await waitForHydration(page);
    const scripts = await page.$$eval('link[rel="modulepreload"]', (links) => links.map((l) => l.getAttribute("href")));
    assert.ok(scripts.every((href) => href.includes("bbbb")), `build B's js: ${scripts}`);
  } finally {
    await b.dispose({ keepDir: true });
    await context.close();
  }
});
