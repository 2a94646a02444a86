// Issue 4's stories in Chromium against the real server and its SQLite file: entries made
// offline survive a reload, reach the server exactly once (also when the server is killed in
// the middle of a push, or its answer is lost), conflicts and refusals stay visible.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launch, newContext, PHONE, signInWithPin, TABLET, waitForActiveServiceWorker } from "../support/browser.mjs";
import { sqlite, sqliteWrite, startServer } from "../support/server.mjs";
import { newEvent, newProposal, newTask, open, syncBar, until, waitForVillages } from "../support/outbox.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Signs in with a PIN and opens the pages used offline once, online, so the worker keeps them. */
async function readyDevice(login, viewport = PHONE) {
  const context = await newContext(browser, { viewport });
  const page = await context.newPage();
  await signInWithPin(page, server.url, login);
  await waitForActiveServiceWorker(page);
  for (const path of ["/proposals/new", "/events/new", "/tasks/new", "/tasks", "/proposals", "/events", "/outbox"]) {
    await open(page, server.url, path);
  }
  await open(page, server.url, "/proposals/new");
  await waitForVillages(page);
  await until(async () => !(await syncBar(page)).running, "the first sync finished");
  return { context, page };
}

/** Makes `count` records offline, kinds in turn; returns how to find each in the database. */
async function makeRecords(page, prefix, count) {
  const made = [];
  for (let i = 0; i < count; i += 1) {
    const name = `${prefix} ${i} Қазақ ғ ү 😀`;
    if (i % 3 === 0) {
      await newProposal(page, server.url, { author: name, body: `Текст ${i}` });
      made.push(`SELECT COUNT(*) FROM proposals WHERE author = '${name}'`);
    } else if (i % 3 === 1) {
      await newEvent(page, server.url, { title: name });
      made.push(`SELECT COUNT(*) FROM events WHERE title = '${name}'`);
    } else {
      await newTask(page, server.url, { title: name });
      made.push(`SELECT COUNT(*) FROM tasks WHERE title = '${name}'`);
    }
  }
  return made;
}

const counts = (db, queries) => queries.map((q) => sqlite(db, q)[0][0]);

async function pendingEntries(page) {
  await open(page, server.url, "/outbox");
  await until(async () => (await page.locator("#outbox-list li").count()) > 0 || (await page.locator("#outbox-empty").count()) > 0, "the outbox loaded");
  return page.locator('#outbox-list li[data-state="pending"]').count();
}

