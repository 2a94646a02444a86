// A push runs its batch without a savepoint per mutation and, when a mutation breaks a
// constraint the server's checks missed, runs the whole batch again with one (issue 16: the
// savepoints were two of a mutation's eight statements). Whichever way the batch goes, the
// outcome must be the one the guarded run gives: the bad mutation refused, nothing of it
// written, every other mutation of the batch applied once, and the answers stored for replays.
//
// No check of the server lets a valid proposal break a constraint, so the test adds one with a
// trigger on the database file (as an administrator's manual change could): a proposal whose
// body is "boom" writes a row the sync horizon's CHECK refuses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ON_POSTGRES, sqlite, sqliteWrite } from "../support/server.mjs";
import { device, inspectorServer, newId, proposal, push } from "../support/sync.mjs";

describe("a mutation breaking a constraint mid-batch", () => {
  const env = inspectorServer();
  const stored = (id) => sqlite(env.server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`)[0][0];
  const answersOf = (phone) =>
    sqlite(env.server.database, `SELECT seq, status FROM sync_mutations WHERE device_id = '${phone.id}' ORDER BY seq`);

  /** A batch of three proposals, the middle one breaking the added constraint. */
  function batch(phone, village) {
    const ids = [newId(), newId(), newId()];
    const mutations = ids.map((id, n) => {
      const payload = proposal(village, n);
      if (n === 1) payload.body = "boom";
      return phone.mutation("proposal", "create", id, payload);
    });
    return { ids, mutations };
  }

  test("is refused alone; the rest of the batch is applied once and answered as stored", async () => {
    // A constraint the checks miss: a second horizon row breaks sync_horizon's CHECK.
    sqliteWrite(
      env.server.database,
      ON_POSTGRES
        ? "CREATE FUNCTION test_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            "INSERT INTO sync_horizon (id, pruned_below) VALUES (2, 0); RETURN NEW; END; $$; " +
            "CREATE TRIGGER test_boom BEFORE INSERT ON proposals FOR EACH ROW " +
            "WHEN (NEW.body = 'boom') EXECUTE FUNCTION test_boom()"
        : "CREATE TRIGGER test_boom BEFORE INSERT ON proposals WHEN NEW.body = 'boom' " +
            "BEGIN INSERT INTO sync_horizon (id, pruned_below) VALUES (2, 0); END",
    );
    const village = env.village("Шуйское");
    const phone = device();
    const { ids, mutations } = batch(phone, village);
    const first = await push(env.server.url, env.inspector, phone.id, mutations);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      first.body.answers.map((a) => [a.status, a.reason?.code ?? null]),
      [
        ["applied", null],
        ["rejected", "unsupported"],
        ["applied", null],
      ],
    );
    assert.equal(first.body.applied_seq, 3);
    // The applied ones carry the record as stored; the refused one wrote nothing.
    assert.equal(first.body.answers[0].server_record.id, ids[0]);
    assert.equal(first.body.answers[2].server_record.id, ids[2]);
    assert.deepEqual(ids.map(stored), [1, 0, 1]);
    assert.deepEqual(answersOf(phone), [
      [1, "applied"],
      [2, "rejected"],
      [3, "applied"],
    ]);

    // A replay (the answer was lost) gets the same answers and writes nothing more.
    const again = await push(env.server.url, env.inspector, phone.id, mutations);
    assert.equal(again.status, 200);
    assert.deepEqual(
      again.body.answers.map((a) => [a.status, a.duplicate]),
      [
        ["applied", true],
        ["rejected", true],
        ["applied", true],
      ],
    );
    assert.deepEqual(ids.map(stored), [1, 0, 1]);
  });

  test("fifty devices at once, each with such a batch: each gets the same outcome", async () => {
    const village = env.village("Шуйское");
    const phones = Array.from({ length: 50 }, () => device());
    const batches = phones.map((phone) => batch(phone, village));
    const results = await Promise.all(
      phones.map((phone, n) => push(env.server.url, env.inspector, phone.id, batches[n].mutations)),
    );
    for (const [n, result] of results.entries()) {
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(
        result.body.answers.map((a) => a.status),
        ["applied", "rejected", "applied"],
      );
      assert.deepEqual(batches[n].ids.map(stored), [1, 0, 1]);
    }
    const health = await fetch(`${env.server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});

// Nobody types a NUL, but one can be pasted; PostgreSQL cannot keep one in a text column, so
// it would fail a push there. The field rules drop it on both backends (app/src/fields.rs).
describe("a NUL character in a record's text", () => {
  const env = inspectorServer();

  test("is dropped, and the record and the rest of the batch are applied", async () => {
    const phone = device();
    const village = env.village("Шуйское");
    const odd = proposal(village, 1);
    odd.body = "Свет\u0000 на улице";
    const ids = [newId(), newId()];
    const sent = await push(env.server.url, env.inspector, phone.id, [
      phone.mutation("proposal", "create", ids[0], odd),
      phone.mutation("proposal", "create", ids[1], proposal(village, 2)),
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.answers.map((a) => a.status), ["applied", "applied"], JSON.stringify(sent.body));
    const [[body]] = sqlite(env.server.database, `SELECT body FROM proposals WHERE id = '${ids[0]}'`);
    assert.equal(body, "Свет на улице");
  });
});

// A value the database itself refuses, past every check of the server: PostgreSQL's "text it
// cannot store" (SQLSTATE 22021, what a NUL gave before the field rules dropped it), SQLite's
// abort from a trigger. Before, the whole push failed: on SQLite a 500, on PostgreSQL a 503
// "busy" (22021 read as a number has the low byte of SQLITE_BUSY), so the device sent the
// same batch again for ever and nothing behind the entry reached the server.
describe("a value the database refuses mid-batch", () => {
  const env = inspectorServer();

  test("is refused alone, the rest of the batch applied, never answered busy", async () => {
    sqliteWrite(
      env.server.database,
      ON_POSTGRES
        ? "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            "RAISE EXCEPTION 'refused by the database' USING ERRCODE = '22021'; END; $$; " +
            "CREATE TRIGGER test_refuse BEFORE INSERT ON proposals FOR EACH ROW " +
            "WHEN (NEW.body = 'refuse') EXECUTE FUNCTION test_refuse()"
        : "CREATE TRIGGER test_refuse BEFORE INSERT ON proposals WHEN NEW.body = 'refuse' " +
            "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END",
    );
    const village = env.village("Шуйское");
    const phone = device();
    const ids = [newId(), newId(), newId()];
    const mutations = ids.map((id, n) => {
      const payload = proposal(village, n);
      if (n === 1) payload.body = "refuse";
      return phone.mutation("proposal", "create", id, payload);
    });
    const sent = await push(env.server.url, env.inspector, phone.id, mutations);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(
      sent.body.answers.map((a) => [a.status, a.reason?.code ?? null]),
      [
        ["applied", null],
        ["rejected", "unsupported"],
        ["applied", null],
      ],
    );
    const stored = (id) => sqlite(env.server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`)[0][0];
    assert.deepEqual(ids.map(stored).map(Number), [1, 0, 1]);
    // The device's next entry goes through: the refused one blocks nothing.
    const next = await push(env.server.url, env.inspector, phone.id, [
      phone.mutation("proposal", "create", newId(), proposal(village, 4)),
    ]);
    assert.deepEqual(next.body.answers.map((a) => a.status), ["applied"]);
    assert.equal((await fetch(`${env.server.url}/healthz`)).status, 200);
  });
});
