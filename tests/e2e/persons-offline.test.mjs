// Issue 14's stories in Chromium at a phone's size, against the real server and its SQLite
// file: an inspector looks a person up with no signal after reopening the app (the PIN opens
// the encrypted cache offline), reads their history, records a visit with them picked, and
// every read made on the device reaches the audit trail; no person sits in clear anywhere on
// the device, outbox included. Past the offline window the password opens the cache; a revoked
// device wipes it at its next contact; an elder's shared person leaves his device and his map
// when the task closes; a council chair is offered no person to link.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newContext, PHONE, signInWithPin, TABLET, waitForActiveServiceWorker, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";
import { signIn, sqlite } from "../support/server.mjs";
import { device, newId, person, push, reference, task } from "../support/sync.mjs";
import { chooseVillage, open, syncBar, until } from "../support/outbox.mjs";
import { everythingStored, readyPhone, reopenWithPin } from "../support/phone.mjs";

const PIN = "2468";
const PASSWORD = "demo-zq-2026";

const settled = async (page) => {
  const bar = await syncBar(page);
  return bar.pending === 0 && !bar.running;
};

/** Follows an in-app link to `path` (the router handles it: no page load, nothing fetched). */
async function goInApp(page, path) {
  await page.evaluate((to) => {
    const link = document.createElement("a");
    link.href = to;
    document.querySelector("main").appendChild(link);
    link.click();
    link.remove();
  }, path);
  await page.waitForURL((u) => `${new URL(u).pathname}${new URL(u).search}` === path);
}

/** One value of the app's IndexedDB (`null` when there is none). */
function storedValue(page, store, key) {
  return page.evaluate(
    async ([store, key]) => {
      const db = await new Promise((resolve) => {
        const request = indexedDB.open("zq");
        request.onsuccess = () => resolve(request.result);
      });
      return new Promise((resolve) => {
        const request = db.transaction([store]).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result ?? null);
      });
    },
    [store, key],
  );
}

/** The keys of the app's IndexedDB `records` and `meta` stores. */
function storedKeys(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open("zq");
      request.onsuccess = () => resolve(request.result);
    });
    const keys = async (store) =>
      new Promise((resolve) => {
        const request = db.transaction([store]).objectStore(store).getAllKeys();
        request.onsuccess = () => resolve(request.result);
      });
    return { records: await keys("records"), meta: await keys("meta") };
  });
}