describe("offline entries", () => {
  test("(a) 20 records made offline survive a reload, then reach the server exactly once and show as synced", async () => {
    const { context, page } = await readyDevice("demo.inspector");
    await context.setOffline(true);
    const made = await makeRecords(page, "Офлайн-а", 20);
    await page.reload();
    assert.equal(await pendingEntries(page), 20, "all 20 listed as pending after an offline reload");
    assert.equal((await syncBar(page)).pending, 20);
    assert.deepEqual(counts(server.database, made), Array(20).fill(0), "nothing reached the server yet");

    // What the pulls after the push bring: not the 20 records the push just delivered (issue 16).
    const pulled = [];
    page.on("response", async (response) => {
      if (response.url().includes("/api/v1/sync/pull")) pulled.push(await response.text().catch(() => ""));
    });
    await context.setOffline(false);
    await until(async () => (await syncBar(page)).pending === 0 && !(await syncBar(page)).running, "the outbox is empty", 60_000);
    assert.deepEqual(counts(server.database, made), Array(20).fill(1), "each record exactly once");
    assert.ok(pulled.length > 0, "the device pulled after pushing");
    assert.ok(!pulled.some((body) => body.includes("Офлайн-а")), "no pull brought back what this device pushed");
    await page.waitForSelector("#outbox-empty");
    await open(page, server.url, "/proposals");
    await until(async () => (await page.locator("#proposal-list .badge.pending").count()) === 0, "no proposal shows as pending");
    assert.ok((await page.locator('#proposal-list [data-state="synced"]').count()) >= 7);
    await context.close();
  });

  test("(b) the server killed (SIGKILL) in the middle of a push and restarted: nothing lost, nothing doubled", async () => {
    // A server that holds each push open for 3 s, so the kill lands inside one.
    await server.stop("SIGKILL");
    server = await startServer({ dir: server.dir, database: server.database, addr: new URL(server.url).host, args: ["--sync-push-hold-ms", "3000"] });
    const { context, page } = await readyDevice("demo.inspector");
    await context.setOffline(true);
    const made = await makeRecords(page, "Офлайн-б", 20);
    const pushStarted = page.waitForRequest((r) => r.url().endsWith("/api/v1/sync/push"));
    await context.setOffline(false);
    await pushStarted;
    await server.stop("SIGKILL");
    assert.deepEqual(counts(server.database, made), Array(20).fill(0), "the killed push left nothing half-written");
    await until(async () => (await syncBar(page)).pending === 20 && !(await syncBar(page)).running, "the device still holds all 20");

    server = await startServer({ dir: server.dir, database: server.database, addr: new URL(server.url).host });
    await page.click("#sync-now");
    await until(async () => (await syncBar(page)).pending === 0 && !(await syncBar(page)).running, "the outbox is empty", 60_000);
    assert.deepEqual(counts(server.database, made), Array(20).fill(1), "each record exactly once");
    await context.close();
  });

  test("(c) the answer to a push is lost after the server committed: the replay doubles nothing", async () => {
    const { context, page } = await readyDevice("demo.inspector");
    await context.setOffline(true);
    const made = await makeRecords(page, "Офлайн-в", 4);
    let dropped = 0;
    let pushes = 0;
    await page.route("**/api/v1/sync/push", async (route) => {
      pushes += 1;
      const response = await route.fetch(); // the server applies and commits
      if (dropped === 0) {
        dropped += 1;
        return route.abort("connectionreset"); // … and the answer never arrives
      }
      return route.fulfill({ response });
    });
    await context.setOffline(false);
    await until(() => dropped === 1, "a push answer was dropped");
    assert.deepEqual(counts(server.database, made), Array(4).fill(1), "the first push was committed");
    // The device saw a network failure and tries again (its backoff timer, or the button).
    await page.click("#sync-now");
    await until(async () => (await syncBar(page)).pending === 0 && !(await syncBar(page)).running, "the replay settled the entries");
    assert.ok(pushes >= 2, "the batch was sent again");
    assert.deepEqual(counts(server.database, made), Array(4).fill(1), "still exactly once");
    const replayed = sqlite(server.database, `SELECT COUNT(*) FROM sync_mutations WHERE record_id IN (SELECT id FROM proposals WHERE author LIKE 'Офлайн-в%' UNION SELECT id FROM events WHERE title LIKE 'Офлайн-в%' UNION SELECT id FROM tasks WHERE title LIKE 'Офлайн-в%')`)[0][0];
    assert.equal(replayed, 4);
    await context.close();
  });
});

