// The server's half of a restore (DESIGN §4.9), against the real binary and its database, on
// either backend as an administrator would do it (README, "Backup and restore"): `server
// backup` and a file copy on SQLite, `pg_dump` and `pg_restore` into a new database on
// PostgreSQL. A server started on the restored database tells devices it holds another history
// (a new epoch, each time the copy is restored), a cursor from the lost history is sent back to
// nothing, and a device that sends again what the server lost, in order and under the same ids,
// gets each record written exactly once and its old entries answered from the stored answers.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { dropDatabase, newDatabase } from "../support/postgres.mjs";
import { ON_POSTGRES, runServer, SERVER_BIN, signIn, sqlite, startServer, tempDir } from "../support/server.mjs";
import { device, newId, pull, pullAll, push, reference, task } from "../support/sync.mjs";

const value = (db, sql) => sqlite(db, sql)[0]?.[0];

function tool(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 120_000 });
  assert.equal(result.status, 0, `${command}: ${result.stderr}`);
}

/** A backup of the running server's database in a new file. */
function backup(server) {
  const file = path.join(tempDir(), ON_POSTGRES ? "before.dump" : "before.sqlite");
  if (ON_POSTGRES) tool("pg_dump", ["--format=custom", "--file", file, server.database]);
  else tool(SERVER_BIN, ["--database", server.database, "backup", "--to", file]);
  return file;
}

/**
 * Stops `server`, restores the backup `file` (on SQLite in place of its database file, on
 * PostgreSQL into a new database, as `pg_restore` needs), and starts a server on it.
 */
async function restore(server, file, databases) {
  await server.stop();
  let database = server.database;
  if (ON_POSTGRES) {
    database = newDatabase();
    databases.push(database);
    tool("pg_restore", ["--dbname", database, file]);
  } else {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(database + suffix, { force: true });
    copyFileSync(file, database);
  }
  return startServer({ dir: server.dir, database, addr: new URL(server.url).host });
}

describe("a server restored from a backup", () => {
  test("shows a new epoch, resets a cursor it never gave, and takes the lost entries again exactly once", async () => {
    let server = await startServer();
    const databases = ON_POSTGRES ? [server.database] : [];
    try {
      const inspector = await signIn(server.url, "demo.inspector");
      const sepe = (await reference(server.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
      const phone = device();
      const early = Array.from({ length: 5 }, (_, n) => phone.mutation("task", "create", newId(), task(sepe, n)));
      const first = await push(server.url, inspector, phone.id, early);
      assert.ok(first.body.answers.every((a) => a.status === "applied"), JSON.stringify(first.body));
      const epoch = first.body.epoch;
      assert.match(epoch, /^[0-9a-f]{32}$/);
      assert.equal((await pull(server.url, inspector)).body.epoch, epoch, "push and pull name the same history");

      const file = backup(server);

      // After the backup: five more tasks, and a cursor past everything the copy holds.
      const late = Array.from({ length: 5 }, (_, n) => phone.mutation("task", "create", newId(), task(sepe, 10 + n)));
      assert.ok((await push(server.url, inspector, phone.id, late)).body.answers.every((a) => a.status === "applied"));
      const { cursor } = await pullAll(server.url, inspector);

      server = await restore(server, file, databases);
      const page = await pull(server.url, inspector, { since: cursor });
      assert.equal(page.status, 200, "the session made before the backup still holds");
      assert.notEqual(page.body.epoch, epoch, "the restored server names another history");
      assert.equal(page.body.reset, true, "a cursor past the restored history starts again from nothing");
      const restoredEpoch = page.body.epoch;

      // A push of nothing says where the server stands for this device.
      const where = await push(server.url, inspector, phone.id, []);
      assert.equal(where.status, 200);
      assert.equal(where.body.applied_seq, 5);
      assert.equal(where.body.epoch, restoredEpoch);

      // The device's next entry meets a gap at the first seq the server lost …
      const next = phone.mutation("task", "create", newId(), task(sepe, 20));
      const gap = await push(server.url, inspector, phone.id, [next]);
      assert.equal(gap.body.answers[0].status, "gap");
      assert.equal(gap.body.answers[0].expected, 6);

      // … and sends again everything it holds, in order: what the copy had is answered from the
      // stored answers, what it lost is written now.
      const again = await push(server.url, inspector, phone.id, [...early, ...late, next]);
      const statuses = again.body.answers.map((a) => `${a.status}${a.duplicate ? " (duplicate)" : ""}`);
      assert.deepEqual(statuses, [...Array(5).fill("applied (duplicate)"), ...Array(6).fill("applied")]);
      for (const m of [...early, ...late, next]) {
        assert.equal(value(server.database, `SELECT COUNT(*) FROM tasks WHERE id = '${m.record_id}'`), 1, "each task exactly once");
      }
      assert.equal(value(server.database, `SELECT applied_seq FROM devices WHERE id = '${phone.id}'`), 11);

      // The epoch holds across a restart, and a second restore of the same copy is a history of
      // its own again.
      await server.stop();
      server = await startServer({ dir: server.dir, database: server.database, addr: new URL(server.url).host });
      assert.equal((await pull(server.url, inspector)).body.epoch, restoredEpoch);
      server = await restore(server, file, databases);
      const third = (await pull(server.url, inspector)).body.epoch;
      assert.ok(![epoch, restoredEpoch].includes(third), `${third} was seen before`);
      assert.equal(value(server.database, "SELECT copy FROM installation"), 0);
    } finally {
      await server.dispose();
      databases.forEach(dropDatabase);
    }
  });

  test("server new-epoch names another history for a restore the server cannot recognise", async () => {
    let server = await startServer();
    try {
      const inspector = await signIn(server.url, "demo.inspector");
      const before = (await pull(server.url, inspector)).body.epoch;
      await server.stop();
      const renewed = runServer(["--database", server.database, "new-epoch"]);
      assert.equal(renewed.code, 0, renewed.stderr);
      const epoch = renewed.stdout.match(/^new epoch ([0-9a-f]{32})$/m)?.[1];
      assert.ok(epoch && epoch !== before, renewed.stdout);
      server = await startServer({ dir: server.dir, database: server.database, addr: new URL(server.url).host });
      assert.equal((await pull(server.url, inspector)).body.epoch, epoch, "a restart keeps it");
      assert.equal((await push(server.url, inspector, device().id, [])).body.epoch, epoch);
    } finally {
      await server.dispose();
    }
  });

  test("a server that was never restored resets no cursor it gave", async () => {
    const server = await startServer();
    try {
      const inspector = await signIn(server.url, "demo.inspector");
      const { cursor } = await pullAll(server.url, inspector);
      const page = await pull(server.url, inspector, { since: cursor });
      assert.equal(page.body.reset, false);
      assert.deepEqual(page.body.changes, []);
    } finally {
      await server.dispose();
    }
  });
});
