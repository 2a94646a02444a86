// The change feed on PostgreSQL (issue 18, DESIGN §4.4) against a real server (ZQ_TEST_POSTGRES,
// started by .ci/lib.sh's ensure_postgres): a pull's cursor never skips a change committed out
// of order. Many transactions write at once there, and a sequence hands out versions before
// they commit; the schema's feed lock makes versions follow the commits. Shown three ways: a
// transaction held open while another writes; the same script without the lock, which does
// skip (so the method can see a skip); and eight writers against a device pulling in pages.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { ROOT } from "../support/server.mjs";

const ADMIN = process.env.ZQ_TEST_POSTGRES;
const SCHEMA = readFileSync(path.join(ROOT, "server/migrations/postgres/0001_schema.sql"), "utf8");
const skip = ADMIN ? false : "ZQ_TEST_POSTGRES is not set (.ci/lib.sh ensure_postgres sets it)";

let url;
const clients = [];
async function connect() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

before(async () => {
  if (!ADMIN) return;
  const name = `zq_feed_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const setup = await connect();
  await setup.query(SCHEMA);
  await setup.query("INSERT INTO districts (id, name_ru) VALUES ('d1', 'Район')");
  await setup.query("INSERT INTO villages (id, district_id, name_ru, program_status) VALUES ('v1', 'd1', 'Село', 'joined')");
});
after(async () => {
  for (const client of clients) await client.end().catch(() => {});
});

let made = 0;
/** Inserts a task in the open transaction of `client`; resolves with its id once written. */
async function writeTask(client) {
  made += 1;
  const id = `task-${made}`;
  await client.query(
    "INSERT INTO tasks (id, village_id, title, priority, status, created_at, updated_at) VALUES ($1, 'v1', $1, 'normal', 'new', '2026-12-01', '2026-12-01')",
    [id],
  );
  return id;
}

/** A device's pull: the task changes after `cursor`, in version order, `limit` at most. */
async function pull(reader, cursor, limit = 500) {
  const { rows } = await reader.query(
    "SELECT version, record_id FROM sync_changes WHERE entity = 'task' AND version > $1 ORDER BY version LIMIT $2",
    [cursor, limit],
  );
  return { ids: rows.map((r) => r.record_id), cursor: rows.length ? Number(rows.at(-1).version) : cursor };
}

/** Whether `client`'s backend waits for an advisory lock right now. */
async function waitsForFeedLock(observer, client) {
  const { rows } = await observer.query("SELECT wait_event FROM pg_stat_activity WHERE pid = $1", [client.processID]);
  return rows[0]?.wait_event === "advisory";
}

async function until(check, what) {
  for (let tries = 0; !(await check()); tries += 1) {
    if (tries > 200) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The script: A writes and stays open; B writes and commits; the device pulls; A commits; the
 * device pulls again. Returns what the device received and the two ids.
 */
async function script() {
  const [a, b, reader] = [await connect(), await connect(), await connect()];
  let { cursor } = await pull(reader, 0);
  await a.query("BEGIN");
  const first = await writeTask(a);
  await b.query("BEGIN");
  const second = writeTask(b).then(async (id) => (await b.query("COMMIT"), id));
  const received = [];
  // B either commits (no lock) or waits for A's lock: the device pulls in between.
  await until(async () => (await waitsForFeedLock(reader, b)) || (await reader.query("SELECT 1 FROM tasks WHERE id = $1", [`task-${made}`])).rowCount === 1, "B committed or waits");
  const blocked = await waitsForFeedLock(reader, b);
  let page = await pull(reader, cursor);
  received.push(...page.ids);
  cursor = page.cursor;
  await a.query("COMMIT");
  const secondId = await second;
  page = await pull(reader, cursor);
  received.push(...page.ids);
  return { received, first, second: secondId, blocked };
}

describe("the change feed on PostgreSQL", { skip }, () => {
  test("a transaction holding a version open makes the next writer wait, so no pull skips it", async () => {
    const { received, first, second, blocked } = await script();
    assert.equal(blocked, true, "the second writer waited for the feed lock");
    assert.deepEqual(received, [first, second], "both changes, in commit order, each once");
  });

  test("without the feed lock the same script skips a change (what the lock prevents)", async () => {
    const setup = await connect();
    // The schema's own definition, without its lock (same name and arguments: replaced, not
    // overloaded), and put back afterwards.
    const locked = (await setup.query("SELECT pg_get_functiondef('record_change'::regproc) AS def")).rows[0].def;
    const unlocked = locked.replace(/PERFORM pg_advisory_xact_lock\(\d+\);/, "");
    assert.notEqual(unlocked, locked, "the feed lock was found in record_change");
    await setup.query(unlocked);
    try {
      const { received, first, second, blocked } = await script();
      assert.equal(blocked, false);
      assert.deepEqual(received, [second], `the first change (${first}) was skipped`);
    } finally {
      await setup.query(locked);
    }
  });

  test("eight writers, some rolling back, against a device pulling in pages of five: every committed change exactly once", async () => {
    const reader = await connect();
    let { cursor } = await pull(reader, 0);
    const committed = new Set();
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect()));
    let writing = true;
    const received = [];
    const puller = (async () => {
      while (writing) {
        const page = await pull(reader, cursor, 5);
        received.push(...page.ids);
        cursor = page.cursor;
      }
    })();
    await Promise.all(
      writers.map(async (client, w) => {
        for (let n = 0; n < 15; n += 1) {
          await client.query("BEGIN");
          const id = await writeTask(client);
          await new Promise((resolve) => setTimeout(resolve, (w * 7 + n * 3) % 11));
          if ((w + n) % 5 === 0) {
            await client.query("ROLLBACK");
          } else {
            await client.query("COMMIT");
            committed.add(id);
          }
        }
      }),
    );
    writing = false;
    await puller;
    for (;;) {
      const page = await pull(reader, cursor, 5);
      if (page.ids.length === 0) break;
      received.push(...page.ids);
      cursor = page.cursor;
    }
    assert.equal(committed.size, 8 * 15 - 24);
    assert.equal(received.length, new Set(received).size, "no change twice");
    assert.deepEqual(new Set(received), committed, "every committed change, and nothing rolled back");
  });
});