describe("conflicts and refusals", () => {
  test("(d) two devices change the same task offline: one conflict is shown, nothing is overwritten silently", async () => {
    const inspector = await readyDevice("demo.inspector");
    const chair = await readyDevice("demo.chair", TABLET);
    // A task both can see, made and synced first.
    await newTask(inspector.page, server.url, { title: "Общая задача", village: "Шуйское" });
    await until(async () => (await syncBar(inspector.page)).pending === 0 && !(await syncBar(inspector.page)).running, "the task reached the server");
    const [[taskId]] = sqlite(server.database, "SELECT id FROM tasks WHERE title = 'Общая задача'");
    await chair.page.click("#sync-now");
    await open(chair.page, server.url, "/tasks");
    await chair.page.waitForSelector(`#task-list li[data-id="${taskId}"]`);
    await open(chair.page, server.url, `/tasks/${taskId}`);
    await open(inspector.page, server.url, `/tasks/${taskId}`);

    await inspector.context.setOffline(true);
    await chair.context.setOffline(true);
    await inspector.page.fill("#note", "Инспектор: начали обход");
    await inspector.page.selectOption("#new_status", "in_progress");
    await inspector.page.click("#progress-form button[type=submit]");
    await inspector.page.waitForSelector(".notice[role=status]");
    await chair.page.fill("#note", "Председатель: отменяем");
    await chair.page.selectOption("#new_status", "cancelled");
    await chair.page.click("#progress-form button[type=submit]");
    await chair.page.waitForSelector(".notice[role=status]");

    await inspector.context.setOffline(false);
    await until(async () => (await syncBar(inspector.page)).pending === 0 && !(await syncBar(inspector.page)).running, "the inspector's change went first");
    await chair.context.setOffline(false);
    await until(async () => (await syncBar(chair.page)).problems === 1 && !(await syncBar(chair.page)).running, "the chair's change came back as a conflict");

    assert.deepEqual(sqlite(server.database, `SELECT status, version FROM tasks WHERE id = '${taskId}'`), [["in_progress", 2]]);
    const notes = sqlite(server.database, `SELECT note FROM task_updates WHERE task_id = '${taskId}'`).map((r) => r[0]);
    assert.deepEqual(notes, ["Инспектор: начали обход"], "the chair's change was not written over it");
    await open(chair.page, server.url, "/outbox");
    const entry = chair.page.locator('#outbox-list li[data-state="conflict"]');
    await entry.waitFor();
    assert.match(await entry.textContent(), /Председатель: отменяем/);
    assert.match(await entry.textContent(), /in_progress|Инспектор: начали обход/);
    await inspector.context.close();
    await chair.context.close();
  });

  test("(f) a refused entry stays visible with its reason, and the entries behind it still sync", async () => {
    const { context, page } = await readyDevice("demo.inspector");
    await context.setOffline(true);
    await newProposal(page, server.url, { village: "Бастау", author: "Отклонят", body: "Бастау" });
    await newProposal(page, server.url, { village: "Сепе", author: "Пройдёт 1", body: "Сепе" });
    await newEvent(page, server.url, { village: "Сепе", title: "Пройдёт 2" });
    // While the phone is offline the inspector is taken off Бастау on the server.
    const [[inspectorId]] = sqlite(server.database, "SELECT id FROM accounts WHERE login = 'demo.inspector'");
    sqliteWrite(server.database, `DELETE FROM account_villages WHERE account_id = '${inspectorId}' AND village_id = (SELECT id FROM villages WHERE name_ru = 'Бастау')`);
    await context.setOffline(false);
    await until(async () => (await syncBar(page)).pending === 0 && (await syncBar(page)).problems === 1 && !(await syncBar(page)).running, "two sent, one refused");
    assert.equal(sqlite(server.database, "SELECT COUNT(*) FROM proposals WHERE author = 'Пройдёт 1'")[0][0], 1);
    assert.equal(sqlite(server.database, "SELECT COUNT(*) FROM events WHERE title = 'Пройдёт 2'")[0][0], 1);
    assert.equal(sqlite(server.database, "SELECT COUNT(*) FROM proposals WHERE author = 'Отклонят'")[0][0], 0);
    await open(page, server.url, "/outbox");
    const refused = page.locator('#outbox-list li[data-state="rejected"]');
    await refused.waitFor();
    assert.match(await refused.textContent(), /Отклонят/);
    assert.match(await refused.textContent(), /Вам нельзя делать это изменение/);
    // Still there after a reload: nothing vanishes.
    await page.reload();
    await page.locator('#outbox-list li[data-state="rejected"]').waitFor();
    // Discarding it is a deliberate act.
    page.once("dialog", (dialog) => dialog.accept());
    await page.locator('#outbox-list li[data-state="rejected"] button.discard').click();
    await page.waitForSelector("#outbox-empty");
    await context.close();
  });

  test("signing out with unsent entries asks first; declining keeps them, confirming wipes them", async () => {
    const { context, page } = await readyDevice("demo.inspector");
    await context.setOffline(true);
    await newProposal(page, server.url, { author: "Не успел отправить", body: "…" });
    // Back online, but the entry cannot get through yet (a flaky link).
    await page.route("**/api/v1/sync/push", (route) => route.abort("connectionreset"));
    await context.setOffline(false);
    await open(page, server.url, "/account");
    const questions = [];
    page.once("dialog", async (dialog) => {
      questions.push(dialog.message());
      await dialog.dismiss();
    });
    await page.click("#sign-out");
    await until(() => questions.length === 1, "the warning was shown");
    assert.match(questions[0], /Не отправлено записей: 1/);
    assert.equal(new URL(page.url()).pathname, "/account", "declining keeps the person signed in");
    assert.equal((await syncBar(page)).pending, 1, "and the entry");
    await page.unroute("**/api/v1/sync/push");
    await page.click("#sync-now");
    await until(async () => (await syncBar(page)).pending === 0 && !(await syncBar(page)).running, "the entry was sent");
    await page.click("#sign-out");
    await page.waitForURL(/\/sign-in$/);
    assert.equal(sqlite(server.database, "SELECT COUNT(*) FROM proposals WHERE author = 'Не успел отправить'")[0][0], 1);
    await context.close();
  });

});