describe("persons with no signal, inside the offline window", () => {
  const env = withServerAndBrowser();
  const one = (sql) => sqlite(env.server.database, sql)[0]?.[0];

  test("the inspector reopens the app offline, opens a person and their history, records a visit for them; reads are audited and nothing is in clear", async () => {
    const { server, browser } = env;
    const ermek = one("SELECT id FROM persons WHERE full_name = 'Демо Ермек Сапаров'");
    const offences = Number(one(`SELECT COUNT(*) FROM offence_persons WHERE person_id = '${ermek}'`));
    assert.ok(offences > 0, "the demo person has offences to show");
    const { context, page: first } = await readyPhone(browser, server.url, "demo.inspector", ["/visits/new"]);
    // The page's HTML never carries a person: the server renders the page without them.
    const html = await first.goto(`${server.url}/persons/${ermek}`).then((r) => r.text());
    assert.ok(!html.includes("Сапаров"), "the person's page HTML names nobody");
    await waitForHydration(first);
    await first.waitForSelector("#person-name", { timeout: 60_000 });
    assert.match(await first.textContent("#person-name"), /Ермек Сапаров/, "the page shows them, built on the device");
    await first.close();

    // Closed, no signal, opened again: the PIN opens the cache with no server.
    await context.setOffline(true);
    const phone = await reopenWithPin(context, server.url);
    await goInApp(phone, "/persons");
    await phone.waitForSelector(`#persons a[href="/persons/${ermek}"]`, { timeout: 30_000 });
    await phone.click(`#persons a[href="/persons/${ermek}"]`);
    await phone.waitForSelector("#person-name");
    assert.match(await phone.textContent("#person-name"), /Ермек Сапаров/);
    await until(async () => (await phone.locator("#history-offences li").count()) === offences, "the history lists the offences");
    assert.ok((await phone.locator('#history-offences li[data-repeat="true"]').count()) > 0, "repeats are marked");

    // A visit with the person picked from the device's cache.
    await goInApp(phone, "/visits/new");
    await chooseVillage(phone, "Сепе");
    await until(async () => (await phone.locator(`#person_id option[value="${ermek}"]`).count()) === 1, "the picker offers the person");
    await phone.selectOption("#person_id", ermek);
    await phone.fill("#outcome", "Профилактическая беседа без связи");
    await phone.click("#visit-form button[type=submit]");
    await phone.waitForURL(/\/visits\?saved=1/);

    // A person typed offline and one corrected offline wait in the outbox encrypted.
    await goInApp(phone, "/persons/new");
    await chooseVillage(phone, "Сепе");
    const typed = { name: "Демо Тимур Оффлайнов", household: "ул. Тайная, 9", note: "Записан без связи" };
    await phone.fill("#full_name", typed.name);
    await phone.fill("#household", typed.household);
    await phone.fill("#note", typed.note);
    await phone.click("#person-form button[type=submit]");
    await phone.waitForURL(/\/persons\?saved=1/);
    await goInApp(phone, `/persons/${ermek}/edit`);
    await phone.waitForSelector("#person-form");
    await phone.fill("#note", "Исправлено без связи");
    await phone.click("#person-form button[type=submit]");
    await phone.waitForURL(/\/persons\?saved=1/);
    await until(async () => (await syncBar(phone)).pending === 3, "three entries wait");

    // Known persons' households are left out: an address is also a point of the village map's
    // households layer, kept on the device without saying who lives there. The household typed
    // offline is unique, so it is looked for.
    const known = sqlite(server.database, "SELECT full_name, note FROM persons")
      .flat()
      .filter((s) => s && s.length > 3);
    const secrets = [...known, typed.name, typed.household, typed.note, "Исправлено без связи"];
    const stored = await everythingStored(phone);
    assert.ok(stored.some((s) => s.startsWith("outbox: ")), "the outbox was read");
    assert.ok(stored.some((s) => s.includes("Профилактическая беседа без связи")), "the scan sees what is in clear");
    for (const secret of secrets) {
      for (const value of stored) assert.ok(!value.includes(secret), `${secret} in ${value.slice(0, 200)}`);
    }

    // Back online: everything goes once, and the reads made on the device reach the audit.
    await context.setOffline(false);
    await until(() => settled(phone), "the outbox emptied", 60_000);
    assert.equal(Number(one(`SELECT COUNT(*) FROM visits WHERE person_id = '${ermek}' AND outcome = 'Профилактическая беседа без связи'`)), 1);
    assert.equal(Number(one(`SELECT COUNT(*) FROM persons WHERE full_name = '${typed.name}' AND note = '${typed.note}'`)), 1);
    assert.equal(one(`SELECT note FROM persons WHERE id = '${ermek}'`), "Исправлено без связи");
    const inspector = one("SELECT id FROM accounts WHERE login = 'demo.inspector'");
    await until(
      () => Number(one(`SELECT COUNT(*) FROM audit_events WHERE action = 'read_on_device' AND record_id = '${ermek}' AND account_id = '${inspector}'`)) >= 2,
      "the person's page and history read offline are audited",
      60_000,
    );
    const details = sqlite(server.database, `SELECT detail, village_id FROM audit_events WHERE action = 'read_on_device' AND record_id = '${ermek}'`);
    assert.ok(details.some(([detail]) => detail.startsWith("history at ")), JSON.stringify(details));
    assert.ok(details.every(([detail, village]) => !detail.includes("Сапаров") && village), "ids and villages, never names");
    await context.close();
  });

  test("a PIN changed with no signal keeps the cache and the person waiting in the outbox", async () => {
    const { server, browser } = env;
    const { context, page } = await readyPhone(browser, server.url, "demo.inspector", ["/persons/new", "/pin?next=%2F"]);
    const ermek = one("SELECT id FROM persons WHERE full_name = 'Демо Ермек Сапаров'");
    const sealedErmek = (p) => storedValue(p, "records", `person:${ermek}`);
    await until(async () => Boolean(await sealedErmek(page)), "the person is in the sealed cache");
    const before = await sealedErmek(page);

    await context.setOffline(true);
    await goInApp(page, "/persons/new");
    await chooseVillage(page, "Сепе");
    await page.fill("#full_name", "Демо Дәурен Пинов");
    await page.click("#person-form button[type=submit]");
    await page.waitForURL(/\/persons\?saved=1/);
    await goInApp(page, "/pin?next=%2Fpersons");
    // The current PIN first: a wrong one is refused and counted.
    await page.fill("#pin-current", "0000");
    await page.fill("#pin", "13579");
    await page.fill("#pin-confirm", "13579");
    await page.click("#pin-form button[type=submit]");
    await page.waitForSelector('#pin-form + p[role="alert"]', { timeout: 30_000 });
    assert.match(await page.textContent('#pin-form + p[role="alert"]'), /Осталось попыток: 4/);
    assert.match(new URL(page.url()).pathname, /^\/pin$/, "the PIN stays as it was");
    await page.fill("#pin-current", PIN);
    await page.fill("#pin", "13579");
    await page.fill("#pin-confirm", "13579");
    await page.click("#pin-form button[type=submit]");
    await page.waitForURL(/\/persons$/);
    await page.waitForSelector("#persons strong");

    await context.setOffline(false);
    await until(() => settled(page), "the person reached the server", 60_000);
    assert.equal(Number(one("SELECT COUNT(*) FROM persons WHERE full_name = 'Демо Дәурен Пинов'")), 1);
    // Opened anew with the new PIN, online: the same cache key opens (a new one would have
    // dropped the sealed records and sealed them again, with new ciphertext).
    const reopened = await context.newPage();
    await reopened.goto(`${server.url}/`);
    await waitForHydration(reopened);
    await reopened.fill("#unlock-pin", "13579");
    await reopened.click("#unlock-form button[type=submit]");
    await reopened.waitForSelector("#unlock-form", { state: "detached", timeout: 30_000 });
    await goInApp(reopened, "/persons");
    await until(async () => /Дәурен Пинов/.test(await reopened.textContent("main")), "the list names the person");
    assert.equal(await sealedErmek(reopened), before, "the sealed record was not dropped and pulled again");
    await context.close();
  });

  test("a person waiting for the PIN holds back only what follows it: the phone still receives", async () => {
    const { server, browser } = env;
    const { context, page } = await readyPhone(browser, server.url, "demo.inspector", ["/persons/new"]);
    await context.setOffline(true);
    await goInApp(page, "/persons/new");
    await chooseVillage(page, "Сепе");
    await page.fill("#full_name", "Демо Арман Ожидающий");
    await page.click("#person-form button[type=submit]");
    await page.waitForURL(/\/persons\?saved=1/);
    await page.close();

    // Meanwhile the council gives the inspector a task.
    const other = await signIn(server.url, "demo.inspector");
    const sepe = (await reference(server.url, other)).villages.find((v) => v.name.ru === "Сепе").id;
    const tablet = device();
    const taskId = newId();
    const given = await push(server.url, other, tablet.id, [tablet.mutation("task", "create", taskId, { ...task(sepe, 1), title: "Пока лицо ждёт PIN" })]);
    assert.equal(given.body.answers[0].status, "applied", JSON.stringify(given.body));

    // Back online, the app opened again and left at its lock screen: the person cannot go
    // (the cache is locked), the task still arrives.
    await context.setOffline(false);
    const locked = await context.newPage();
    await locked.goto(server.url);
    await waitForHydration(locked);
    await locked.waitForSelector("#unlock-form");
    await until(async () => Boolean(await storedValue(locked, "records", `task:${taskId}`)), "the task reached the locked phone", 60_000);
    assert.equal((await syncBar(locked)).pending, 1, "the person still waits");
    assert.equal(Number(one("SELECT COUNT(*) FROM persons WHERE full_name = 'Демо Арман Ожидающий'")), 0);

    // The PIN opens the cache, and the person goes.
    await locked.fill("#unlock-pin", PIN);
    await locked.click("#unlock-form button[type=submit]");
    await until(() => settled(locked), "the person reached the server", 60_000);
    assert.equal(Number(one("SELECT COUNT(*) FROM persons WHERE full_name = 'Демо Арман Ожидающий'")), 1);
    await context.close();
  });

  test("the supervisors' audit view shows a read made on the device as such", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: TABLET, signInAs: { url: server.url, login: "demo.supervisor" } });
    const page = await context.newPage();
    await open(page, server.url, "/audit?action=read_on_device");
    await page.waitForSelector("#audit-table");
    assert.match(await page.textContent("#audit-table"), /просмотр на устройстве \(без сети\)/);
    await context.close();
  });
});

