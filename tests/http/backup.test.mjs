// `server backup --to FILE` against the real binary, while the server runs and a device pushes:
// the copy is a database of its own that holds every record the server had accepted before
// the backup began, a server starts on it, and a backup never overwrites a file or makes a
// database where there was none.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { SERVER_BIN, runServer, sqlite, startServer, tempDir, SQLITE_ONLY } from "../support/server.mjs";
import { device, inspectorServer, newId, push, task } from "../support/sync.mjs";

const value = (db, sql) => sqlite(db, sql)[0]?.[0];

function backup(database, to) {
  return runServer(["--database", database, "backup", "--to", to]);
}

/** The same, without blocking this process: requests go on while the copy is taken. */
function backupBeside(database, to) {
  return new Promise((resolve) => {
    execFile(SERVER_BIN, ["--database", database, "backup", "--to", to], { env: { ...process.env, ZQ_LOG: "warn" } }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

describe("an online backup", { skip: SQLITE_ONLY }, () => {
  const env = inspectorServer();

  test("taken while a device pushes, it holds everything accepted before it and a server starts on it", async () => {
    const { server, inspector } = env;
    const sepe = env.village("Сепе");
    const phone = device();
    const before = Array.from({ length: 30 }, (_, n) => phone.mutation("task", "create", newId(), task(sepe, n)));
    const first = await push(server.url, inspector, phone.id, before);
    assert.equal(first.status, 200);
    assert.ok(first.body.answers.every((a) => a.status === "applied"), JSON.stringify(first.body));

    // More pushes run while the copy is taken: they land in the copy or not, whole or not at all.
    const during = Array.from({ length: 30 }, (_, n) => phone.mutation("task", "create", newId(), task(sepe, 100 + n)));
    const file = path.join(tempDir(), "zq-backup.sqlite");
    const [pushed, made] = await Promise.all([push(server.url, inspector, phone.id, during), backupBeside(server.database, file)]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /backup written to .*zq-backup\.sqlite \(\d+ bytes\)/);
    assert.equal(pushed.status, 200);

    const ids = (db) => new Set(sqlite(db, "SELECT id FROM tasks").map(([id]) => id));
    const copied = ids(file);
    for (const mutation of before) assert.ok(copied.has(mutation.record_id), "a task accepted before the backup is missing");
    const landed = during.filter((m) => copied.has(m.record_id)).length;
    assert.ok(landed === 0 || landed === during.length, `the copy holds ${landed} of one push's 30 tasks`);
    // The device's state travels with it: its applied seq matches the tasks the copy holds.
    const seq = value(file, `SELECT applied_seq FROM devices WHERE id = '${phone.id}'`);
    assert.equal(seq, landed === 0 ? 30 : 60);
    assert.equal(value(file, "PRAGMA integrity_check"), "ok");

    const restored = await startServer({ database: file });
    try {
      assert.equal((await fetch(`${restored.url}/healthz`)).status, 200);
      assert.equal(value(file, "SELECT COUNT(*) FROM tasks"), copied.size);
    } finally {
      await restored.dispose();
    }
  });

  test("a backup never overwrites a file", () => {
    const file = path.join(tempDir(), "taken.sqlite");
    writeFileSync(file, "an earlier backup");
    const refused = backup(env.server.database, file);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /exists already/);
    assert.equal(readFileSync(file, "utf8"), "an earlier backup");
  });

  test("a backup of a database that does not exist makes none", () => {
    const dir = tempDir();
    const missing = path.join(dir, "none.sqlite");
    const refused = backup(missing, path.join(dir, "copy.sqlite"));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no database at/);
    assert.equal(existsSync(missing), false);
    assert.equal(existsSync(path.join(dir, "copy.sqlite")), false);
  });
});