describe("sensitive records on the device", () => {
  /** The person records in IndexedDB, as stored (not through the app). */
  async function storedPersons(page) {
    return page.evaluate(async () => {
      const db = await new Promise((resolve) => {
        const request = indexedDB.open("zq");
        request.onsuccess = () => resolve(request.result);
      });
      const tx = db.transaction(["records"], "readonly");
      const all = await new Promise((resolve) => {
        const request = tx.objectStore("records").getAll(IDBKeyRange.bound("person:", "person;", false, true));
        request.onsuccess = () => resolve(request.result);
      });
      return all;
    });
  }

  test("persons are cached only as AES-GCM ciphertext after a PIN entry, and a revoked device loses them", async () => {
    const context = await newContext(browser, { viewport: PHONE });
    const first = await context.newPage();
    await signInWithPin(first, server.url, "demo.inspector", "2468");
    const names = sqlite(server.database, "SELECT p.full_name FROM persons p JOIN villages v ON v.id = p.village_id WHERE v.name_ru IN ('Сепе', 'Покровка', 'Шуйское', 'Бастау')").map((r) => r[0]);
    assert.ok(names.length >= 3);
    // The app opened again (a new tab): the lock screen asks the PIN, which opens the cache key.
    const page = await context.newPage();
    await open(page, server.url, "/outbox");
    await page.waitForSelector("#unlock-form");
    await page.fill("#unlock-form input", "2468");
    await page.click("#unlock-form button[type=submit]");
    await until(async () => (await storedPersons(page)).length >= names.length, "the persons were pulled into the cache", 60_000);
    const stored = await storedPersons(page);
    const text = stored.join("\n");
    for (const name of names) assert.ok(!text.includes(name), `no plaintext name in IndexedDB (${name})`);
    for (const value of stored) assert.match(JSON.parse(value).record.sealed, /^[0-9a-f]{80,}$/);
    const audited = sqlite(server.database, "SELECT COUNT(*) FROM audit_events WHERE entity = 'person' AND detail = 'sync'")[0][0];
    assert.ok(audited >= names.length, "each person handed to the device is audited");

    // The device is revoked on the server; the next PIN entry cannot get the share.
    const deviceId = await page.evaluate(async () => {
      const db = await new Promise((resolve) => {
        const request = indexedDB.open("zq");
        request.onsuccess = () => resolve(request.result);
      });
      return new Promise((resolve) => {
        const request = db.transaction(["meta"]).objectStore("meta").get("device");
        request.onsuccess = () => resolve(JSON.parse(request.result).device_id);
      });
    });
    sqliteWrite(server.database, `UPDATE devices SET revoked_at = '2026-11-25T00:00:00Z' WHERE id = '${deviceId}'`);
    const third = await context.newPage();
    await open(third, server.url, "/outbox");
    await third.waitForSelector("#unlock-form");
    await third.fill("#unlock-form input", "2468");
    await third.click("#unlock-form button[type=submit]");
    await until(async () => (await storedPersons(third)).length === 0, "the sealed cache was dropped");
    await context.close();
  });
});
