// Debian's Chromium driven headless by playwright-core (no downloaded browser).
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { signIn, startServer } from "./server.mjs";

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

// What each page printed (console and uncaught errors), so a page that never hydrates says why.
const pageLogs = new WeakMap();

function recordLogs(page) {
  if (pageLogs.has(page)) return;
  const lines = [];
  pageLogs.set(page, lines);
  const keep = (line) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  page.on("console", (message) => keep(`console.${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => keep(`pageerror: ${error.message}`));
  page.on("requestfailed", (request) => keep(`requestfailed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (!response.request().isNavigationRequest()) return;
    const csp = response.headers()["content-security-policy"] ?? "(none)";
    const from = response.fromServiceWorker() ? "service worker" : "network";
    keep(`page ${response.status()} ${response.url()} from the ${from}, CSP ${csp.slice(0, 40)}`);
  });
}

/** Waits until the wasm has hydrated the page (the layout marks itself). */
export async function waitForHydration(page) {
  recordLogs(page);
  try {
    await page.waitForSelector('.app[data-hydrated="true"]', { timeout: 60_000 });
  } catch (error) {
    const logs = (pageLogs.get(page) ?? []).join("\n  ");
    throw new Error(`${error.message}\n  page ${page.url()} printed:\n  ${logs || "(nothing)"}`);
  }
}

/**
 * A fresh browser profile; Russian unless said otherwise, as most users of the app read it.
 * `signInAs: { url, login }` gives it a session (signed in over HTTP, no PIN on the device),
 * for tests about something other than signing in.
 */
export async function newContext(
  browser,
  { viewport = PHONE, locale = "ru-RU", bypassCSP = false, signInAs, serviceWorkers = "allow" } = {},
) {
  // The phones are in Akmola (UTC+5, as the server's region date): a day typed on the device
  // and the server's "this month" turn at the same midnight. ("Etc/GMT-5" is UTC+5.)
  const timezoneId = "Etc/GMT-5";
  const context = await browser.newContext({ viewport, locale, bypassCSP, serviceWorkers, timezoneId });
  context.on("page", recordLogs);
  if (signInAs) {
    const cookie = await signIn(signInAs.url, signInAs.login ?? "demo.coordinator");
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const [name, value] = pair.split("=");
        return { name, value, url: signInAs.url };
      }),
    );
  }
  return context;
}

/** Signs in through the sign-in page and sets the device PIN, as a person would. */
export async function signInWithPin(page, url, login, pin = "2468", password = "demo-zq-2026") {
  await page.goto(`${url}/sign-in`);
  await waitForHydration(page);
  await page.fill("#login", login);
  await page.fill("#password", password);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForURL(/\/pin\?next=/);
  await waitForHydration(page);
  await page.fill("#pin", pin);
  await page.fill("#pin-confirm", pin);
  await page.click("#pin-form button[type=submit]");
  await page.waitForURL((u) => new URL(u).pathname === "/");
  await waitForHydration(page);
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
 * Opens `url` online, waits for the service worker, and loads the page once more so it passes
 * through the worker, as any later visit would (the first load happened before the worker
 * controlled the page).
 */
export async function openUnderWorker(page, url) {
  await page.goto(url);
  await waitForHydration(page);
  await waitForActiveServiceWorker(page);
  await page.reload();
  await waitForHydration(page);
}

/**
 * Registers before/after hooks that start a demo server and a browser for the calling test
 * file (or suite) and stop them afterwards; their `server` and `browser` are set once started.
 * `serverOptions` go to `startServer` (extra `args`, for instance).
 */
export function withServerAndBrowser(serverOptions = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer(serverOptions);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.dispose();
  });
  return env;
}

/**
 * The visible elements matching `selector`: tag, id, size and accessible label (aria-label,
 * the `<label for>` text, or the element's own text), for the touch-size and label checks.
 */
export function controls(page, selector) {
  return page.$$eval(selector, (elements) =>
    elements
      .filter((el) => el.offsetParent !== null)
      .map((el) => {
        const box = el.getBoundingClientRect();
        const label =
          el.getAttribute("aria-label") ||
          (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) ||
          el.textContent;
        return { tag: el.tagName, id: el.id, text: (label || "").trim(), height: box.height, width: box.width };
      }),
  );
}

/** Opens the menu where it is folded (phones): the village picker and languages live in it. */
export async function openMenu(page) {
  const toggle = page.locator("button.menu-toggle");
  if ((await toggle.isVisible()) && (await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
}

/** Switches the language as a person would: from the menu. */
export async function chooseLanguage(page, locale) {
  await openMenu(page);
  await page.locator(`button[data-locale="${locale}"]`).click();
}
