// Two server processes over one database (issue 18): on PostgreSQL the way a national roll-out
// runs; on SQLite two processes on one machine's file. Nothing a request needs lives in one
// server's memory: a session made on one is good on the other, failed sign-ins counted on
// either lock the account on both, a device's seqs continue from one to the other, and what
// one takes the other hands out in its pulls.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rmSync } from "node:fs";
import { dropDatabase } from "../support/postgres.mjs";
import { callFn, DEMO_PASSWORD, freshDatabase, ON_POSTGRES, signIn, sqlite, startServer, tempDir } from "../support/server.mjs";
import { device, newId, pullAll, push, reference, task } from "../support/sync.mjs";

describe("two servers over one database", () => {
  let first;
  let second;
  before(async () => {
    first = await startServer({ args: ["--login-lockout-secs", "60"] });
    second = await startServer({ dir: first.dir, database: first.database, args: ["--login-lockout-secs", "60"] });
  });
  after(async () => {
    await second?.stop();
    await first?.dispose();
  });

  test("a session made on one serves on the other; a device pushes on both and pulls what the other took", async () => {
    const inspector = await signIn(first.url, "demo.inspector");
    const sepe = (await reference(second.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
    const phone = device();
    const onFirst = [0, 1, 2].map((n) => phone.mutation("task", "create", newId(), task(sepe, n)));
    const onSecond = [3, 4].map((n) => phone.mutation("task", "create", newId(), task(sepe, n)));
    const a = await push(first.url, inspector, phone.id, onFirst);
    assert.ok(a.body.answers.every((x) => x.status === "applied"), JSON.stringify(a.body));
    // The second server knows where this device stands: seq 4 follows, seq 3 again is a replay.
    const b = await push(second.url, inspector, phone.id, [onFirst[2], ...onSecond]);
    assert.deepEqual(
      b.body.answers.map((x) => `${x.status}${x.duplicate ? " (duplicate)" : ""}`),
      ["applied (duplicate)", "applied", "applied"],
    );
    assert.equal(b.body.applied_seq, 5);
    assert.equal(a.body.epoch, b.body.epoch, "one database, one history");

    // Another of the inspector's devices, signed in on the second server, pulls from the first.
    const tablet = await signIn(second.url, "demo.inspector");
    const pulled = await pullAll(first.url, tablet);
    const ids = new Set(pulled.changes.map((c) => c.record_id));
    for (const m of [...onFirst, ...onSecond]) assert.ok(ids.has(m.record_id), "a task taken by either server is pulled from the first");
    for (const m of [...onFirst, ...onSecond]) {
      assert.equal(sqlite(first.database, `SELECT COUNT(*) FROM tasks WHERE id = '${m.record_id}'`)[0][0], 1, "each task once");
    }
  });

  test("wrong passwords counted on either server lock the account on both", async () => {
    for (let i = 0; i < 5; i++) {
      const server = i % 2 === 0 ? first : second;
      assert.equal((await callFn(server.url, "sign_in", { login: "demo.akimat", password: `wrong ${i}` })).status, 401);
    }
    for (const server of [first, second]) {
      assert.equal((await callFn(server.url, "sign_in", { login: "demo.akimat", password: DEMO_PASSWORD })).status, 429);
    }
  });

  test("fifty pushes at once, spread over both servers: every task once, every device's seqs in order", async () => {
    const inspector = await signIn(first.url, "demo.inspector");
    const sepe = (await reference(first.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
    const phones = Array.from({ length: 10 }, () => device());
    const batches = phones.flatMap((phone) =>
      Array.from({ length: 5 }, (_, n) => ({ phone, mutation: phone.mutation("task", "create", newId(), task(sepe, 100 + n)) })),
    );
    // Each phone's five pushes go out at once, alternately to either server, out of order:
    // those that come before their seq's turn get a gap and are sent again until all settle.
    const pending = new Set(batches);
    for (let round = 0; pending.size > 0 && round < 10; round += 1) {
      const answers = await Promise.all(
        [...pending].map(async (entry, n) => {
          const server = n % 2 === 0 ? first : second;
          const { body } = await push(server.url, inspector, entry.phone.id, [entry.mutation]);
          return { entry, answer: body.answers?.[0] };
        }),
      );
      for (const { entry, answer } of answers) if (answer?.status === "applied") pending.delete(entry);
    }
    assert.equal(pending.size, 0, "every mutation was applied in the end");
    for (const { mutation } of batches) {
      assert.equal(sqlite(first.database, `SELECT COUNT(*) FROM tasks WHERE id = '${mutation.record_id}'`)[0][0], 1);
    }
    for (const phone of phones) {
      assert.equal(sqlite(first.database, `SELECT applied_seq FROM devices WHERE id = '${phone.id}'`)[0][0], 5);
    }
  });
});

// On SQLite one server opens a file; two starting on a new file at once race in SQLite's own
// set-up (WAL mode, sqlx's migrator takes no lock there), which no installation does.
const AT_ONCE = ON_POSTGRES ? false : "servers start at once only over PostgreSQL";

describe("two servers started at the same moment on a new database", { skip: AT_ONCE }, () => {
  test("both come up (the second waits for the first one's loads, then finds them done) and both serve", async () => {
    const dir = tempDir();
    const database = freshDatabase(dir);
    const started = await Promise.allSettled([startServer({ dir, database }), startServer({ dir, database })]);
    try {
      for (const s of started) assert.equal(s.status, "fulfilled", s.reason?.message);
      for (const { value: server } of started) {
        const inspector = await signIn(server.url, "demo.inspector");
        assert.ok((await pullAll(server.url, inspector)).changes.length > 0);
      }
    } finally {
      for (const s of started) if (s.status === "fulfilled") await s.value.stop();
      if (ON_POSTGRES) dropDatabase(database);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
