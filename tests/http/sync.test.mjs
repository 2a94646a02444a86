// The sync contract (DESIGN §4) against the real server and its SQLite file: exactly-once
// writes under replays, gaps and conflicts; scoped pulls; and a randomized run of many
// devices with dropped, duplicated and reordered batches.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn, sqlite, sqliteWrite, startServer } from "../support/server.mjs";
import { device, event, newId, proposal, pull, pullAll, push, reference, task } from "../support/sync.mjs";

const count = (db, sql) => sqlite(db, sql)[0][0];

describe("sync push", () => {
  let server, inspector, villages;
  before(async () => {
    server = await startServer();
    inspector = await signIn(server.url, "demo.inspector");
    villages = (await reference(server.url, inspector)).villages;
  });
  after(async () => server.dispose());
  const village = (name) => villages.find((v) => v.name.ru === name).id;

  test("a replayed batch (the answer was lost) is answered from the record, not written twice", async () => {
    const phone = device();
    const id = newId();
    const batch = [phone.mutation("proposal", "create", id, proposal(village("Сепе"), 1))];
    const first = await push(server.url, inspector, phone.id, batch);
    assert.equal(first.status, 200);
    assert.equal(first.body.answers[0].status, "applied");
    assert.equal(first.body.answers[0].version, 1);
    const replay = await push(server.url, inspector, phone.id, batch);
    assert.equal(replay.status, 200);
    // The first answer also carried the record as stored; the replay's, from the record, not.
    const { server_record: stored, ...original } = first.body.answers[0];
    assert.equal(stored.id, id);
    assert.deepEqual(replay.body.answers[0], { ...original, duplicate: true });
    assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`), 1);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM sync_mutations WHERE record_id = '${id}'`), 1);
  });

  test("a gap is refused and nothing after it is written", async () => {
    const phone = device();
    const one = phone.mutation("event", "create", newId(), event(village("Сепе"), 1));
    const two = phone.mutation("event", "create", newId(), event(village("Сепе"), 2));
    const res = await push(server.url, inspector, phone.id, [two]);
    assert.equal(res.status, 200);
    assert.equal(res.body.answers[0].status, "gap");
    assert.equal(res.body.answers[0].expected, 1);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM events WHERE id = '${two.record_id}'`), 0);
    const inOrder = await push(server.url, inspector, phone.id, [one, two]);
    assert.deepEqual(inOrder.body.answers.map((a) => a.status), ["applied", "applied"]);
    assert.equal(inOrder.body.applied_seq, 2);
  });

  test("a rejected mutation keeps its reason and the queue behind it is applied", async () => {
    const phone = device();
    const bad = phone.mutation("proposal", "create", newId(), { ...proposal(village("Сепе"), 2), body: "   " });
    const outside = phone.mutation("proposal", "create", newId(), proposal(villages.length ? "no-such-village" : "", 3));
    const good = phone.mutation("proposal", "create", newId(), proposal(village("Покровка"), 4));
    const res = await push(server.url, inspector, phone.id, [bad, outside, good]);
    assert.equal(res.status, 200);
    const [a, b, c] = res.body.answers;
    assert.deepEqual([a.status, b.status, c.status], ["rejected", "rejected", "applied"]);
    assert.deepEqual(a.reason, { code: "invalid", field: "body", rule: { rule: "required" } });
    assert.deepEqual(b.reason, { code: "invalid", field: "village_id", rule: { rule: "unknown_choice" } });
    assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id IN ('${bad.record_id}', '${outside.record_id}')`), 0);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${good.record_id}'`), 1);
    // The refusal is remembered like any answer: a replay gets it again.
    const replay = await push(server.url, inspector, phone.id, [bad]);
    assert.deepEqual(replay.body.answers[0], { ...a, duplicate: true });
  });

  test("a malformed record id is refused without blocking; another device's mutation id is not a replay", async () => {
    const phone = device();
    const bad = { ...phone.mutation("event", "create", newId(), event(village("Сепе"), 11)), record_id: "'; DROP TABLE events; --" };
    const good = phone.mutation("event", "create", newId(), event(village("Сепе"), 12));
    const res = await push(server.url, inspector, phone.id, [bad, good]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.answers.map((a) => a.status), ["rejected", "applied"]);
    assert.equal(res.body.answers[0].reason.field, "record_id");
    const other = device();
    const same = { ...other.mutation("event", "create", newId(), event(village("Сепе"), 13)), id: good.id };
    const second = await push(server.url, inspector, other.id, [same]);
    assert.equal(second.body.answers[0].status, "applied");
    assert.equal(second.body.answers[0].duplicate, false);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM events WHERE id IN ('${good.record_id}', '${same.record_id}')`), 2);
  });

  test("records outside the caller's villages or role are refused as forbidden", async () => {
    const elder = await signIn(server.url, "demo.elder");
    const tablet = device();
    const maksimovka = (await reference(server.url, await signIn(server.url, "demo.admin"))).villages.find(
      (v) => v.name.ru === "Максимовка",
    ).id;
    const res = await push(server.url, elder, tablet.id, [
      tablet.mutation("event", "create", newId(), event(village("Шуйское"), 5)),
      tablet.mutation("proposal", "create", newId(), proposal(maksimovka, 6)),
      tablet.mutation("proposal", "create", newId(), proposal(village("Шуйское"), 7)),
    ]);
    assert.deepEqual(res.body.answers.map((a) => a.reason?.code ?? a.status), ["forbidden", "forbidden", "applied"]);
  });

  test("an update made on an old copy is a conflict carrying the server's record; nothing is overwritten", async () => {
    const phoneA = device();
    const phoneB = device();
    const taskId = newId();
    const created = await push(server.url, inspector, phoneA.id, [
      phoneA.mutation("task", "create", taskId, task(village("Шуйское"), 1)),
    ]);
    assert.equal(created.body.answers[0].status, "applied");
    const chair = await signIn(server.url, "demo.chair");
    const a = await push(server.url, inspector, phoneA.id, [
      phoneA.mutation("task", "update", taskId, { status: "in_progress", note: "Начали" }, 1),
    ]);
    assert.equal(a.body.answers[0].status, "applied");
    assert.equal(a.body.answers[0].version, 2);
    const b = await push(server.url, chair, phoneB.id, [
      phoneB.mutation("task", "update", taskId, { status: "cancelled", note: "Отмена" }, 1),
    ]);
    assert.equal(b.body.answers[0].status, "conflict");
    assert.equal(b.body.answers[0].server_record.status, "in_progress");
    assert.equal(b.body.answers[0].server_record.version, 2);
    assert.deepEqual(sqlite(server.database, `SELECT status, version FROM tasks WHERE id = '${taskId}'`), [["in_progress", 2]]);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM task_updates WHERE task_id = '${taskId}'`), 1);
  });

  test("a device belongs to one account; unsigned and malformed pushes are refused with a translated message", async () => {
    const phone = device();
    await push(server.url, inspector, phone.id, [phone.mutation("event", "create", newId(), event(village("Сепе"), 9))]);
    const chair = await signIn(server.url, "demo.chair");
    const stolen = await push(server.url, chair, phone.id, [phone.mutation("event", "create", newId(), event(village("Шуйское"), 9))]);
    assert.equal(stolen.status, 403);
    const anonymous = await push(server.url, "", device().id, []);
    assert.equal(anonymous.status, 401);
    const res = await fetch(`${server.url}/api/v1/sync/push`, {
      method: "POST",
      headers: { cookie: inspector, "content-type": "application/json", "accept-language": "kk", "x-zq-app-version": "test" },
      body: "{not json",
    });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.match(body.error, /body/);
    assert.match(body.message, /[әіңғүұқөһ]/i, "the message is in Kazakh");
  });
});

