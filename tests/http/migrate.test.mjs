// Moving an installation from SQLite to PostgreSQL (issue 18, README "On PostgreSQL"): a
// region's server on its SQLite file is stopped, `server migrate` copies the file into a new
// PostgreSQL database, and a server on PostgreSQL takes over. A device that synced with the old
// server carries on with the new one as if nothing happened: the same session, its next seq
// applied (no gap), its old entries answered from the stored answers, its pull cursor going on
// (no reset, the same epoch).
//
// Runs in the PostgreSQL pass of the suite (test.sh), which has both servers: the one built for
// SQLite (ZQ_SQLITE_SERVER_BIN) and, as ZQ_SERVER_BIN, the one built for PostgreSQL.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { dropDatabase, newDatabase } from "../support/postgres.mjs";
import { ON_POSTGRES, ROOT, runServer, signIn, sqlite, sqliteWrite, startServer, tempDir } from "../support/server.mjs";
import { device, newId, pull, pullAll, push, reference, task } from "../support/sync.mjs";

const SQLITE_SERVER = process.env.ZQ_SQLITE_SERVER_BIN ?? path.join(ROOT, "target/release/server-under-test");

/** Runs the PostgreSQL build's `server migrate`. */
function migrate(from, to) {
  const result = spawnSync(process.env.ZQ_SERVER_BIN, ["migrate", "--from", from, "--to", to], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ZQ_LOG: "warn" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const value = (db, sql) => sqlite(db, sql)[0]?.[0];

/** The tables of the SQLite file, each with its columns and whether the column holds bytes. */
function tablesOf(file) {
  const tables = sqlite(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name");
  // The mark a move leaves on the SQLite file (when, where to) has no column on PostgreSQL.
  const mark = (table, column) => table === "installation" && ["moved_at", "moved_to"].includes(column);
  return tables.map(([name]) => ({
    name,
    columns: sqlite(file, `SELECT name, type FROM pragma_table_info('${name}')`)
      .filter(([column]) => !mark(name, column))
      .map(([column, type]) => ({ column, bytes: type === "BLOB" })),
  }));
}

/** Every row of `table` in `database`, bytes as hex, in an order both backends agree on. */
function rowsOf(database, { name, columns }) {
  const hex = (column) => (database.startsWith("postgres://") ? `upper(encode(${column}, 'hex'))` : `hex(${column})`);
  const list = columns.map(({ column, bytes }) => (bytes ? hex(column) : column)).join(", ");
  return sqlite(database, `SELECT ${list} FROM ${name}`).map((row) => JSON.stringify(row)).sort();
}

/** Runs the SQLite build with `args` to its end (a start that must fail, a command). */
function sqliteServer(args) {
  const result = spawnSync(SQLITE_SERVER, args, { encoding: "utf8", timeout: 60_000, env: { ...process.env, ZQ_LOG: "warn", ZQ_ADDR: "127.0.0.1:0" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tool(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 120_000 });
  assert.equal(result.status, 0, `${command}: ${result.stderr}`);
}

describe("server migrate --from sqlite: --to postgres://", { skip: ON_POSTGRES ? false : "runs in the PostgreSQL pass" }, () => {
  test("copies everything, and a device carries on with the new server without a reset", async () => {
    const dir = tempDir();
    let server = await startServer({ dir, bin: SQLITE_SERVER, database: path.join(dir, "zq.sqlite") });
    const target = newDatabase();
    const restored = newDatabase();
    try {
      const inspector = await signIn(server.url, "demo.inspector");
      const sepe = (await reference(server.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
      const phone = device();
      const sent = Array.from({ length: 5 }, (_, n) => phone.mutation("task", "create", newId(), task(sepe, n)));
      // Text as people write it: quotes, a new line, Kazakh letters, an emoji.
      sent[4].payload.title = `«Су» it's "ok"\nҚайта 👍`;
      const first = await push(server.url, inspector, phone.id, sent);
      assert.ok(first.body.answers.every((a) => a.status === "applied"), JSON.stringify(first.body));
      const epoch = first.body.epoch;
      const { cursor, changes } = await pullAll(server.url, inspector);
      assert.ok(changes.length > 5);
      await server.stop();
      const file = server.database;
      // Bytes with a zero in them, as a cached map tile has.
      sqliteWrite(file, "INSERT INTO tile_cache (zoom, x, y, data, content_type, fetched_at, last_used_at) VALUES (12, 2881, 1301, X'89504E470D0A1A0A0000FF', 'image/png', '2026-12-01T00:00:00Z', 5)");
      const tables = tablesOf(file);

      const moved = migrate(`sqlite:${file}`, target);
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stdout, /^moved to postgres:/);

      // Every row of every table as it was: the change feed version for version, flags as
      // flags, bytes and text unchanged.
      assert.ok(tables.length > 25);
      for (const table of tables) {
        const rows = rowsOf(file, table);
        assert.deepEqual(rowsOf(target, table), rows, `the rows of ${table.name}`);
      }
      assert.equal(value(target, "SELECT COUNT(*) FROM tile_cache"), 1);
      assert.equal(
        value(target, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync_version"),
        value(file, "SELECT seq FROM sqlite_sequence WHERE name = 'sync_changes'"),
        "the next version comes after every one SQLite gave",
      );
      assert.equal(value(target, "SELECT epoch FROM installation"), epoch);
      assert.ok(value(target, "SELECT home_database FROM installation"), "the move records where the database lives");
      assert.equal(value(target, `SELECT applied_seq FROM devices WHERE id = '${phone.id}'`), 5);

      server = await startServer({ dir, bin: process.env.ZQ_SERVER_BIN, database: target });
      // The session made on SQLite holds, the cursor goes on: nothing new, no reset.
      const page = await pull(server.url, inspector, { since: cursor });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.equal(page.body.epoch, epoch, "the same history: devices have nothing to recover");
      assert.equal(page.body.reset, false);
      assert.deepEqual(page.body.changes, []);

      // The device's next entry is applied in order, its old ones are answered as before.
      const next = phone.mutation("task", "create", newId(), task(sepe, 9));
      const pushed = await push(server.url, inspector, phone.id, [sent[2], next]);
      assert.deepEqual(
        pushed.body.answers.map((a) => `${a.status}${a.duplicate ? " (duplicate)" : ""}`),
        ["applied (duplicate)", "applied"],
      );
      assert.equal(pushed.body.applied_seq, 6);
      const after = await pullAll(server.url, inspector, { since: cursor });
      assert.deepEqual(after.changes.map((c) => c.record_id), [next.record_id], "only what changed since");
      assert.ok(after.cursor > cursor);
      assert.equal(value(target, `SELECT COUNT(*) FROM tasks WHERE id = '${sent[2].record_id}'`), 1);
      await server.stop();

      // A dump of the moved database restored elsewhere is a restore: another epoch.
      const dump = path.join(dir, "moved.dump");
      tool("pg_dump", ["--format=custom", "--file", dump, target]);
      tool("pg_restore", ["--dbname", restored, dump]);
      const elsewhere = await startServer({ dir, bin: process.env.ZQ_SERVER_BIN, database: restored });
      const restoredEpoch = (await pull(elsewhere.url, inspector)).body.epoch;
      await elsewhere.stop();
      assert.notEqual(restoredEpoch, epoch);

      // The old file is marked: a server started on it by mistake (an old service unit)
      // refuses and says where the installation went, and it is not moved a second time.
      const tasks = value(target, "SELECT COUNT(*) FROM tasks");
      const stale = sqliteServer(["--database", file]);
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /was moved to postgres:\/\/\S+ at \d{4}-\d\d-\d\dT.*server --database \S+ reopen/);
      const twice = migrate(`sqlite:${file}`, target);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /was moved to postgres:\/\/\S+ at .*already/);
      assert.equal(value(target, "SELECT COUNT(*) FROM tasks"), tasks);

      // Undoing the move: the file opens again, under a new epoch (devices that synced with
      // PostgreSQL meanwhile send again what it lacks).
      const reopened = sqliteServer(["--database", file, "reopen"]);
      assert.equal(reopened.code, 0, reopened.stderr);
      assert.match(reopened.stdout, /^reopened with the new epoch /);
      const back = await startServer({ dir, bin: SQLITE_SERVER, database: file });
      const backEpoch = (await pull(back.url, inspector)).body.epoch;
      await back.stop();
      assert.notEqual(backEpoch, epoch);

      // Once servers run on it, the database is no target: nothing is written twice.
      const again = migrate(`sqlite:${file}`, target);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already holds data/);
      assert.equal(value(target, "SELECT COUNT(*) FROM tasks"), tasks);
    } finally {
      await server.dispose();
      dropDatabase(target);
      dropDatabase(restored);
    }
  });

  test("a source that is not there, or not a sqlite: URL, is a clear error and writes nothing", async () => {
    const target = newDatabase();
    try {
      const missing = migrate(`sqlite:${path.join(tempDir(), "none.sqlite")}`, target);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /cannot open the SQLite database/);
      const plain = migrate(path.join(tempDir(), "zq.sqlite"), target);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /--from must name the SQLite file as sqlite:PATH/);
      assert.deepEqual(sqlite(target, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"), []);
    } finally {
      dropDatabase(target);
    }
  });
});

describe("server migrate and the database password", { skip: ON_POSTGRES ? false : "runs in the PostgreSQL pass" }, () => {
  test("a password on the command line is refused before anything is read; the environment carries it", () => {
    const url = process.env.ZQ_TEST_POSTGRES.replace("://", "://postgres:not-on-the-command-line@");
    const typed = migrate("sqlite:/nonexistent.sqlite", url);
    assert.equal(typed.code, 1);
    assert.match(typed.stderr, /PGPASSWORD/);
    assert.ok(!typed.stderr.includes("/nonexistent.sqlite"), "refused before the source was opened");
    // The same URL from ZQ_MIGRATE_TO gets past that check (and stops at the missing file).
    const result = spawnSync(process.env.ZQ_SERVER_BIN, ["migrate", "--from", "sqlite:/nonexistent.sqlite"], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ZQ_LOG: "warn", ZQ_MIGRATE_TO: url },
    });
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stderr, /PGPASSWORD/);
  });
});

describe("server migrate in the build for SQLite", { skip: ON_POSTGRES ? "the PostgreSQL pass runs the move itself" : false }, () => {
  test("says which build moves an installation", () => {
    const result = runServer(["migrate", "--from", "sqlite:x.sqlite", "--to", "postgres://zq@db/zq"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--bin-features postgres/);
  });

  test("reopen refuses a file that was never moved, and leaves its epoch", async () => {
    const dir = tempDir();
    const server = await startServer({ dir, database: path.join(dir, "zq.sqlite") });
    await server.stop();
    const epoch = value(server.database, "SELECT epoch FROM installation");
    const result = runServer(["--database", server.database, "reopen"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /was never moved .*server new-epoch/);
    assert.equal(value(server.database, "SELECT epoch FROM installation"), epoch);
    await server.dispose();
  });
});
