// Issue 5's stories in Chromium against the real server and its SQLite file: an elder on a
// tablet completes a task offline and it syncs; an inspector records an offence for a person
// with a prior offence and sees it marked repeat; the village page's figures follow.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newContext, PHONE, signInWithPin, TABLET, waitForActiveServiceWorker, withServerAndBrowser } from "../support/browser.mjs";
import { signIn, sqlite } from "../support/server.mjs";
import { device, newId, push, reference, task } from "../support/sync.mjs";
import { chooseVillage, open, syncBar, until, waitForVillages } from "../support/outbox.mjs";

const env = withServerAndBrowser();
const one = (sql) => sqlite(env.server.database, sql)[0]?.[0];
const settled = async (page) => {
  const bar = await syncBar(page);
  return bar.pending === 0 && !bar.running;
};

/** Signs in with a PIN and opens `paths` once online, so the service worker keeps them. */
async function readyDevice(login, viewport, paths) {
  const context = await newContext(env.browser, { viewport });
  const page = await context.newPage();
  await signInWithPin(page, env.server.url, login);
  await waitForActiveServiceWorker(page);
  for (const path of paths) await open(page, env.server.url, path);
  await until(() => settled(page), "the first sync finished");
  return { context, page };
}

test("an elder at a tablet sees 'my tasks', completes one offline, and it syncs; the inspector verifies it", async () => {
  const { server } = env;
  // The chair gives the elder a task (through sync, as the chair's device would).
  const chair = await signIn(server.url, "demo.chair");
  const shuiskoe = (await reference(server.url, chair)).villages.find((v) => v.name.ru === "Шуйское").id;
  const elderMember = one("SELECT member_id FROM accounts WHERE login = 'demo.elder'");
  const taskId = newId();
  const phone = device();
  const created = await push(server.url, chair, phone.id, [
    phone.mutation("task", "create", taskId, { ...task(shuiskoe, 1, [elderMember]), title: "Жарық шамын тексеру — Абай көшесі" }),
    phone.mutation("task", "create", newId(), { ...task(shuiskoe, 2), title: "Басқа біреудің тапсырмасы" }),
  ]);
  assert.deepEqual(created.body.answers.map((a) => a.status), ["applied", "applied"]);

  const { context, page } = await readyDevice("demo.elder", TABLET, ["/tasks", `/tasks/${taskId}`, "/tasks"]);
  await page.click("#sync-now");
  await page.waitForSelector(`#task-list li[data-id="${taskId}"]`);
  assert.equal(await page.isChecked("#only-mine"), true, "'only my tasks' is on for a council member");
  const titles = await page.locator("#task-list li strong").allTextContents();
  assert.ok(titles.includes("Жарық шамын тексеру — Абай көшесі"));
  assert.ok(!titles.includes("Басқа біреудің тапсырмасы"), "someone else's task is not in 'my tasks'");

  await context.setOffline(true);
  await open(page, server.url, `/tasks/${taskId}`);
  await page.waitForSelector("#progress-form");
  await page.fill("#note", "Шам ауыстырылды ✅ — Абай көшесі, 12");
  await page.selectOption("#new_status", "done");
  await page.click("#progress-form button[type=submit]");
  await page.waitForSelector(".notice[role=status]");
  await page.reload();
  await page.waitForSelector("#task-status");
  assert.equal((await page.textContent("#task-status")).trim(), "Выполнена");
  assert.equal((await syncBar(page)).pending, 1);
  assert.equal(one(`SELECT status FROM tasks WHERE id = '${taskId}'`), "new", "not on the server while offline");

  await context.setOffline(false);
  await until(() => settled(page), "the elder's change reached the server", 60_000);
  assert.equal(one(`SELECT status || ' ' || version FROM tasks WHERE id = '${taskId}'`), "done 2");
  assert.equal(one(`SELECT note FROM task_updates WHERE task_id = '${taskId}'`), "Шам ауыстырылды ✅ — Абай көшесі, 12");
  await context.close();

  // The inspector checks the work and verifies it.
  const inspector = await readyDevice("demo.inspector", PHONE, [`/tasks/${taskId}`]);
  await inspector.page.click("#sync-now");
  await until(async () => (await inspector.page.textContent("#task-status"))?.trim() === "Выполнена", "the inspector sees the task done");
  await inspector.page.selectOption("#new_status", "verified");
  await inspector.page.click("#progress-form button[type=submit]");
  await until(() => settled(inspector.page), "the verification reached the server", 60_000);
  assert.equal(one(`SELECT status FROM tasks WHERE id = '${taskId}'`), "verified");
  await inspector.context.close();
});

