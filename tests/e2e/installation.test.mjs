// Issue 20's newcomer's story in Chromium against the real server and its SQLite file: a
// server started as a real installation (no demo data), its first admin made on the command
// line, then everything else done in the app — a village, its council (two members typed, one
// imported from the akimat's file), an inspector and an elder linked to his member; the
// inspector gives the elder a task, the elder completes it offline on a tablet, the inspector
// verifies it. SQL only reads results.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { launch, newContext, openMenu, PHONE, signInWithPin, TABLET, waitForActiveServiceWorker } from "../support/browser.mjs";
import { chooseVillage, open, syncBar, until } from "../support/outbox.mjs";
import { SERVER_BIN, sqlite, startServer, tempDir } from "../support/server.mjs";

const ADMIN_PASSWORD = "первый админ 2026";
const INSPECTOR_PASSWORD = "inspector password 2026";
const ELDER_PASSWORD = "ақсақал құпия 2026";

let server, browser;
before(async () => {
  const dir = tempDir();
  const database = path.join(dir, "zq.sqlite");
  const made = spawnSync(SERVER_BIN, ["--database", database, "create-admin", "--login", "region.admin", "--name", "Айгерим Сапарова"], {
    encoding: "utf8",
    input: `${ADMIN_PASSWORD}\n`,
    env: { ...process.env, ZQ_LOG: "warn" },
  });
  assert.equal(made.status, 0, made.stderr);
  // demo: null — no flag and no variable: the server's own default, as a real installation.
  server = await startServer({ dir, database, demo: null });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

const one = (sql) => sqlite(server.database, sql)[0]?.[0];
const settled = async (page) => {
  const bar = await syncBar(page);
  return bar.pending === 0 && bar.problems === 0 && !bar.running;
};

async function device(login, password, viewport) {
  const context = await newContext(browser, { viewport });
  const page = await context.newPage();
  await signInWithPin(page, server.url, login, "2468", password);
  await waitForActiveServiceWorker(page);
  return { context, page };
}

test("from an empty installation to an elder's task completed offline, all in the app", async () => {
  assert.equal(one("SELECT COUNT(*) FROM accounts WHERE demo = TRUE"), 0, "no demo data");
  assert.equal(one("SELECT COUNT(*) FROM councils"), 0);

  // The admin adds a village with its position.
  const admin = await device("region.admin", ADMIN_PASSWORD, TABLET);
  let page = admin.page;
  await open(page, server.url, "/admin/places");
  await page.click("#new-village");
  await page.selectOption("#village_district", { label: "Атбасарский район" });
  await page.fill("#village_name_ru", "Жанааул");
  await page.fill("#village_name_kk", "Жаңаауыл");
  await page.fill("#village_okrug", "Сепе ауылдық округі");
  await page.fill("#village_lat", "51.812");
  await page.fill("#village_lon", "68.361");
  await page.click("#save-village");
  await page.waitForSelector("#village-form p.notice[role=status]");
  const villageId = one("SELECT id FROM villages WHERE name_ru = 'Жанааул'");
  assert.ok(villageId, "the village is in the database");
  assert.deepEqual(sqlite(server.database, `SELECT name_kk, lat, lon, position_approximate FROM villages WHERE id = '${villageId}'`), [
    ["Жаңаауыл", 51.812, 68.361, 0],
  ]);

  // Its council: the formation date and two members typed in, from the village's page.
  // Found as a person finds it: the menu's village picker (SQL above only read results).
  await open(page, server.url, "/");
  await openMenu(page);
  await page.getByLabel("Село", { exact: true }).selectOption({ label: "Жанааул" });
  await page.waitForSelector("#council-link");
  await page.click("#council-link");
  await page.waitForSelector("#council-form");
  assert.equal(new URL(page.url()).pathname, `/villages/${villageId}/council`);
  await page.fill("#formed_on", "2025-03-15");
  await page.click("#council-form button[type=submit]");
  await page.waitForURL(/council\?saved=1/);
  for (const [name, role, phone] of [
    ["Серік Әлиев", "chair", "+7 701 111 22 33"],
    ["Гүлнар Оспанова", "elder", "8 (747) 222-33-44"],
  ]) {
    await page.click("#new-member");
    await page.waitForSelector("#member-form");
    await page.fill("#full_name", name);
    await page.selectOption("#role", role);
    await page.fill("#phone", phone);
    await page.fill("#since", "2025-03-15");
    await page.click("#member-form button[type=submit]");
    await page.waitForURL(/council\?saved=1/);
  }
  await until(() => settled(page), "the admin's council reached the server", 60_000);
  assert.equal(one(`SELECT formed_on FROM councils WHERE village_id = '${villageId}'`), "2025-03-15");

  // The third member comes from the akimat's file: checked first, then applied.
  await page.click("#import-members");
  await page.waitForSelector("#import-file");
  await page.setInputFiles("#import-file", {
    name: "кеңес-мүшелері.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("\uFEFFФИО;Роль;Телефон;Член совета с\r\nБолат Жұмабаев;кәсіпкер;8 705 333 44 55;01.02.2025\r\n"),
  });
  await page.click("#import-preview");
  await page.waitForSelector("#import-rows tr[data-row] td.row-ok");
  await page.click("#import-apply");
  await page.waitForSelector("#import-result");
  const members = sqlite(
    server.database,
    `SELECT m.full_name, m.role, m.phone FROM council_members m JOIN councils c ON c.id = m.council_id WHERE c.village_id = '${villageId}' ORDER BY m.full_name`,
  );
  assert.deepEqual(members, [
    ["Болат Жұмабаев", "business", "+77053334455"],
    ["Гүлнар Оспанова", "elder", "+77472223344"],
    ["Серік Әлиев", "chair", "+77011112233"],
  ]);
  const elderMember = one("SELECT id FROM council_members WHERE full_name = 'Гүлнар Оспанова'");

  // Accounts: an inspector for the village, and an elder linked to her member.
  await open(page, server.url, "/admin/accounts");
  const createAccount = async (login, name, role, password, member) => {
    await page.fill("#new-login", login);
    await page.fill("#new-name", name);
    await page.selectOption("#new-role", role);
    await page.check('#new-account label.check:has-text("Жанааул") input');
    if (member) {
      const option = page.locator("#account_member option", { hasText: member });
      await page.selectOption("#account_member", await option.getAttribute("value"));
    }
    await page.fill("#new-password", password);
    await page.click("#new-account button[type=submit]");
    await page.waitForSelector(`#accounts li[data-login="${login}"]`);
  };
  await createAccount("inspector.zhanaauyl", "Ержан Бекұлы", "inspector", INSPECTOR_PASSWORD);
  await open(page, server.url, "/admin/accounts");
  await createAccount("elder.gulnar", "Гүлнар Оспанова", "council_member", ELDER_PASSWORD, "Гүлнар Оспанова");
  assert.equal(one("SELECT member_id FROM accounts WHERE login = 'elder.gulnar'"), elderMember);
  await admin.context.close();

  // The inspector gives the elder a task from his phone.
  const inspector = await device("inspector.zhanaauyl", INSPECTOR_PASSWORD, PHONE);
  page = inspector.page;
  await until(() => settled(page), "the inspector's first sync", 60_000);
  await open(page, server.url, "/tasks/new");
  await chooseVillage(page, "Жанааул");
  await page.fill("#title", "Көше шамдарын тексеру");
  await page.check('#task-form label.check:has-text("Гүлнар Оспанова") input');
  await page.click("#task-form button[type=submit]");
  await page.waitForURL(/\/tasks\?saved=1/);
  await until(() => settled(page), "the task reached the server", 60_000);
  const taskId = one("SELECT id FROM tasks WHERE title = 'Көше шамдарын тексеру'");
  assert.equal(one(`SELECT member_id FROM task_assignees WHERE task_id = '${taskId}'`), elderMember);

  // The elder sees it under "my tasks" on her tablet, completes it offline, and it syncs.
  const elder = await device("elder.gulnar", ELDER_PASSWORD, TABLET);
  for (const path of ["/tasks", `/tasks/${taskId}`, "/tasks"]) await open(elder.page, server.url, path);
  await until(() => settled(elder.page), "the elder's first sync", 60_000);
  await elder.page.click("#sync-now");
  await elder.page.waitForSelector(`#task-list li[data-id="${taskId}"]`);
  assert.equal(await elder.page.isChecked("#only-mine"), true, "'only my tasks' is on for a council member");
  await elder.context.setOffline(true);
  await open(elder.page, server.url, `/tasks/${taskId}`);
  await elder.page.waitForSelector("#progress-form");
  await elder.page.fill("#note", "Үш шам ауыстырылды");
  await elder.page.selectOption("#new_status", "done");
  await elder.page.click("#progress-form button[type=submit]");
  await elder.page.waitForSelector(".notice[role=status]");
  // The bar counts the outbox a moment after the saved notice shows.
  await until(async () => (await syncBar(elder.page)).pending === 1, "the change waits in the outbox");
  assert.equal(one(`SELECT status FROM tasks WHERE id = '${taskId}'`), "new", "not on the server while offline");
  await elder.context.setOffline(false);
  await until(() => settled(elder.page), "the elder's change reached the server", 60_000);
  assert.equal(one(`SELECT status FROM tasks WHERE id = '${taskId}'`), "done");
  await elder.context.close();

  // Online again, the inspector verifies it.
  await open(page, server.url, `/tasks/${taskId}`);
  await page.click("#sync-now");
  await until(async () => (await page.textContent("#task-status"))?.trim() === "Выполнена", "the inspector sees the task done");
  await page.selectOption("#new_status", "verified");
  await page.click("#progress-form button[type=submit]");
  await until(() => settled(page), "the verification reached the server", 60_000);
  assert.equal(one(`SELECT status FROM tasks WHERE id = '${taskId}'`), "verified");
  assert.ok(one("SELECT COUNT(*) FROM audit_events WHERE entity = 'member' AND action = 'create'") >= 3, "members audited");
  await inspector.context.close();
});
