// Reads of persons made on a device from its encrypted cache reach the audit trail (issue 14,
// item 6): `POST /api/v1/sync/reads` records each as a `read_on_device` event in the person's
// village, only for the caller's own device, and as refused for a person never handed to the
// account; it refuses a malformed batch whole (nothing written), and holds for fifty devices
// reporting at once.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signIn, sqlite } from "../support/server.mjs";
import { device, inspectorServer, pullAll } from "../support/sync.mjs";

async function report(url, cookie, deviceId, reads) {
  const res = await fetch(`${url}/api/v1/sync/reads`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json", accept: "application/json", "x-zq-app-version": "test" },
    body: JSON.stringify({ device_id: deviceId, reads }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe("reads made on the device", () => {
  const env = inspectorServer();
  const one = (sql) => sqlite(env.server.database, sql)[0]?.[0];
  const onDevice = () => Number(one("SELECT COUNT(*) FROM audit_events WHERE action = 'read_on_device'"));
  const ermek = () => one("SELECT id FROM persons WHERE full_name = 'Демо Ермек Сапаров'");

  test("each read becomes an audit event with the account, the person, the village and the device's time", async () => {
    // As on a device: the persons were handed out by a pull before they could be read.
    await pullAll(env.server.url, env.inspector, { stream: "sensitive" });
    const phone = device();
    const at = "2026-11-30T08:15:00.000Z";
    const res = await report(env.server.url, env.inspector, phone.id, [
      { kind: "list", record_id: "", at },
      { kind: "person", record_id: ermek(), at },
      { kind: "history", record_id: ermek(), at },
    ]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.recorded, 3);
    const rows = sqlite(
      env.server.database,
      `SELECT a.login, e.record_id, e.village_id, e.detail, e.outcome FROM audit_events e JOIN accounts a ON a.id = e.account_id ` +
        `WHERE e.action = 'read_on_device' ORDER BY e.detail`,
    );
    const sepe = one("SELECT id FROM villages WHERE name_ru = 'Сепе'");
    assert.deepEqual(rows, [
      ["demo.inspector", ermek(), sepe, `history at ${at}`, "allowed"],
      ["demo.inspector", null, null, `list at ${at}`, "allowed"],
      ["demo.inspector", ermek(), sepe, `person at ${at}`, "allowed"],
    ]);
  });

  test("a read of a person never handed to the account is recorded as refused", async () => {
    const chair = await signIn(env.server.url, "demo.chair");
    await pullAll(env.server.url, chair, { stream: "sensitive" });
    const tablet = device();
    const res = await report(env.server.url, chair, tablet.id, [{ kind: "person", record_id: ermek(), at: "2026-11-30T08:16:00Z" }]);
    assert.equal(res.status, 200);
    assert.deepEqual(
      sqlite(
        env.server.database,
        `SELECT e.outcome FROM audit_events e JOIN accounts a ON a.id = e.account_id WHERE a.login = 'demo.chair' AND e.action = 'read_on_device'`,
      ),
      [["denied"]],
    );
  });

  test("a malformed batch is refused whole, with a 422, and writes nothing", async () => {
    const phone = device();
    const before = onDevice();
    const good = { kind: "person", record_id: ermek(), at: "2026-11-30T08:15:00Z" };
    for (const reads of [
      [good, { kind: "list", record_id: ermek(), at: good.at }],
      [good, { kind: "person", record_id: "", at: good.at }],
      [good, { kind: "person", record_id: "x'; DROP TABLE audit_events; --", at: good.at }],
      [good, { kind: "person", record_id: ermek(), at: "soon" }],
      [good, { kind: "person", record_id: ermek(), at: "2026-11-30T08:15:00+05:00" }],
      [good, { kind: "stare", record_id: ermek(), at: good.at }],
      Array.from({ length: 201 }, () => good),
    ]) {
      const res = await report(env.server.url, env.inspector, phone.id, reads);
      assert.equal(res.status, 422, JSON.stringify(reads).slice(0, 200));
      assert.ok(res.body.message, "a translated message");
    }
    assert.equal((await report(env.server.url, env.inspector, "x", [good])).status, 422, "a device id of no shape");
    assert.equal(onDevice(), before);
  });

  test("only for one's own device: another account's device id is refused, and so is no session", async () => {
    const phone = device();
    // The inspector's phone registers itself (as at its first PIN entry); the chair may not
    // report as it.
    const claimed = await fetch(`${env.server.url}/api/v1/sync/key`, {
      method: "POST",
      headers: { cookie: env.inspector, "content-type": "application/json", accept: "application/json", "x-zq-app-version": "test" },
      body: JSON.stringify({ device_id: phone.id }),
    });
    assert.equal(claimed.status, 200);
    assert.equal(Number(one(`SELECT COUNT(*) FROM devices WHERE id = '${phone.id}'`)), 1);
    const chair = await signIn(env.server.url, "demo.chair");
    const before = onDevice();
    const read = [{ kind: "person", record_id: ermek(), at: "2026-11-30T08:15:00Z" }];
    assert.equal((await report(env.server.url, chair, phone.id, read)).status, 403);
    assert.equal((await report(env.server.url, "", phone.id, read)).status, 401);
    assert.equal(onDevice(), before);
  });

  test("fifty devices reporting at once: every read recorded exactly once", async () => {
    const before = onDevice();
    const devices = Array.from({ length: 50 }, () => device());
    const results = await Promise.all(
      devices.map((d, i) =>
        report(env.server.url, env.inspector, d.id, [
          { kind: "person", record_id: ermek(), at: `2026-11-30T09:${String(i).padStart(2, "0")}:00Z` },
          { kind: "history", record_id: ermek(), at: `2026-11-30T09:${String(i).padStart(2, "0")}:01Z` },
        ]),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      devices.map(() => 200),
    );
    assert.equal(onDevice(), before + 100);
  });
});