describe("past the offline window, and a revoked device", () => {
  // Seconds, not days: the window passes while the test waits.
  const env = withServerAndBrowser({ args: ["--offline-window-secs", "3"] });

  test("the PIN no longer opens the cache offline; the password does; revocation wipes it at the next contact", async () => {
    const { server, browser } = env;
    const { context, page: first } = await readyPhone(browser, server.url, "demo.inspector");
    const [browserDevice] = (await context.cookies()).find((c) => c.name === "zq_device").value.split(".");
    await first.close();

    await context.setOffline(true);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const phone = await reopenWithPin(context, server.url);
    await goInApp(phone, "/persons");
    await phone.waitForSelector("#persons-password-form");
    await phone.fill("#persons-password", "not-the-password");
    await phone.click("#persons-password-form button[type=submit]");
    await phone.waitForSelector('#persons-password-form [role="alert"]', { timeout: 30_000 });
    assert.match(await phone.textContent('#persons-password-form [role="alert"]'), /Осталось попыток: 4/);
    await phone.fill("#persons-password", PASSWORD);
    await phone.click("#persons-password-form button[type=submit]");
    await phone.waitForSelector("#persons strong", { timeout: 30_000 });
    assert.match(await phone.textContent("#persons"), /Ермек Сапаров/);

    // The admin revokes the phone; at its next contact it drops everything, the cache included.
    const admin = await signIn(server.url, "demo.admin");
    const revoked = await fetch(`${server.url}/api/admin/revoke_device`, {
      method: "POST",
      headers: { cookie: admin, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ device_id: browserDevice }).toString(),
    });
    assert.equal(revoked.status, 200);
    // The signal coming back starts a sync by itself: that is the next contact.
    await context.setOffline(false);
    await phone.waitForURL(/\/sign-in\?revoked=1/, { timeout: 60_000 });
    await waitForHydration(phone);
    await until(async () => {
      const { records, meta } = await storedKeys(phone);
      return records.length === 0 && !meta.some((k) => String(k).startsWith("cache_key") || k === "device_key");
    }, "no record, wrapped key or device key stays");
    await context.close();
  });
});

