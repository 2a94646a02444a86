// What the server forgets (issue 13): sign-in counters past their window, browsers that never
// synced and are long gone, and audit events past the retention period — pruned at start and
// hourly, logged with counts; what is still needed stays.
import assert from "node:assert/strict";
import { test } from "node:test";
import { signIn, sqlite, sqliteWrite, startServer } from "../support/server.mjs";

test("old sign-in counters, gone browsers and audit events past retention are pruned and the pruning logged", async () => {
  const first = await startServer();
  const { database, dir } = first;
  // A browser that signed in (it keeps its session) and a sync device that pushed stay.
  await signIn(first.url, "demo.inspector");
  await first.stop();
  const [[account]] = sqlite(database, "SELECT id FROM accounts WHERE login = 'demo.elder'");
  const old = "2019-01-01T00:00:00Z";
  sqliteWrite(database, `INSERT INTO login_throttle (key, failures, first_failure, locked_until) VALUES ('account:gone', 3, 1000, NULL)`);
  sqliteWrite(database, `INSERT INTO login_throttle (key, failures, first_failure, locked_until) VALUES ('account:locked', 0, ${Math.floor(Date.now() / 1000)}, ${Math.floor(Date.now() / 1000) + 900})`);
  sqliteWrite(database, `INSERT INTO devices (id, account_id, label, created_at, last_seen_at) VALUES ('gone-browser-0001', '${account}', 'old phone', '${old}', 1000)`);
  // An old browser whose app synced (its sync id pushed seven entries) is kept all the same.
  sqliteWrite(database, `INSERT INTO devices (id, account_id, label, created_at, last_seen_at) VALUES ('synced-browser-0001', '${account}', 'old tablet', '${old}', 1000)`);
  sqliteWrite(database, `INSERT INTO devices (id, account_id, label, kind, created_at, applied_seq, browser_id) VALUES ('synced-device-0001', '${account}', 'sync', 'sync', '${old}', 7, 'synced-browser-0001')`);
  sqliteWrite(database, `INSERT INTO audit_events (id, at, account_id, action, entity) VALUES ('old-audit-0001', '${old}', '${account}', 'read', 'person')`);
  const auditBefore = sqlite(database, "SELECT COUNT(*) FROM audit_events")[0][0];

  const server = await startServer({ dir, database, log: "info", args: ["--audit-retention-days", "365", "--device-retention-days", "30"] });
  try {
    const deadline = Date.now() + 10_000;
    while (!/retention: old rows pruned/.test(server.stderr()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(server.stderr(), /retention: old rows pruned/);
    const keys = sqlite(database, "SELECT key FROM login_throttle ORDER BY key").map((r) => r[0]);
    assert.ok(!keys.includes("account:gone"), "a counter past its window is forgotten");
    assert.ok(keys.includes("account:locked"), "a lock in force stays");
    const devices = sqlite(database, "SELECT id FROM devices").map((r) => r[0]);
    assert.ok(!devices.includes("gone-browser-0001"), "a browser that never synced and is gone is forgotten");
    assert.ok(devices.includes("synced-browser-0001"), "a browser whose app synced is kept (its seq makes pushes exactly-once)");
    assert.equal(sqlite(database, "SELECT COUNT(*) FROM sessions s JOIN devices d ON d.id = s.device_id")[0][0] >= 1, true, "the signed-in browser stays");
    assert.deepEqual(sqlite(database, "SELECT COUNT(*) FROM audit_events WHERE id = 'old-audit-0001'"), [[0]]);
    assert.equal(sqlite(database, "SELECT COUNT(*) FROM audit_events")[0][0], auditBefore - 1, "only the old audit event went");
  } finally {
    await server.dispose();
  }
});
