// Signing in and out, and reopening the app offline behind the PIN, in Chromium at a phone
// viewport against the real server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newContext, PHONE, signInWithPin, waitForActiveServiceWorker, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";

const env = withServerAndBrowser();

/** Polls `check` (which may be async) until it holds; fails with `what` after 30 s. */
async function until(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** How many entries the app's IndexedDB holds, all stores together. */
function storedRecords(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const request = indexedDB.open("zq");
        request.onsuccess = () => {
          const db = request.result;
          const names = [...db.objectStoreNames];
          if (names.length === 0) return resolve(0);
          const tx = db.transaction(names, "readonly");
          let total = 0;
          let left = names.length;
          for (const name of names) {
            const count = tx.objectStore(name).count();
            count.onsuccess = () => {
              total += count.result;
              if (--left === 0) resolve(total);
            };
          }
        };
      }),
  );
}

describe("signing in on a phone", () => {
  test("a wrong password is explained in Russian; the right one leads to the PIN and home", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForURL(/\/sign-in\?next=%2F|\/sign-in\?next=\//);
    await waitForHydration(page);
    await page.fill("#login", "demo.inspector");
    await page.fill("#password", "not my password");
    await page.click("#sign-in-form button[type=submit]");
    await page.waitForSelector('[role="alert"]');
    assert.match(await page.textContent('[role="alert"]'), /Неверный логин или пароль/);

    await page.fill("#password", "demo-zq-2026");
    await page.click("#sign-in-form button[type=submit]");
    await page.waitForURL(/\/pin\?next=/);
    await waitForHydration(page);
    await page.fill("#pin", "12");
    await page.fill("#pin-confirm", "12");
    await page.click("#pin-form button[type=submit]");
    assert.match(await page.textContent('[role="alert"]'), /от 4 до 8 цифр/);
    await page.fill("#pin", "2468");
    await page.fill("#pin-confirm", "2468");
    await page.click("#pin-form button[type=submit]");
    await page.waitForURL((u) => new URL(u).pathname === "/");
    await waitForHydration(page);
    assert.match(await page.textContent("#account-link"), /Демо Участковый инспектор/);
    await context.close();
  });

  test("sign-out wipes the device, and the back button shows nothing private", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.inspector");
    await waitForActiveServiceWorker(page);
    await page.goto(`${server.url}/persons`);
    await waitForHydration(page);
    // Built on the device from the encrypted cache, once the sync has brought it.
    await until(async () => (await page.locator("#persons strong").count()) >= 3, "the persons show", 60_000);
    const names = await page.locator("#persons strong").allTextContents();
    assert.ok(names.length >= 3, `the inspector sees persons: ${names}`);
    await page.goto(`${server.url}/account`);
    await waitForHydration(page);
    await page.click("#sign-out");
    await page.waitForURL(/\/sign-in$/);
    await waitForHydration(page);

    const kept = await page.evaluate(async () => {
      const pages = [];
      for (const name of (await caches.keys()).filter((k) => k.startsWith("zq-pages-"))) {
        for (const request of await (await caches.open(name)).keys()) pages.push(new URL(request.url).pathname);
      }
      return { local: Object.keys(localStorage).filter((k) => k.startsWith("zq.")), pages };
    });
    // Records the sync pulled into IndexedDB (the inspector's villages' tasks, proposals …).
    kept.stored = await storedRecords(page);
    assert.deepEqual(kept, { local: [], pages: [], stored: 0 }, "nothing of the account stays on the device");

    for (let i = 0; i < 2; i++) {
      await page.goBack();
      await page.waitForLoadState();
      const html = await page.content();
      for (const name of names) assert.ok(!html.includes(name), `back #${i + 1} shows no ${name}`);
      assert.match(new URL(page.url()).pathname, /^\/sign-in$/, "back lands on sign-in");
    }
    await context.close();
  });
});