describe("sync pull", () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.dispose());

  test("each account pulls its own villages only, page by page, and sensitive records come in their own stream", async () => {
    const inspector = await signIn(server.url, "demo.inspector");
    const elder = await signIn(server.url, "demo.elder");
    const villageOf = new Map(sqlite(server.database, "SELECT c.record_id, v.name_ru FROM sync_changes c JOIN villages v ON v.id = c.village_id"));
    const mine = await pullAll(server.url, inspector, { limit: 2 });
    assert.ok(mine.changes.length >= 3, "the inspector gets the demo records of its villages");
    for (const change of mine.changes) {
      assert.ok(["Шуйское", "Сепе", "Покровка", "Бастау"].includes(villageOf.get(change.record_id)), change.record_id);
      assert.notEqual(change.entity, "person", "persons never come in the records stream");
    }
    const elderRecords = await pullAll(server.url, elder);
    for (const change of elderRecords.changes) assert.equal(villageOf.get(change.record_id), "Шуйское");

    const before = count(server.database, "SELECT COUNT(*) FROM audit_events WHERE entity = 'person' AND detail = 'sync'");
    const persons = await pullAll(server.url, inspector, { stream: "sensitive" });
    const readable = persons.changes.filter((c) => !c.deleted);
    assert.ok(readable.length >= 3);
    assert.ok(readable.every((c) => c.entity === "person" && c.record.full_name));
    assert.ok(!readable.some((c) => villageOf.get(c.record_id) === "Максимовка"));
    const after = count(server.database, "SELECT COUNT(*) FROM audit_events WHERE entity = 'person' AND detail = 'sync'");
    assert.equal(after - before, readable.length, "every person handed out is audited");

    // The elder gets the one person an open task shares, and nothing of the other Шуйское
    // person, not even a tombstone carrying their id (issue 14).
    const elderPersons = await pullAll(server.url, elder, { stream: "sensitive" });
    assert.equal(elderPersons.changes.length, 1);
    assert.equal(elderPersons.changes[0].deleted, false);
  });

  test("a pull after the cursor returns only newer changes", async () => {
    const inspector = await signIn(server.url, "demo.inspector");
    const { cursor } = await pullAll(server.url, inspector);
    const village = (await reference(server.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
    const phone = device();
    const id = newId();
    await push(server.url, inspector, phone.id, [phone.mutation("event", "create", id, event(village, 1))]);
    const next = await pullAll(server.url, inspector, { since: cursor });
    assert.deepEqual(next.changes.map((c) => c.record_id), [id]);
    assert.equal(next.changes[0].record.title, "Мероприятие 1");
  });

  test("a device whose cursor is older than the pruned tombstones is told to reset", async () => {
    const inspector = await signIn(server.url, "demo.inspector");
    const { cursor } = await pullAll(server.url, inspector);
    const [[eventId]] = sqlite(server.database, "SELECT e.id FROM events e JOIN villages v ON v.id = e.village_id WHERE v.name_ru = 'Сепе' LIMIT 1");
    const stale = cursor - 1;
    // A deletion made by an administrator directly in the database: the trigger leaves a tombstone.
    sqliteWrite(server.database, `DELETE FROM events WHERE id = '${eventId}'`);
    const tomb = await pullAll(server.url, inspector, { since: stale });
    assert.ok(tomb.changes.some((c) => c.record_id === eventId && c.deleted));
    await server.stop("SIGTERM");
    server = await startServer({ dir: server.dir, database: server.database, args: ["--tombstone-days", "0"] });
    const again = await signIn(server.url, "demo.inspector");
    const page = await pull(server.url, again, { since: stale });
    assert.equal(page.body.reset, true);
    const fresh = await pull(server.url, again, { since: 0 });
    assert.equal(fresh.body.reset, false);
  });
});
