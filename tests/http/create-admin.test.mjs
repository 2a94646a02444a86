// The CLI subcommand that creates the first admin of an empty database.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { freshDatabase, SERVER_BIN, sqlite, tempDir } from "../support/server.mjs";

const dir = tempDir();
const database = freshDatabase(dir);
after(() => rmSync(dir, { recursive: true, force: true }));

function createAdmin(login, password, { viaEnv = false } = {}) {
  const result = spawnSync(SERVER_BIN, ["--database", database, "create-admin", "--login", login, "--name", "Айгерим Администратор"], {
    encoding: "utf8",
    input: viaEnv ? "" : `${password}\n`,
    env: { ...process.env, ZQ_LOG: "warn", ...(viaEnv ? { ZQ_ADMIN_PASSWORD: password } : {}) },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("a weak password is refused and nothing is written", () => {
  const { code, stderr } = createAdmin("admin", "short");
  assert.equal(code, 1);
  assert.match(stderr, /at least 12 characters/);
  assert.deepEqual(sqlite(database, "SELECT COUNT(*) FROM accounts"), [[0]]);
});

test("a login with Cyrillic letters or spaces is refused", () => {
  const { code, stderr } = createAdmin("админ", "a long enough password");
  assert.equal(code, 1);
  assert.match(stderr, /a login has 3 to 64 characters/);
});

test("the first admin is created on an empty database, with an argon2id hash", () => {
  const { code, stdout, stderr } = createAdmin("Region.Admin", "қазақша құпия сөз 2026");
  assert.equal(code, 0, stderr);
  assert.match(stdout, /admin "Region.Admin" created/);
  const rows = sqlite(database, "SELECT login, role, scope_kind, demo, password_hash, display_name FROM accounts");
  assert.equal(rows.length, 1);
  const [login, role, scope, demo, hash, name] = rows[0];
  assert.deepEqual([login, role, scope, demo, name], ["region.admin", "admin", "region", 0, "Айгерим Администратор"]);
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.ok(!stdout.includes("құпия") && !stderr.includes("құпия"), "the password is never printed");
  assert.deepEqual(sqlite(database, "SELECT COUNT(*) FROM villages"), [[13]], "the program's villages, no demo data");
  assert.deepEqual(sqlite(database, "SELECT COUNT(*) FROM councils"), [[0]]);
});

test("a second admin cannot be created this way", () => {
  const { code, stderr } = createAdmin("another", "another long password", { viaEnv: true });
  assert.equal(code, 1);
  assert.match(stderr, /already has an admin/);
  assert.deepEqual(sqlite(database, "SELECT COUNT(*) FROM accounts"), [[1]]);
});