describe("the password wrap follows a password change", () => {
  const env = withServerAndBrowser({ args: ["--offline-window-secs", "3"] });

  test("changed on this device, past the window the new password opens the cache and the old one does not", async () => {
    const { server, browser } = env;
    const { context, page } = await readyPhone(browser, server.url, "demo.coordinator");
    const passwordWrap = () => storedValue(page, "meta", "cache_key_password");
    await until(async () => (await passwordWrap()) !== null, "the sign-in wrote the password wrap");
    const before = await passwordWrap();

    const renewed = "Новый-пароль-2027";
    await goInApp(page, "/account");
    await page.fill("#current", PASSWORD);
    await page.fill("#new_password", renewed);
    await page.fill("#confirm", renewed);
    await page.click("#password-form button[type=submit]");
    await until(async () => /Пароль изменён/.test(await page.textContent("main")), "the password was changed");
    await until(async () => (await passwordWrap()) !== before, "the wrap was written again");
    await page.close();

    await context.setOffline(true);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const phone = await reopenWithPin(context, server.url);
    await goInApp(phone, "/persons");
    await phone.waitForSelector("#persons-password-form");
    await phone.fill("#persons-password", PASSWORD);
    await phone.click("#persons-password-form button[type=submit]");
    await phone.waitForSelector('#persons-password-form [role="alert"]', { timeout: 30_000 });
    await phone.fill("#persons-password", renewed);
    await phone.click("#persons-password-form button[type=submit]");
    await phone.waitForSelector("#persons strong", { timeout: 30_000 });
    await context.close();
  });
});

