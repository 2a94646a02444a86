// A pull does not send a device back what it has just pushed (issue 16): the push answers each
// applied record as stored, and the device's next pull (naming its sync id) leaves those out,
// while every other device, and this device after anyone else's change, still gets them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signIn } from "../support/server.mjs";
import { device, event, inspectorServer, newId, person, pullAll, push } from "../support/sync.mjs";

describe("a pull leaves out the asking device's own pushes", () => {
  const env = inspectorServer();
  const { village } = env;
  const ids = (changes) => changes.map((c) => c.record_id);
  const cursorNow = async () => (await pullAll(env.server.url, env.inspector)).cursor;

  test("the answer carries the record as stored; the pusher's pull skips it, others get it", async () => {
    const phone = device();
    const tablet = device();
    const since = await cursorNow();
    const id = newId();
    // The stored copy carries what the server adds (version, time of the change).
    const payload = event(village("Сепе"), 1);
    const res = await push(env.server.url, env.inspector, phone.id, [phone.mutation("event", "create", id, payload)]);
    assert.equal(res.status, 200);
    const [answer] = res.body.answers;
    assert.equal(answer.status, "applied");
    const everyone = await pullAll(env.server.url, env.inspector, { since });
    const asStored = everyone.changes.find((c) => c.record_id === id).record;
    assert.deepEqual(answer.server_record, asStored, "the answer is the record a pull would bring");

    const own = await pullAll(env.server.url, env.inspector, { since, device: phone.id });
    assert.ok(!ids(own.changes).includes(id), "the pushing device does not get its record back");
    assert.ok(own.cursor >= since);
    const other = await pullAll(env.server.url, env.inspector, { since, device: tablet.id });
    assert.ok(ids(other.changes).includes(id), "another device of the same account gets it");
    const fromNothing = await pullAll(env.server.url, env.inspector, { since: 0, device: phone.id });
    assert.ok(ids(fromNothing.changes).includes(id), "a device starting from nothing gets everything back");
  });

  test("someone else's later change reaches the device that made the record", async () => {
    const phone = device();
    const tablet = device();
    const id = newId();
    const created = await push(env.server.url, env.inspector, phone.id, [phone.mutation("event", "create", id, event(village("Сепе"), 2))]);
    assert.equal(created.body.answers[0].status, "applied");
    const since = await cursorNow();
    const changed = { ...event(village("Сепе"), 2), attendance: 77 };
    const update = await push(env.server.url, env.inspector, tablet.id, [tablet.mutation("event", "update", id, changed, 1)]);
    assert.equal(update.body.answers[0].status, "applied");
    const own = await pullAll(env.server.url, env.inspector, { since, device: phone.id });
    const change = own.changes.find((c) => c.record_id === id);
    assert.equal(change?.record.attendance, 77, "the tablet's change comes to the phone");
    const tabletPull = await pullAll(env.server.url, env.inspector, { since, device: tablet.id });
    assert.ok(!ids(tabletPull.changes).includes(id), "but not back to the tablet");
  });

  test("a replayed push (its answer was lost) brings the record back with the next pull", async () => {
    const phone = device();
    const since = await cursorNow();
    const id = newId();
    const batch = [phone.mutation("event", "create", id, event(village("Покровка"), 3))];
    assert.equal((await push(env.server.url, env.inspector, phone.id, batch)).body.answers[0].status, "applied");
    const replay = await push(env.server.url, env.inspector, phone.id, batch);
    assert.equal(replay.body.answers[0].duplicate, true);
    assert.equal(replay.body.answers[0].server_record, undefined, "a replay is answered from the record, without the record");
    const own = await pullAll(env.server.url, env.inspector, { since, device: phone.id });
    assert.ok(ids(own.changes).includes(id), "so the pull sends it after all");
  });

  test("a person pushed by the device still comes back through the audited sensitive pull", async () => {
    const phone = device();
    const since = (await pullAll(env.server.url, env.inspector, { stream: "sensitive" })).cursor;
    const id = newId();
    const res = await push(env.server.url, env.inspector, phone.id, [phone.mutation("person", "create", id, person(village("Сепе")))]);
    assert.equal(res.body.answers[0].status, "applied");
    assert.equal(res.body.answers[0].server_record, undefined, "no person in the answer");
    const own = await pullAll(env.server.url, env.inspector, { since, stream: "sensitive", device: phone.id });
    assert.ok(ids(own.changes).includes(id));
  });

  test("another account's device id hides nothing: only the caller's own devices count", async () => {
    const phone = device();
    const since = await cursorNow();
    const id = newId();
    assert.equal((await push(env.server.url, env.inspector, phone.id, [phone.mutation("event", "create", id, event(village("Сепе"), 4))])).body.answers[0].status, "applied");
    const coordinator = await signIn(env.server.url, "demo.coordinator");
    const guessed = await pullAll(env.server.url, coordinator, { since, device: phone.id });
    assert.ok(ids(guessed.changes).includes(id), "the region coordinator naming the inspector's phone still gets the record");
  });

  test("fifty devices pushing at once each get the other forty-nine's records and not their own", async () => {
    const since = await cursorNow();
    const phones = Array.from({ length: 50 }, () => ({ phone: device(), id: newId() }));
    const answers = await Promise.all(
      phones.map(({ phone, id }, n) =>
        push(env.server.url, env.inspector, phone.id, [phone.mutation("event", "create", id, event(village("Шуйское"), 100 + n))]),
      ),
    );
    assert.deepEqual(new Set(answers.map((a) => a.body.answers?.[0]?.status)), new Set(["applied"]));
    const pulls = await Promise.all(phones.map(({ phone }) => pullAll(env.server.url, env.inspector, { since, device: phone.id })));
    pulls.forEach((got, n) => {
      const received = new Set(ids(got.changes));
      assert.ok(!received.has(phones[n].id), `device ${n} got its own record back`);
      const others = phones.filter((_, m) => m !== n).filter(({ id }) => received.has(id)).length;
      assert.equal(others, 49, `device ${n} got ${others} of the others' records`);
    });
  });
});