test("an inspector records an offence for a person with a prior offence: it is marked repeat, and the village page counts it", async () => {
  const { server } = env;
  const sepe = one("SELECT id FROM villages WHERE name_ru = 'Сепе'");
  const ermek = one("SELECT id FROM persons WHERE full_name = 'Демо Ермек Сапаров'");
  const { context, page } = await readyDevice("demo.inspector", PHONE, ["/offences/new", "/offences"]);
  const figure = async (cell) => Number((await page.textContent(`#offence-figures tr[data-period="month"] td[data-cell="${cell}"]`)).trim());

  await open(page, server.url, `/villages/${sepe}`);
  await page.waitForSelector("#offence-figures");
  const before = { offences: await figure("offences"), repeats: await figure("repeats") };

  await open(page, server.url, "/offences/new");
  await chooseVillage(page, "Сепе");
  await page.waitForSelector(`#persons-${ermek}`);
  await page.check(`#persons-${ermek}`);
  await page.selectOption("#category", "alcohol");
  await page.fill("#description", "Қоғамдық орында ішімдік ішті");
  // A tap twice on save makes one record.
  await page.dblclick("#offence-form button[type=submit]");
  await page.waitForURL(/\/offences\?saved=1/);
  await until(() => settled(page), "the offence reached the server", 60_000);
  assert.equal(one("SELECT COUNT(*) FROM offences WHERE description = 'Қоғамдық орында ішімдік ішті'"), 1);
  const id = one("SELECT id FROM offences WHERE description = 'Қоғамдық орында ішімдік ішті'");

  await page.waitForSelector(`#offence-list li[data-id="${id}"]`);
  assert.equal(await page.getAttribute(`#offence-list li[data-id="${id}"]`, "data-repeat"), "true");
  await open(page, server.url, `/offences/${id}`);
  await page.waitForSelector("#offence-repeat");
  assert.match(await page.textContent("#offence-repeat"), /Повторное/);
  await until(async () => /Ермек/.test(await page.textContent("#offence-persons")), "the person's name shows");

  await open(page, server.url, `/villages/${sepe}`);
  await page.waitForSelector("#offence-figures");
  assert.equal(await figure("offences"), before.offences + 1);
  assert.equal(await figure("repeats"), before.repeats + 1);
  assert.match(await page.textContent("#days-since"), /: 0$/);

  // The person's page tells the same story.
  await open(page, server.url, `/persons/${ermek}`);
  // Built on the device once its cache is open (the first render may come from the server).
  await until(async () => (await page.locator('#history-offences li[data-repeat="true"]').count()) === 2, "both repeats are marked");
  await context.close();
});

