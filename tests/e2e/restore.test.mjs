// Issue 18's restore story (DESIGN §4.9) in Chromium against the real server and its SQLite
// file: the server is restored mid-story from a backup older than what the phone sent. The
// phone notices on its own, sends again what the server lost (a person among it, kept sealed
// while it waited), pulls from nothing so it misses none of the changes made after the
// restore, and stops at no error: nothing it held is lost, nothing is doubled.
import assert from "node:assert/strict";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { newContext, PHONE, signInWithPin, waitForActiveServiceWorker, withServerAndBrowser } from "../support/browser.mjs";
import { HIGHEST_VERSION, runServer, signIn, sqlite, startServer, tempDir } from "../support/server.mjs";
import { device, newId, push, reference, task } from "../support/sync.mjs";
import { chooseVillage, newTask, open, syncBar, until } from "../support/outbox.mjs";

const env = withServerAndBrowser();
const count = (sql) => Number(sqlite(env.server.database, sql)[0][0]);
const settled = async (page) => {
  const bar = await syncBar(page);
  return bar.pending === 0 && !bar.running;
};

/** Every value of one IndexedDB store of the app, with its key. */
function stored(page, store) {
  return page.evaluate(async (store) => {
    const db = await new Promise((resolve) => {
      const request = indexedDB.open("zq");
      request.onsuccess = () => resolve(request.result);
    });
    const read = (method) =>
      new Promise((resolve) => {
        const request = db.transaction([store]).objectStore(store)[method]();
        request.onsuccess = () => resolve(request.result);
      });
    const [keys, values] = [await read("getAllKeys"), await read("getAll")];
    return keys.map((key, n) => ({ key: String(key), value: String(values[n]) }));
  }, store);
}

async function syncNow(page, what) {
  await page.click("#sync-now");
  await until(() => settled(page), what, 60_000);
}

test("restored mid-story from an older backup: the phone sends again what the server lost and pulls what came after", async () => {
  const context = await newContext(env.browser, { viewport: PHONE });
  const page = await context.newPage();
  await signInWithPin(page, env.server.url, "demo.inspector");
  await waitForActiveServiceWorker(page);
  for (const path of ["/tasks/new", "/persons/new", "/"]) await open(page, env.server.url, path);
  await until(() => settled(page), "the first sync finished", 60_000);

  await newTask(page, env.server.url, { title: "До копии" });
  await syncNow(page, "the first task reached the server");
  const backup = path.join(tempDir(), "morning.sqlite");
  const made = runServer(["--database", env.server.database, "backup", "--to", backup]);
  assert.equal(made.code, 0, made.stderr);

  // After the backup the phone sends two tasks and a person: all settled, all in the journal.
  await newTask(page, env.server.url, { title: "После копии 1" });
  await newTask(page, env.server.url, { title: "После копии 2" });
  await open(page, env.server.url, "/persons/new");
  await chooseVillage(page, "Сепе");
  const person = { name: "Демо Айдар Восстановленный", household: "ул. Резервная, 3", note: "Записан после копии" };
  await page.fill("#full_name", person.name);
  await page.fill("#household", person.household);
  await page.fill("#note", person.note);
  await page.click("#person-form button[type=submit]");
  await page.waitForURL(/\/persons\?saved=1/);
  await syncNow(page, "the three entries reached the server");
  const lost = `(SELECT COUNT(*) FROM tasks WHERE title LIKE 'После копии%') + (SELECT COUNT(*) FROM persons WHERE full_name = '${person.name}')`;
  assert.equal(count(`SELECT ${lost}`), 3);
  const journal = (await stored(page, "meta")).filter((e) => e.key.startsWith("sent:"));
  assert.ok(journal.length >= 4, `the phone keeps what it sent: ${journal.map((e) => e.key)}`);
  const everything = [...(await stored(page, "meta")), ...(await stored(page, "outbox")), ...(await stored(page, "records"))];
  for (const secret of [person.name, person.household, person.note]) {
    assert.ok(!everything.some((e) => e.value.includes(secret)), `${secret} is stored in clear`);
  }
  const cursor = Number((await stored(page, "meta")).find((e) => e.key === "cursor:records").value);

  // The server is restored from the morning's copy: it forgets the three entries.
  const url = env.server.url;
  await env.server.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(env.server.database + suffix, { force: true });
  copyFileSync(backup, env.server.database);
  env.server = await startServer({ dir: env.server.dir, database: env.server.database, addr: new URL(url).host });
  assert.equal(count(`SELECT ${lost}`), 0, "the restore lost what came after the copy");

  // Someone else writes after the restore, enough that the server's versions pass the phone's
  // old cursor: a phone that kept its cursor would skip these.
  const highest = count(HIGHEST_VERSION);
  const other = await signIn(env.server.url, "demo.inspector");
  const sepe = (await reference(env.server.url, other)).villages.find((v) => v.name.ru === "Сепе").id;
  const tablet = device();
  const theirs = Array.from({ length: Math.max(3, cursor - highest + 2) }, (_, n) => ({ ...task(sepe, n), title: `Чужая ${n}` }));
  const pushed = await push(env.server.url, other, tablet.id, theirs.map((t) => tablet.mutation("task", "create", newId(), t)));
  assert.ok(pushed.body.answers.every((a) => a.status === "applied"), JSON.stringify(pushed.body));
  assert.ok(count(HIGHEST_VERSION) > cursor, "the versions passed the old cursor");

  // The phone carries on: a new task, and a sync.
  await newTask(page, env.server.url, { title: "После восстановления" });
  await syncNow(page, "the phone settled everything with the restored server");
  for (const title of ["До копии", "После копии 1", "После копии 2", "После восстановления"]) {
    assert.equal(count(`SELECT COUNT(*) FROM tasks WHERE title = '${title}'`), 1, `${title}: exactly once`);
  }
  assert.equal(count(`SELECT COUNT(*) FROM persons WHERE full_name = '${person.name}' AND note = '${person.note}'`), 1, "the person came back from the sealed journal");
  assert.equal((await syncBar(page)).problems, 0, "nothing refused or in conflict");
  const records = await stored(page, "records");
  for (const { title } of theirs) {
    assert.ok(records.some((r) => r.value.includes(title)), `${title}, written after the restore, reached the phone`);
  }
  const epoch = sqlite(env.server.database, "SELECT epoch FROM installation")[0][0];
  assert.equal(JSON.parse((await stored(page, "meta")).find((e) => e.key === "epoch").value), epoch);
  await context.close();
});