describe("where sign-in leads", () => {
  test("a crafted next=/%09/example.org lands on this site's home, a real page of the app on that page", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    // The tab between the slashes is dropped by the browser's URL parser: "//example.org".
    await page.goto(`${server.url}/sign-in?next=/%09/example.org`);
    await waitForHydration(page);
    await page.fill("#login", "demo.chair");
    await page.fill("#password", "demo-zq-2026");
    await page.click("#sign-in-form button[type=submit]");
    await page.waitForURL(/\/pin\?next=/);
    await waitForHydration(page);
    await page.fill("#pin", "2468");
    await page.fill("#pin-confirm", "2468");
    await page.click("#pin-form button[type=submit]");
    await page.waitForURL((u) => new URL(u).pathname === "/");
    assert.equal(new URL(page.url()).origin, server.url, "still on this site");
    await context.close();

    const again = await newContext(browser, { viewport: PHONE });
    const tasks = await again.newPage();
    await tasks.goto(`${server.url}/tasks`);
    await tasks.waitForURL(/\/sign-in\?next=/);
    await waitForHydration(tasks);
    await tasks.fill("#login", "demo.chair");
    await tasks.fill("#password", "demo-zq-2026");
    await tasks.click("#sign-in-form button[type=submit]");
    await tasks.waitForURL(/\/pin\?next=/);
    await waitForHydration(tasks);
    await tasks.fill("#pin", "2468");
    await tasks.fill("#pin-confirm", "2468");
    await tasks.click("#pin-form button[type=submit]");
    await tasks.waitForURL((u) => new URL(u).pathname === "/tasks");
    await again.close();
  });
});

describe("a device revoked by the admin", () => {
  test("is signed out at its next contact and wipes what it kept", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.inspector", "2468");
    await until(
      () => page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith("zq."))),
      "the device keeps the profile",
    );
    // The device cookie is `id.secret`; the admin revokes by the id.
    const [device] = (await context.cookies()).find((c) => c.name === "zq_device").value.split(".");

    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signInWithPin(adminPage, server.url, "demo.admin", "1111");
    const answer = await adminPage.evaluate(async (id) => {
      const res = await fetch("/api/admin/revoke_device", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ device_id: id }).toString(),
      });
      return res.status;
    }, device);
    assert.equal(answer, 200);
    await admin.close();

    // The next sync (the button) meets the revocation: the device wipes itself and shows why.
    await page.click("#sync-now");
    await page.waitForURL(/\/sign-in\?revoked=1/);
    await waitForHydration(page);
    assert.match(await page.textContent('.narrow .notice'), /отключил это устройство/);
    await until(
      () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("zq.")).length === 0),
      "nothing of the account stays in localStorage",
    );
    assert.equal(await storedRecords(page), 0, "IndexedDB is empty");
    await context.close();
  });
});

describe("offline", () => {
  test("signed in once, the app reopens with no signal behind the PIN", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.chair", "1357");
    await waitForActiveServiceWorker(page);
    // Load home once under the worker's control, so it keeps the page for offline use.
    await page.reload();
    await waitForHydration(page);
    await until(
      () => page.evaluate(async () => (await caches.keys()).some((k) => k.startsWith("zq-pages-"))),
      "the worker kept the home page",
    );
    await page.close();

    await context.setOffline(true);
    const reopened = await context.newPage();
    await reopened.goto(server.url);
    await waitForHydration(reopened);
    await reopened.waitForSelector("#unlock-form");
    assert.equal(await reopened.isVisible("main h1"), false, "the app is hidden behind the lock");

    await reopened.fill("#unlock-pin", "0000");
    await reopened.click("#unlock-form button[type=submit]");
    await reopened.waitForSelector('#unlock-form [role="alert"]');
    assert.match(await reopened.textContent('#unlock-form [role="alert"]'), /Неверный PIN-код\. Осталось попыток: 4/);

    await reopened.fill("#unlock-pin", "1357");
    await reopened.click("#unlock-form button[type=submit]");
    await reopened.waitForSelector("#unlock-form", { state: "detached" });
    assert.equal(await reopened.isVisible("main h1"), true);
    assert.match(await reopened.textContent("#account-link"), /Демо Председатель совета/);
    await reopened.waitForSelector('.network[data-online="false"]');
    await context.close();
  });

  test("after inactivity the PIN is asked again", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.elder", "8642");
    assert.equal(await page.isVisible("#unlock-form"), false);
    // Pretend the last touch was 6 minutes ago; the watcher checks every 15 s.
    await page.evaluate(() => localStorage.setItem("zq.last_active", String(Date.now() - 6 * 60 * 1000)));
    await page.waitForSelector("#unlock-form", { timeout: 20_000 });
    await page.fill("#unlock-pin", "8642");
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#unlock-form", { state: "detached" });
    await context.close();
  });
});
