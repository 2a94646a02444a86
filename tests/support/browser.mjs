// Debian's Chromium driven headless by playwright-core (no downloaded browser).
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

export const PHONE = { width: 360, height: 740 };
export const TABLET = { width: 800, height: 1280 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Waits until the wasm has hydrated the page (the layout marks itself). */
export async function waitForHydration(page) {
  await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 60_000 });
}

/** A fresh browser profile; Russian unless said otherwise, as most users of the app read it. */
export async function newContext(browser, { viewport = PHONE, locale = "ru-RU", bypassCSP = false } = {}) {
  return browser.newContext({ viewport, locale, bypassCSP });
}

/**
 * Resolves once the page's service worker has finished activating; returns its script URL.
 * Fails after 30 s (an install that failed leaves no registration to wait for).
 */
export async function waitForActiveServiceWorker(page) {
  const activated = page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (worker.state !== "activated") {
      await new Promise((resolve) =>
        worker.addEventListener("statechange", () => worker.state === "activated" && resolve()),
      );
    }
    return worker.scriptURL;
  });
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("no service worker became active within 30 s")), 30_000),
  );
  return Promise.race([activated, timeout]);
}

/**
 * Registers before/after hooks that start a demo server and a browser for the calling test
 * file (or suite) and stop them afterwards; their `server` and `browser` are set once started.
 */
export function withServerAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.dispose();
  });
  return env;
}