describe("persons shared with a council", () => {
  const env = withServerAndBrowser();

  test("the elder's shared person leaves his device when the task closes; the chair is offered no person to link", async () => {
    const { server, browser } = env;
    const inspector = await signIn(server.url, "demo.inspector");
    const shuiskoe = (await reference(server.url, inspector)).villages.find((v) => v.name.ru === "Шуйское").id;
    const elderMember = sqlite(server.database, "SELECT member_id FROM accounts WHERE login = 'demo.elder'")[0][0];
    // A household the village map has a point for: the shared person living there is then
    // marked on the elder's map.
    const address = "ул. Озёрная, 17";
    const phone = device();
    const personId = newId();
    const taskId = newId();
    const shared = await push(server.url, inspector, phone.id, [
      phone.mutation("feature", "create", newId(), {
        village_id: shuiskoe,
        layer: "households",
        name: address,
        geometry: { type: "Point", coordinates: [68.3127, 52.0954] },
      }),
      phone.mutation("person", "create", personId, { ...person(shuiskoe, "Демо Арман Көпірбаев"), household: address }),
      phone.mutation("task", "create", taskId, { ...task(shuiskoe, 1, [elderMember]), person_id: personId }),
    ]);
    assert.deepEqual(shared.body.answers.map((a) => a.status), ["applied", "applied", "applied"], JSON.stringify(shared.body));

    const context = await newContext(browser, { viewport: TABLET });
    const tablet = await context.newPage();
    await signInWithPin(tablet, server.url, "demo.elder", "8642");
    await open(tablet, server.url, `/persons/${personId}`);
    await tablet.waitForSelector("#person-name", { timeout: 60_000 });
    assert.match(await tablet.textContent("#person-name"), /Арман Көпірбаев/);
    assert.ok((await storedKeys(tablet)).records.includes(`person:${personId}`));
    await open(tablet, server.url, `/villages/${shuiskoe}/map`);
    const markers = () => tablet.locator("path.marker-person").count();
    await until(async () => (await markers()) > 0, "the shared person's household is marked", 60_000);
    const marked = await markers();

    const closed = await push(server.url, inspector, phone.id, [
      phone.mutation("task", "update", taskId, { status: "cancelled", note: null }, 1),
    ]);
    assert.equal(closed.body.answers[0].status, "applied");
    await tablet.click("#sync-now");
    await until(async () => !(await storedKeys(tablet)).records.includes(`person:${personId}`), "the tombstone removed the person", 60_000);
    await until(async () => (await markers()) === marked - 1, "the person's marker left the map");
    await open(tablet, server.url, `/persons/${personId}`);
    await tablet.waitForSelector("main .error, main [role=alert]", { timeout: 30_000 });
    assert.equal(await tablet.locator("#person-name").count(), 0, "the person's page no longer opens");
    await context.close();

    const chairContext = await newContext(browser, { viewport: TABLET });
    const chair = await chairContext.newPage();
    await signInWithPin(chair, server.url, "demo.chair", "1357");
    await open(chair, server.url, "/tasks/new");
    await chair.waitForSelector("#task-form");
    assert.equal(await chair.locator("#person_id").count(), 0, "no person picker for the chair");
    await chairContext.close();
  });
});