test("a form refuses empty and future input in the person's language, keeps what was typed, and records the GPS point", async () => {
  const { server } = env;
  const { context, page } = await readyDevice("demo.inspector", PHONE, ["/visits/new"]);
  await open(page, server.url, "/visits/new");
  await waitForVillages(page);
  await page.fill("#outcome", "Әңгіме өтті, бірақ адам көрсетілмеді");
  await page.click("#visit-form button[type=submit]");
  await page.waitForSelector(".error[role=alert]");
  assert.match(await page.textContent(".error[role=alert]"), /Лицо на учёте/);
  await page.fill("#household", "ул. Степная, 4");
  await page.fill("#visited_on", "2099-01-01");
  await page.click("#visit-form button[type=submit]");
  await until(async () => /будущ/i.test(await page.textContent(".error[role=alert]")), "the future date is refused");
  assert.equal(await page.inputValue("#outcome"), "Әңгіме өтті, бірақ адам көрсетілмеді");
  await page.reload();
  await page.waitForSelector("#visit-form");
  await until(async () => (await page.inputValue("#outcome")) === "Әңгіме өтті, бірақ адам көрсетілмеді", "the draft came back after a reload");

  // The phone's GPS gives the point (no signal needed), then the corrected visit is saved.
  await context.grantPermissions(["geolocation"], { origin: server.url });
  await context.setGeolocation({ latitude: 51.8123, longitude: 68.3456 });
  await page.click("#take-position");
  await until(async () => (await page.textContent("#position")).includes("51.812300, 68.345600"), "the position is shown");
  await page.fill("#visited_on", new Date().toISOString().slice(0, 10));
  await page.click("#visit-form button[type=submit]");
  await page.waitForURL(/\/visits\?saved=1/);
  await until(() => settled(page), "the visit reached the server", 60_000);
  assert.deepEqual(sqlite(server.database, "SELECT household, lat, lon FROM visits WHERE outcome = 'Әңгіме өтті, бірақ адам көрсетілмеді'"), [
    ["ул. Степная, 4", 51.8123, 68.3456],
  ]);

  // Corrected later from the list: the outcome written up, on the version it was made on.
  const visitId = sqlite(server.database, "SELECT id FROM visits WHERE household = 'ул. Степная, 4' AND lat IS NOT NULL")[0][0];
  await open(page, server.url, `/visits/${visitId}/edit`);
  await until(async () => (await page.inputValue("#outcome")) === "Әңгіме өтті, бірақ адам көрсетілмеді", "the form opens with the visit");
  await page.fill("#outcome", "Әңгіме өтті; келесі бару — айдың соңында");
  await page.click("#visit-form button[type=submit]");
  await page.waitForURL(/\/visits\?saved=1/);
  await until(() => settled(page), "the correction reached the server", 60_000);
  assert.deepEqual(sqlite(server.database, `SELECT outcome, version, lat FROM visits WHERE id = '${visitId}'`), [
    ["Әңгіме өтті; келесі бару — айдың соңында", 2, 51.8123],
  ]);
  await context.close();
});

test("an inspector records a person of attention offline: the device never caches them in clear, and the server gets them once", async () => {
  const { server } = env;
  const { context, page } = await readyDevice("demo.inspector", PHONE, ["/persons/new"]);
  const name = "Демо Нұрлан Қайратұлы";
  await context.setOffline(true);
  await open(page, server.url, "/persons/new");
  await chooseVillage(page, "Покровка");
  await page.fill("#full_name", name);
  await page.fill("#birth_year", "2001");
  await page.check("#categories-conscription_age");
  await page.selectOption("#register_basis", "official_warning");
  await page.click("#person-form button[type=submit]");
  await page.waitForURL(/\/persons\?saved=1/);
  const cached = await page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open("zq");
      request.onsuccess = () => resolve(request.result);
    });
    return new Promise((resolve) => {
      const request = db.transaction(["records"]).objectStore("records").getAll();
      request.onsuccess = () => resolve(JSON.stringify(request.result));
    });
  });
  assert.ok(!cached.includes(name), "the person is not in the record cache in clear");
  await until(async () => (await syncBar(page)).pending === 1, "the entry waits in the outbox");
  assert.equal(sqlite(server.database, `SELECT COUNT(*) FROM persons WHERE full_name = '${name}'`)[0][0], 0);
  await context.setOffline(false);
  await until(() => settled(page), "the person reached the server", 60_000);
  assert.deepEqual(sqlite(server.database, `SELECT register_basis, categories FROM persons WHERE full_name = '${name}'`), [
    ["official_warning", '["conscription_age","preventive_register"]'],
  ]);
  await open(page, server.url, "/persons");
  await page.waitForSelector("#persons");
  assert.match(await page.textContent("#persons"), /Нұрлан Қайратұлы/);
  await context.close();
});
