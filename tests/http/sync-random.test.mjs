// Issue 4 (e): a randomized run against the real server. 20 devices of 3 accounts make
// 10,000 mutations (creates of proposals, events and tasks, notes on shared tasks from stale
// copies, some invalid) and push them in random batches while the "network" drops answers,
// sends batches twice, sends them out of order and runs devices side by side. In the end the
// server must hold exactly the mutations it answered "applied" — each once — and nothing else.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signIn, sqlite, startServer } from "../support/server.mjs";
import { device, event, newId, proposal, push, reference, task } from "../support/sync.mjs";

const DEVICES = 20;
const MUTATIONS = 10_000;
const SEED = Number(process.env.ZQ_RANDOM_SEED ?? Date.now() % 100_000);

// A small seeded generator (mulberry32), so a failure can be replayed with ZQ_RANDOM_SEED.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server;
before(async () => {
  // A load test on purpose: the per-account request rate would slow it down, not protect it.
  server = await startServer({ args: ["--api-rate", "100000", "--api-burst", "100000"] });
});
after(async () => server.dispose());

test(`${DEVICES} devices, ${MUTATIONS} mutations, drops, duplicates and reorderings: exactly the applied ones are stored (seed ${SEED})`, { timeout: 900_000 }, async () => {
  const rand = random(SEED);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const logins = ["demo.inspector", "demo.chair", "demo.elder"];
  const cookies = {};
  for (const login of logins) cookies[login] = await signIn(server.url, login);
  const shuiskoe = (await reference(server.url, cookies["demo.inspector"])).villages.find((v) => v.name.ru === "Шуйское").id;

  // Shared tasks in Шуйское that every account may add notes to (the elder is assigned).
  const elderMember = sqlite(server.database, "SELECT member_id FROM accounts WHERE login = 'demo.elder'")[0][0];
  const setup = device();
  const taskIds = Array.from({ length: 8 }, () => newId());
  const created = await push(
    server.url,
    cookies["demo.inspector"],
    setup.id,
    taskIds.map((id, n) => setup.mutation("task", "create", id, task(shuiskoe, n, [elderMember]))),
  );
  assert.ok(created.body.answers.every((a) => a.status === "applied"));

  const devices = Array.from({ length: DEVICES }, (_, n) => ({
    ...device(),
    login: logins[n % logins.length],
    queue: [], // sent or not, not yet answered
    made: 0,
    known: new Map(taskIds.map((id) => [id, 1])), // the task versions this device has seen
  }));
  const perDevice = MUTATIONS / DEVICES;
  const all = new Map(); // mutation id -> { mutation, login }
  const final = new Map(); // mutation id -> the answer
  let requests = 0;
  let drops = 0;
  let dupes = 0;
  let reorders = 0;

  function make(d) {
    const n = d.made++;
    const roll = rand();
    let mutation;
    if (roll < 0.35) {
      const taskId = pick(taskIds);
      const note = rand() < 0.05 ? "  " : `Заметка ${d.id.slice(0, 4)}-${n} 📝`;
      mutation = d.mutation("task", "update", taskId, { status: null, note }, d.known.get(taskId));
    } else if (roll < 0.4) {
      mutation = d.mutation("event", "create", newId(), { ...event(shuiskoe, n), title: "" }); // invalid
    } else if (roll < 0.7 || d.login === "demo.elder") {
      mutation = d.mutation("proposal", "create", newId(), proposal(shuiskoe, n));
    } else if (roll < 0.85) {
      mutation = d.mutation("event", "create", newId(), event(shuiskoe, n));
    } else {
      mutation = d.mutation("task", "create", newId(), task(shuiskoe, n));
    }
    all.set(mutation.id, { mutation, login: d.login });
    d.queue.push(mutation);
  }

  // An applied mutation's first answer also carries the record as stored; a replay's, made from
  // the stored answer, does not.
  function comparable(answer) {
    const copy = { ...answer, duplicate: false };
    if (copy.status === "applied") delete copy.server_record;
    return copy;
  }

  function settle(d, answers) {
    for (const answer of answers) {
      if (answer.status === "gap") {
        // The server may be ahead of what the device knows (answers were lost), never behind.
        assert.ok(answer.expected >= d.queue[0].seq, "a gap never asks for a seq the device had settled");
        assert.ok(answer.expected <= d.queue[d.queue.length - 1].seq, "a gap names a seq the device made");
        continue;
      }
      const earlier = final.get(answer.id);
      if (earlier) {
        assert.equal(answer.duplicate, true, "a second answer for a mutation is marked duplicate");
        assert.deepEqual(comparable(answer), comparable(earlier), "a replay gets the original answer");
      } else {
        final.set(answer.id, answer);
      }
      const mutation = all.get(answer.id).mutation;
      if (mutation.entity === "task" && mutation.op === "update") {
        if (answer.status === "applied") d.known.set(mutation.record_id, answer.version);
        if (answer.status === "conflict") d.known.set(mutation.record_id, answer.server_record.version);
      }
      d.queue = d.queue.filter((m) => m.id !== answer.id);
    }
  }

  async function round(d) {
    const fresh = 1 + Math.floor(rand() * 20);
    for (let i = 0; i < fresh && d.made < perDevice; i += 1) make(d);
    if (d.queue.length === 0) return;
    const size = 1 + Math.floor(rand() * 40);
    const cookie = cookies[d.login];
    const roll = rand();
    let batch = d.queue.slice(0, size);
    if (roll < 0.1 && d.queue.length > 2) {
      // Out of order: a later part of the queue first.
      reorders += 1;
      batch = d.queue.slice(1 + Math.floor(rand() * (d.queue.length - 1)), size + 1);
    } else if (roll < 0.1 + 0.1 && batch.length > 1) {
      // Within the batch, shuffled: the server stops at the first gap.
      reorders += 1;
      batch = [...batch].sort(() => rand() - 0.5);
    }
    requests += 1;
    const res = await push(server.url, cookie, d.id, batch);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (rand() < 0.15) {
      drops += 1; // the answer is lost on the way back: the device knows nothing
      return;
    }
    if (rand() < 0.15) {
      dupes += 1; // the same batch sent twice
      requests += 1;
      const again = await push(server.url, cookie, d.id, batch);
      assert.equal(again.status, 200);
      settle(d, res.body.answers);
      settle(d, again.body.answers);
      return;
    }
    settle(d, res.body.answers);
  }

  // Rounds of up to four devices side by side, until every mutation is made and answered.
  for (;;) {
    const busy = devices.filter((d) => d.made < perDevice || d.queue.length > 0);
    if (busy.length === 0) break;
    const group = new Set();
    for (let i = 0; i < 4; i += 1) group.add(pick(busy));
    await Promise.all([...group].map(round));
  }

  assert.equal(all.size, MUTATIONS);
  assert.equal(final.size, MUTATIONS, "every mutation got exactly one final answer");
  const db = server.database;
  const scalar = (sql) => sqlite(db, sql)[0][0];
  const setupCount = taskIds.length;
  assert.equal(scalar("SELECT COUNT(*) FROM sync_mutations"), MUTATIONS + setupCount, "one stored answer per mutation");
  for (const d of devices) {
    assert.equal(scalar(`SELECT applied_seq FROM devices WHERE id = '${d.id}'`), perDevice);
  }

  const tally = { applied: 0, rejected: 0, conflict: 0 };
  const createdIds = { proposal: [], event: [], task: [] };
  const refusedIds = [];
  const appliedNotes = new Map(taskIds.map((id) => [id, 0]));
  for (const [id, answer] of final) {
    tally[answer.status] += 1;
    const { mutation } = all.get(id);
    if (mutation.op === "create") {
      (answer.status === "applied" ? createdIds[mutation.entity] : refusedIds).push(mutation.record_id);
    } else if (answer.status === "applied") {
      appliedNotes.set(mutation.record_id, appliedNotes.get(mutation.record_id) + 1);
    }
  }
  assert.ok(tally.applied > 0 && tally.rejected > 0 && tally.conflict > 0, JSON.stringify(tally));

  // Every applied create is stored exactly once; no refused one is stored at all.
  const stored = (table) => new Set(sqlite(db, `SELECT id FROM ${table} WHERE demo = FALSE`).map((r) => r[0]));
  const proposals = stored("proposals");
  const events = stored("events");
  const tasks = stored("tasks");
  assert.equal(proposals.size, createdIds.proposal.length);
  assert.equal(events.size, createdIds.event.length);
  assert.equal(tasks.size, createdIds.task.length + setupCount);
  for (const id of createdIds.proposal) assert.ok(proposals.has(id));
  for (const id of createdIds.event) assert.ok(events.has(id));
  for (const id of createdIds.task) assert.ok(tasks.has(id));
  for (const id of refusedIds) assert.ok(!proposals.has(id) && !events.has(id) && !tasks.has(id));

  // Each shared task moved one version per applied note, and holds exactly those notes.
  for (const [taskId, notes] of appliedNotes) {
    assert.equal(scalar(`SELECT version FROM tasks WHERE id = '${taskId}'`), 1 + notes, taskId);
    assert.equal(scalar(`SELECT COUNT(*) FROM task_updates WHERE task_id = '${taskId}'`), notes, taskId);
  }
  console.log(
    `# seed ${SEED}: ${requests} requests (${drops} answers dropped, ${dupes} batches doubled, ${reorders} reordered); ` +
      `applied ${tally.applied}, rejected ${tally.rejected}, conflicts ${tally.conflict}`,
  );
});
