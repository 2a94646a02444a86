// Persons of attention reach only the devices that may read them, and leave them when that
// ends (issue 14, items 4 and 5): a council member reads a person only while an open task
// linked to them is assigned to him, so closing the task sends his devices a tombstone and a
// newly linked person arrives however old; only an inspector (or supervisor) links persons;
// an account whose villages change gets the persons of a village it lost as tombstones. A pull
// never tells a role a person id it may not read (nor does a task it may read), and
// `remaining` counts only what it will get.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signIn, sqlite, sqliteWrite } from "../support/server.mjs";
import { device, inspectorServer, newId, person, pull, pullAll, push, task } from "../support/sync.mjs";

describe("sharing persons that ends", () => {
  const env = inspectorServer();
  const phone = device();
  const sensitive = (cookie, since) => pullAll(env.server.url, cookie, { since, stream: "sensitive" });
  const cursorOf = async (cookie) => (await sensitive(cookie, 0)).cursor;
  const elderMember = () => sqlite(env.server.database, "SELECT member_id FROM accounts WHERE login = 'demo.elder'")[0][0];

  async function pushOk(cookie, mutations, from = phone) {
    const res = await push(env.server.url, cookie, from.id, mutations);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const answer of res.body.answers) assert.equal(answer.status, "applied", JSON.stringify(answer));
    return res.body.answers;
  }

  /** A person in Шуйское and an open task linking them, assigned to the demo elder. */
  async function sharedPerson(name) {
    const village = env.village("Шуйское");
    const personId = newId();
    const taskId = newId();
    await pushOk(env.inspector, [phone.mutation("person", "create", personId, person(village, name))]);
    await pushOk(env.inspector, [
      phone.mutation("task", "create", taskId, { ...task(village, 1, [elderMember()]), person_id: personId }),
    ]);
    return { personId, taskId };
  }

  test("closing the task sends the elder's devices a tombstone; the record never again", async () => {
    const elder = await signIn(env.server.url, "demo.elder");
    const since = await cursorOf(elder);
    const { personId, taskId } = await sharedPerson("Демо Арман Болатұлы");
    const shared = await sensitive(elder, since);
    const got = shared.changes.find((c) => c.record_id === personId);
    assert.ok(got && !got.deleted && got.record.full_name === "Демо Арман Болатұлы", JSON.stringify(shared.changes));

    await pushOk(env.inspector, [phone.mutation("task", "update", taskId, { status: "cancelled", note: null }, 1)]);
    const after = await sensitive(elder, shared.cursor);
    const gone = after.changes.filter((c) => c.record_id === personId);
    assert.equal(gone.length, 1, JSON.stringify(after.changes));
    assert.equal(gone[0].deleted, true);
    assert.equal(gone[0].record, undefined);
    // The inspector still reads them: the same change reaches his devices whole.
    const inspectorView = await sensitive(env.inspector, shared.cursor);
    assert.ok(inspectorView.changes.some((c) => c.record_id === personId && !c.deleted));
  });

  test("a person linked later reaches the elder though older than his cursor", async () => {
    const elder = await signIn(env.server.url, "demo.elder");
    const village = env.village("Шуйское");
    const personId = newId();
    await pushOk(env.inspector, [phone.mutation("person", "create", personId, person(village, "Демо Ержан Маратұлы"))]);
    const since = await cursorOf(elder);
    await pushOk(env.inspector, [
      phone.mutation("task", "create", newId(), { ...task(village, 2, [elderMember()]), person_id: personId }),
    ]);
    const later = await sensitive(elder, since);
    assert.ok(later.changes.some((c) => c.record_id === personId && c.record?.full_name === "Демо Ержан Маратұлы"));
  });

  test("only an inspector links a person: the chair's task with a person is refused", async () => {
    const chair = await signIn(env.server.url, "demo.chair");
    const tablet = device();
    const { personId } = await sharedPerson("Демо Нұржан Асқарұлы");
    const village = env.village("Шуйское");
    const taskId = newId();
    const res = await push(env.server.url, chair, tablet.id, [
      tablet.mutation("task", "create", taskId, { ...task(village, 3, [elderMember()]), person_id: personId }),
      tablet.mutation("task", "create", newId(), task(village, 4, [elderMember()])),
    ]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.answers.map((a) => a.reason?.code ?? a.status), ["forbidden", "applied"]);
    assert.equal(sqlite(env.server.database, `SELECT COUNT(*) FROM tasks WHERE id = '${taskId}'`)[0][0], 0);
  });

  test("roles that may not read persons get no person id at all, and remaining counts only what comes", async () => {
    const akimat = await signIn(env.server.url, "demo.akimat");
    const none = await pull(env.server.url, akimat, { stream: "sensitive" });
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.changes, []);
    assert.equal(none.body.remaining, 0);

    // The elder: the persons shared with him, nothing of the village's others, even as tombstones.
    const elder = await signIn(env.server.url, "demo.elder");
    const mine = await sensitive(elder, 0);
    const sharedNow = new Set(
      sqlite(
        env.server.database,
        `SELECT t.person_id FROM tasks t JOIN task_assignees a ON a.task_id = t.id
         WHERE a.member_id = '${elderMember()}' AND t.person_id IS NOT NULL AND t.status NOT IN ('verified', 'cancelled')`,
      ).map((r) => r[0]),
    );
    const handedBefore = new Set(
      sqlite(env.server.database, "SELECT person_id FROM person_handouts h JOIN accounts a ON a.id = h.account_id WHERE a.login = 'demo.elder'").map((r) => r[0]),
    );
    assert.ok(sharedNow.size >= 1 && mine.changes.length >= sharedNow.size, "the elder has shared persons");
    for (const change of mine.changes) {
      assert.ok(sharedNow.has(change.record_id) || handedBefore.has(change.record_id), change.record_id);
      assert.equal(change.deleted, !sharedNow.has(change.record_id));
    }

    // remaining + what the first page carried = everything the caller then receives.
    for (const [login, stream] of [
      ["demo.akimat", "records"],
      ["demo.elder", "records"],
      ["demo.elder", "sensitive"],
      ["demo.chair", "sensitive"],
    ]) {
      const cookie = await signIn(env.server.url, login);
      const first = await pull(env.server.url, cookie, { stream, limit: 1 });
      const all = await pullAll(env.server.url, cookie, { stream });
      assert.equal(first.body.changes.length + first.body.remaining, all.changes.length, `${login} ${stream}`);
    }
  });

  test("a task names its person only to those who may read the person", async () => {
    const { personId, taskId } = await sharedPerson("Демо Бауыржан Ерланұлы");
    const taskFor = async (login) => {
      const cookie = await signIn(env.server.url, login);
      const { changes } = await pullAll(env.server.url, cookie);
      return changes.find((c) => c.record_id === taskId)?.record;
    };
    assert.equal((await taskFor("demo.inspector")).person_id, personId);
    assert.equal((await taskFor("demo.elder")).person_id, personId, "assigned to him: shared");
    const byChair = await taskFor("demo.chair");
    assert.ok(byChair, "the chair reads the task");
    assert.equal(byChair.person_id, null, "the chair is not told the person");
    // The akimat's village is Сепе: a task there linking a person of Сепе.
    const sepe = env.village("Сепе");
    const sepePerson = newId();
    const sepeTask = newId();
    await pushOk(env.inspector, [phone.mutation("person", "create", sepePerson, person(sepe, "Демо Дәурен Сейітұлы"))]);
    await pushOk(env.inspector, [phone.mutation("task", "create", sepeTask, { ...task(sepe, 5), person_id: sepePerson })]);
    const akimat = await signIn(env.server.url, "demo.akimat");
    const seen = (await pullAll(env.server.url, akimat)).changes.find((c) => c.record_id === sepeTask)?.record;
    assert.ok(seen, "the akimat reads the task");
    assert.equal(seen.person_id, null, "the akimat is not told the person");
    // A conflict answer carries the task as its sender may see it.
    const chair = await signIn(env.server.url, "demo.chair");
    const tablet = device();
    const res = await push(env.server.url, chair, tablet.id, [
      tablet.mutation("task", "update", taskId, { status: "in_progress", note: null }, 99),
    ]);
    assert.equal(res.body.answers[0].status, "conflict");
    assert.equal(res.body.answers[0].server_record.person_id, null);
  });

  test("an inspector who loses a village gets its persons as tombstones, and back when it returns", async () => {
    const village = env.village("Шуйское");
    const inspectorId = sqlite(env.server.database, "SELECT id FROM accounts WHERE login = 'demo.inspector'")[0][0];
    const inVillage = new Set(sqlite(env.server.database, `SELECT id FROM persons WHERE village_id = '${village}'`).map((r) => r[0]));
    const since = await cursorOf(env.inspector);
    sqliteWrite(env.server.database, `DELETE FROM account_villages WHERE account_id = '${inspectorId}' AND village_id = '${village}'`);
    const cookie = await signIn(env.server.url, "demo.inspector");
    const lost = await sensitive(cookie, since);
    const tombstones = lost.changes.filter((c) => inVillage.has(c.record_id));
    assert.equal(tombstones.length, inVillage.size);
    assert.ok(tombstones.every((c) => c.deleted && c.record === undefined));

    sqliteWrite(env.server.database, `INSERT INTO account_villages (account_id, village_id) VALUES ('${inspectorId}', '${village}')`);
    const back = await sensitive(cookie, lost.cursor);
    const returned = back.changes.filter((c) => inVillage.has(c.record_id));
    assert.equal(returned.length, inVillage.size);
    assert.ok(returned.every((c) => !c.deleted && c.record.full_name));
  });

  test("an elder whose account is unlinked from his council member loses the shared persons", async () => {
    const elder = await signIn(env.server.url, "demo.elder");
    const member = elderMember();
    const before = await sensitive(elder, 0);
    const shared = before.changes.filter((c) => !c.deleted).map((c) => c.record_id);
    assert.ok(shared.length >= 1);
    // As when the member leaves the council (`councils/store.rs` unlinks the account).
    sqliteWrite(env.server.database, "UPDATE accounts SET member_id = NULL WHERE login = 'demo.elder'");
    const after = await sensitive(await signIn(env.server.url, "demo.elder"), before.cursor);
    for (const id of shared) {
      const change = after.changes.find((c) => c.record_id === id);
      assert.ok(change?.deleted && change.record === undefined, `a tombstone for ${id}`);
    }
    sqliteWrite(env.server.database, `UPDATE accounts SET member_id = '${member}' WHERE login = 'demo.elder'`);
  });

  test("fifty pulls at once by the elder and the akimat each get only what they may", async () => {
    const elder = await signIn(env.server.url, "demo.elder");
    const akimat = await signIn(env.server.url, "demo.akimat");
    const expected = (await sensitive(elder, 0)).changes.map((c) => [c.record_id, c.deleted]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => sensitive(n % 2 ? akimat : elder, 0)),
    );
    for (const [n, result] of results.entries()) {
      const got = result.changes.map((c) => [c.record_id, c.deleted]);
      assert.deepEqual(got, n % 2 ? [] : expected);
    }
    assert.equal((await fetch(`${env.server.url}/healthz`)).status, 200);
  });
});
