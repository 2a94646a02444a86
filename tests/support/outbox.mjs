// Filling the app's offline forms and reading its outbox and status bar, for the e2e tests
// and the sync benchmark.
import { waitForHydration } from "./browser.mjs";

/** Polls `check` (which may be async) until it holds; fails with `what` after `timeout`. */
export async function until(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Opens a page of the app (offline the service worker serves it) and waits for the wasm. */
export async function open(page, url, path) {
  await page.goto(`${url}${path}`);
  await waitForHydration(page);
}

/** The status bar's counts. */
export async function syncBar(page) {
  const bar = page.locator("#sync-bar");
  return {
    pending: Number(await bar.getAttribute("data-pending")),
    problems: Number(await bar.getAttribute("data-problems")),
    running: (await bar.getAttribute("data-running")) === "true",
  };
}

/** Waits until the villages kept on the device fill the form's village list. */
export async function waitForVillages(page) {
  await page.waitForSelector("#village_id option", { state: "attached", timeout: 30_000 });
}

/** Picks a village by its Russian name in the open form. */
export async function chooseVillage(page, name) {
  await waitForVillages(page);
  await page.selectOption("#village_id", { label: name });
}

export async function newProposal(page, url, { village = "Сепе", author, body, category = "lighting" }) {
  await open(page, url, "/proposals/new");
  await chooseVillage(page, village);
  await page.fill("#author", author);
  await page.selectOption("#category", category);
  await page.fill("#body", body);
  await page.click("#proposal-form button[type=submit]");
  await page.waitForURL(/\/proposals\?saved=1/);
}

export async function newEvent(page, url, { village = "Сепе", title, attendance = "25" }) {
  await open(page, url, "/events/new");
  await chooseVillage(page, village);
  await page.selectOption("#kind", "sport");
  await page.fill("#title", title);
  await page.fill("#attendance", attendance);
  await page.click("#event-form button[type=submit]");
  await page.waitForURL(/\/events\?saved=1/);
}

export async function newTask(page, url, { village = "Шуйское", title, details = "" }) {
  await open(page, url, "/tasks/new");
  await chooseVillage(page, village);
  await page.fill("#title", title);
  await page.fill("#details", details);
  await page.click("#task-form button[type=submit]");
  await page.waitForURL(/\/tasks\?saved=1/);
}
