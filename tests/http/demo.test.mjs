// Demo data against the real server binary: off unless asked for, never served beyond this
// machine without a flag that says so, and taken out again by `server purge-demo`, which
// leaves the villages, the real accounts and their records, and tombstones for the devices
// that had pulled demo records.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { DEMO_PASSWORD, SERVER_BIN, SITE_ROOT, callFn, runServer, signIn, sqlite, startServer, tempDir, freshDatabase, tablesWithColumn } from "../support/server.mjs";
import { device, newId, pullAll, push, task } from "../support/sync.mjs";

const value = (db, sql) => sqlite(db, sql)[0]?.[0];
const today = new Date().toISOString().slice(0, 10);
/** A server listening on every address answers on this machine's loopback too. */
const local = (server) => server.url.replace("0.0.0.0", "127.0.0.1");
/** Synced entities and their tables. */
const SYNCED = {
  task: "tasks",
  proposal: "proposals",
  event: "events",
  person: "persons",
  offence: "offences",
  visit: "visits",
  meeting: "meetings",
  decision: "decisions",
  feature: "map_features",
};

/** Rows marked demo in every table that has the mark (a table added later is counted too). */
function demoRows(db) {
  const tables = sqlite(db, tablesWithColumn("demo"));
  return tables.reduce((sum, [table]) => sum + value(db, `SELECT COUNT(*) FROM ${table} WHERE demo = TRUE`), 0);
}

/** [entity, id] of every synced demo record. */
function demoRecords(db) {
  return Object.entries(SYNCED).flatMap(([entity, table]) => sqlite(db, `SELECT id FROM ${table} WHERE demo = TRUE`).map(([id]) => [entity, id]));
}

function purgeDemo(database) {
  return runServer(["--database", database, "purge-demo"]);
}

/** The one `error: …` line a refused start prints. */
function errorLine({ code, stderr }) {
  assert.equal(code, 1, stderr);
  assert.doesNotMatch(stderr, /panicked/);
  const lines = stderr.split("\n").filter((line) => line.startsWith("error:"));
  assert.equal(lines.length, 1, stderr);
  return lines[0];
}

describe("demo data is off by default", () => {
  test("a server started without --demo-data holds the program's villages and no demo account", async () => {
    const server = await startServer({ demo: null });
    try {
      assert.equal(value(server.database, "SELECT COUNT(*) FROM villages"), 13);
      assert.equal(demoRows(server.database), 0);
      const res = await callFn(server.url, "sign_in", { login: "demo.admin", password: DEMO_PASSWORD });
      assert.equal(res.status, 401);
    } finally {
      await server.dispose();
    }
  });
});

describe("demo accounts where others can reach the server", () => {
  const dir = tempDir();
  const database = freshDatabase(dir);
  after(() => rmSync(dir, { recursive: true, force: true }));
  const start = (...args) => runServer(["--database", database, "--site-root", SITE_ROOT, "--demo-data", "true", ...args], { timeout: 30_000 });

  test("listening on every address with demo data is refused in one line naming the way out", () => {
    const line = errorLine(start("--addr", "0.0.0.0:0"));
    assert.match(line, /--allow-demo-on-public-address true/);
    assert.match(line, /purge-demo/);
  });

  test("so is HTTPS on this machine (a TLS proxy puts it in front of others)", () => {
    const line = errorLine(start("--addr", "127.0.0.1:0", "--https", "true"));
    assert.match(line, /--allow-demo-on-public-address true/);
    assert.match(line, /purge-demo/);
  });

  test("--allow-demo-on-public-address true serves the demo on every address all the same", async () => {
    const server = await startServer({ dir, database, addr: "0.0.0.0:0", args: ["--allow-demo-on-public-address", "true"] });
    try {
      assert.equal((await fetch(`${local(server)}/healthz`)).status, 200);
      const res = await callFn(local(server), "sign_in", { login: "demo.inspector", password: DEMO_PASSWORD });
      assert.equal(res.status, 200);
    } finally {
      await server.dispose({ keepDir: true });
    }
  });

  test("without demo data a server on every address starts", async () => {
    const server = await startServer({ demo: null, addr: "0.0.0.0:0" });
    try {
      assert.equal((await fetch(`${local(server)}/healthz`)).status, 200);
    } finally {
      await server.dispose();
    }
  });
});

describe("purge-demo on a database that was used with the demo", () => {
  const dir = tempDir();
  const database = freshDatabase(dir);
  const adminPassword = "region admin password 1";
  const inspectorPassword = "real inspector password 1";
  let server;
  let sepe, demoPerson;
  // What the real inspector's device holds: its cursors and the demo records it pulled.
  const held = { records: 0, sensitive: 0, demo: [] };
  let realTask, realOffence, demoBefore;
  after(async () => {
    await server?.dispose({ keepDir: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test("a real admin and inspector work beside the demo: the inspector's device pulls demo records and links a demo person", async () => {
    // create-admin refuses once any admin exists, the demo's included: the real admin comes first.
    const created = spawnSync(SERVER_BIN, ["--database", database, "create-admin", "--login", "region.admin", "--name", "Администратор области"], {
      encoding: "utf8",
      input: "",
      env: { ...process.env, ZQ_LOG: "warn", ZQ_ADMIN_PASSWORD: adminPassword },
    });
    assert.equal(created.status, 0, created.stderr);
    server = await startServer({ dir, database });
    sepe = value(database, "SELECT id FROM villages WHERE name_ru = 'Сепе'");
    demoPerson = value(database, `SELECT id FROM persons WHERE village_id = '${sepe}' AND demo = TRUE`);
    const demoMember = value(database, `SELECT m.id FROM council_members m JOIN councils c ON c.id = m.council_id WHERE c.village_id = '${sepe}' AND m.demo = TRUE`);

    const admin = await signIn(server.url, "region.admin", adminPassword);
    const account = {
      "account[login]": "real.inspector",
      "account[display_name]": "Участковый инспектор",
      "account[role]": "inspector",
      "account[scope]": "villages",
      "account[village_ids]": sepe,
      "account[password]": inspectorPassword,
    };
    const made = await callFn(server.url, "admin/create_account", account, { cookie: admin });
    assert.equal(made.status, 200, await made.text());
    const inspector = await signIn(server.url, "real.inspector", inspectorPassword);

    const phone = device();
    realTask = newId();
    realOffence = newId();
    const offence = { village_id: sepe, occurred_on: today, category: "theft", kind: "administrative", description: "Кража велосипеда", register_number: null, persons: [demoPerson] };
    const pushed = await push(server.url, inspector, phone.id, [
      phone.mutation("task", "create", realTask, { ...task(sepe, 1, [demoMember]), person_id: demoPerson }),
      phone.mutation("offence", "create", realOffence, offence),
    ]);
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.deepEqual(pushed.body.answers.map((a) => a.status), ["applied", "applied"], JSON.stringify(pushed.body));

    const records = await pullAll(server.url, inspector);
    const sensitive = await pullAll(server.url, inspector, { stream: "sensitive" });
    held.records = records.cursor;
    held.sensitive = sensitive.cursor;
    const demoIds = new Set(demoRecords(database).map(([, id]) => id));
    held.demo = [...records.changes, ...sensitive.changes].filter((c) => !c.deleted && demoIds.has(c.record_id)).map((c) => [c.entity, c.record_id]);
    const kinds = new Set(held.demo.map(([entity]) => entity));
    for (const entity of ["person", "offence", "task", "proposal", "event", "visit", "meeting", "decision", "feature"]) {
      assert.ok(kinds.has(entity), `the device holds a demo ${entity}`);
    }
  });

  test("purge-demo removes every demo row and keeps the villages, the real accounts and their records", async () => {
    const { code } = await server.stop("SIGTERM");
    assert.equal(code, 0);
    demoBefore = demoRecords(database);
    const { code: purged, stdout, stderr } = purgeDemo(database);
    assert.equal(purged, 0, stderr);
    assert.match(stdout, /demo rows removed: .*accounts 7/);
    assert.match(stdout, /tombstones left for devices: \d+/);
    assert.ok(!/Демо/.test(stdout + stderr), "counts only, never a name");

    assert.equal(demoRows(database), 0);
    assert.equal(value(database, "SELECT COUNT(*) FROM villages"), 13);
    assert.deepEqual(sqlite(database, "SELECT login FROM accounts ORDER BY login"), [["real.inspector"], ["region.admin"]]);
    const [[personId, version]] = sqlite(database, `SELECT person_id, version FROM tasks WHERE id = '${realTask}'`);
    assert.equal(personId, null, "the real task keeps everything but its demo person");
    assert.ok(version > 1, "and takes a new version");
    assert.equal(value(database, `SELECT COUNT(*) FROM task_assignees WHERE task_id = '${realTask}'`), 0);
    assert.equal(value(database, `SELECT COUNT(*) FROM offences WHERE id = '${realOffence}'`), 1);
    assert.equal(value(database, `SELECT COUNT(*) FROM offence_persons WHERE offence_id = '${realOffence}'`), 0);
    // The change log read once (a query per record took two minutes with the demo's history).
    const changes = new Map();
    for (const [id, entity, deleted] of sqlite(database, "SELECT record_id, entity, deleted FROM sync_changes")) {
      changes.set(id, [...(changes.get(id) ?? []), [entity, deleted]]);
    }
    for (const [entity, id] of demoBefore) {
      assert.deepEqual(changes.get(id), [[entity, 1]], `a tombstone for ${entity} ${id}`);
    }
  });

  test("the server now starts on every address without the flag; the device drops the demo records and gets the real ones again", async () => {
    server = await startServer({ dir, database, demo: null, addr: "0.0.0.0:0" });
    const url = local(server);
    const inspector = await signIn(url, "real.inspector", inspectorPassword);
    const records = await pullAll(url, inspector, { since: held.records });
    const sensitive = await pullAll(url, inspector, { since: held.sensitive, stream: "sensitive" });
    const changes = [...records.changes, ...sensitive.changes];
    for (const [entity, id] of held.demo) {
      assert.ok(changes.some((c) => c.entity === entity && c.record_id === id && c.deleted), `a tombstone for the ${entity} the device had`);
    }
    const again = (id) => changes.find((c) => c.record_id === id && !c.deleted)?.record;
    assert.equal(again(realTask).person_id, null);
    assert.deepEqual(again(realTask).assignees, []);
    assert.deepEqual(again(realOffence).persons, []);
  });

  test("demo logins fail, the real admin signs in, and a second purge finds nothing", async () => {
    const url = local(server);
    const demo = await callFn(url, "sign_in", { login: "demo.admin", password: DEMO_PASSWORD });
    assert.equal(demo.status, 401);
    await signIn(url, "region.admin", adminPassword);
    await server.stop("SIGTERM");
    const { code, stdout, stderr } = purgeDemo(database);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /no demo data to remove/);
  });
});

test("a demo council that real people went on using stays as the real council, without its demo members", async () => {
  const server = await startServer();
  try {
    const sepe = value(server.database, "SELECT id FROM villages WHERE name_ru = 'Сепе'");
    const council = value(server.database, `SELECT id FROM councils WHERE village_id = '${sepe}'`);
    const inspector = await signIn(server.url, "demo.inspector");
    const phone = device();
    const meeting = { village_id: sepe, held_on: today, attendees: "5 членов совета", agenda: "1. Выпас скота" };
    const member = { village_id: sepe, full_name: "Нақты Мүше", role: "elder" };
    const pushed = await push(server.url, inspector, phone.id, [
      phone.mutation("meeting", "create", newId(), meeting),
      phone.mutation("member", "create", newId(), member),
    ]);
    assert.deepEqual(pushed.body.answers?.map((a) => a.status), ["applied", "applied"], JSON.stringify(pushed.body));
    await server.stop("SIGTERM");

    const { code, stderr } = purgeDemo(server.database);

    assert.equal(code, 0, stderr);
    assert.equal(value(server.database, "SELECT COUNT(*) FROM accounts WHERE demo = TRUE"), 0);
    assert.deepEqual(sqlite(server.database, `SELECT demo, formed_on FROM councils WHERE id = '${council}'`), [[0, null]]);
    assert.deepEqual(sqlite(server.database, `SELECT full_name FROM council_members WHERE council_id = '${council}'`), [["Нақты Мүше"]]);
    assert.equal(value(server.database, `SELECT COUNT(*) FROM meetings WHERE council_id = '${council}'`), 1);
    assert.equal(value(server.database, "SELECT COUNT(*) FROM councils"), 1, "unused demo councils go");
  } finally {
    await server.dispose();
  }
});
