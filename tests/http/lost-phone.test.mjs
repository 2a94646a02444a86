// A phone in someone else's hands, over HTTP (docs/offline-unlock.md): the address bar reads
// nothing, persons are read only while the device proves it is unlocked, a revoked device is
// told on every request whatever became of its sessions, disabling an account or resetting its
// password revokes its devices, and a device that wiped itself ends its session at the next
// request. Each rule is also tried fifty times rudely.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { callFn, cookiesFrom, DEMO_PASSWORD, sqlite, sqliteWrite, startServer } from "../support/server.mjs";
import { APP_HEADER, device, person, push } from "../support/sync.mjs";

const LOCKED = "unlock the app first";
const REVOKED = "device revoked";
const SIGN_IN_AGAIN = "sign in again to read persons";
/** What a browser sends when a person types an address into its address bar. */
const TYPED = { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-fetch-site": "none", "sec-fetch-user": "?1" };

/** Signs in as a browser does; the Cookie header and the browser device's id. */
async function signInPhone(url, login = "demo.inspector", extra = {}) {
  const res = await callFn(url, "sign_in", { login, password: DEMO_PASSWORD }, extra);
  assert.equal(res.status, 200, `sign-in as ${login}`);
  const cookie = cookiesFrom(res);
  const browser = cookie.match(/zq_device=([^.;]+)/)[1];
  return { cookie, browser };
}

const sensitivePull = (url, cookie, headers = {}) =>
  fetch(`${url}/api/v1/sync/pull?since=0&stream=sensitive`, { headers: { ...APP_HEADER, cookie, accept: "application/json", ...headers }, redirect: "manual" });

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

const post = (url, path, cookie, body, headers = {}) =>
  fetch(`${url}${path}`, { method: "POST", headers: { ...APP_HEADER, cookie, "content-type": "application/json", accept: "application/json", ...headers }, body: JSON.stringify(body) });

/** The device registers its sync id (as at its first PIN entry online). */
async function claim(url, cookie, id) {
  const res = await post(url, "/api/v1/sync/key", cookie, { device_id: id });
  assert.equal(res.status, 200, "the key share claims the sync id");
}

/** Answers a fresh nonce with HMAC-SHA-256 under `keyHex` (what the app computes in WebCrypto). */
async function prove(url, cookie, id, keyHex) {
  const challenge = await fetch(`${url}/api/v1/sync/unlock?device=${id}`, { headers: { ...APP_HEADER, cookie } });
  assert.equal(challenge.status, 200);
  const { nonce, registered } = await challenge.json();
  const proof = createHmac("sha256", Buffer.from(keyHex, "hex")).update(nonce).digest("hex");
  return { registered, nonce, res: await post(url, "/api/v1/sync/unlock", cookie, { device_id: id, nonce, proof }) };
}

const lock = (url, cookie) => post(url, "/api/v1/sync/lock", cookie, {}, { "x-zq-lock": "locked" });

describe("a lost phone over HTTP", () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer({ args: ["--unlock-window-secs", "12"] });
    admin = (await signInPhone(server.url, "demo.admin")).cookie;
  });
  after(async () => server.dispose());

  test("the sync address typed into the address bar, or fetched without the app's header, reads nothing", async () => {
    const { cookie } = await signInPhone(server.url);
    // The app's own request reads the persons (the session is fresh: the password unlocked it).
    const own = await sensitivePull(server.url, cookie);
    assert.equal(own.status, 200);
    const names = (await own.json()).changes.map((c) => c.record?.full_name).filter(Boolean);
    assert.ok(names.length > 0, "the inspector's villages have persons");
    const rude = [];
    for (let i = 0; i < 50; i += 1) {
      const path = ["/api/v1/sync/pull?since=0&stream=sensitive", "/api/v1/sync/pull?stream=records&since=0", "/api/v1/sync/reference"][i % 3];
      // Typed into the address bar (with or without the app's header), or fetched bare.
      const headers = i % 2 ? { ...TYPED } : i % 5 ? { ...TYPED, ...APP_HEADER } : {};
      rude.push(fetch(`${server.url}${path}`, { headers: { cookie, "accept-language": "kk", ...headers }, redirect: "manual" }));
    }
    for (const res of await Promise.all(rude)) {
      assert.equal(res.status, 403);
      const body = await res.text();
      assert.match(body, /"error":"app_only"/);
      assert.match(body, /қосымшада/, "the refusal is translated");
      for (const name of names) assert.ok(!body.includes(name), "no name in a refusal");
    }
    // A report's download is a link, and carries counts only: it still opens from a page.
    const download = await fetch(`${server.url}/api/v1/reports/overview.csv?lang=ru`, { headers: { cookie, ...TYPED, "sec-fetch-site": "same-origin" } });
    assert.equal(download.status, 200);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test("persons are read only while the device proves, within the window, that it was unlocked", async () => {
    const phone = await signInPhone(server.url);
    const id = device().id;
    await claim(server.url, phone.cookie, id);
    const key = "5a".repeat(32);
    // Registered while the session is unlocked by the password just typed.
    const first = await prove(server.url, phone.cookie, id, "00".repeat(32));
    assert.equal(first.registered, false);
    assert.equal((await post(server.url, "/api/v1/sync/unlock/key", phone.cookie, { device_id: id, key })).status, 204);
    // The app locks: the session reads no person, by the pull or by the persons' functions.
    assert.equal((await lock(server.url, phone.cookie)).status, 204);
    const locked = await sensitivePull(server.url, phone.cookie);
    assert.equal(locked.status, 401);
    assert.equal((await json(locked)).error, LOCKED);
    const listed = await callFn(server.url, "list_persons", {}, { cookie: phone.cookie });
    assert.equal(listed.status, 401);
    // Nor write one: a person pushed by a locked session is refused whole, and nothing is written.
    const villageId = sqlite(server.database, "SELECT village_id FROM account_villages a JOIN accounts c ON c.id = a.account_id WHERE c.login = 'demo.inspector' LIMIT 1")[0][0];
    const writer = device();
    const before = Number(sqlite(server.database, "SELECT COUNT(*) FROM persons")[0][0]);
    const written = await push(server.url, phone.cookie, writer.id, [writer.mutation("person", "create", crypto.randomUUID(), person(villageId, "Запертый Телефон"))]);
    assert.equal(written.status, 401);
    assert.equal(Number(sqlite(server.database, "SELECT COUNT(*) FROM persons")[0][0]), before);
    // Once the password was typed longer ago than the window, the session cannot put a key of
    // its own in place, locked or not.
    sqliteWrite(server.database, `UPDATE sessions SET created_at = created_at - 60 WHERE device_id = '${phone.browser}'`);
    const planted = await post(server.url, "/api/v1/sync/unlock/key", phone.cookie, { device_id: id, key: "77".repeat(32) });
    assert.equal(planted.status, 401);
    assert.equal((await json(planted)).error, SIGN_IN_AGAIN);
    // The right proof unlocks it; the records stream never needed one.
    const right = await prove(server.url, phone.cookie, id, key);
    assert.equal(right.registered, true);
    assert.equal(right.res.status, 200);
    assert.equal((await sensitivePull(server.url, phone.cookie)).status, 200);
    assert.equal((await callFn(server.url, "list_persons", {}, { cookie: phone.cookie })).status, 200);
    // A request made behind the lock screen ends the unlock too.
    assert.equal((await sensitivePull(server.url, phone.cookie, { "x-zq-lock": "locked" })).status, 401);
    assert.equal((await sensitivePull(server.url, phone.cookie)).status, 401);
    // A nonce is used once: the same proof sent again (a replay) unlocks nothing, and a proof of
    // a stale nonce is not counted as a wrong one.
    const again = await prove(server.url, phone.cookie, id, key);
    assert.equal(again.res.status, 200);
    await lock(server.url, phone.cookie);
    const proof = createHmac("sha256", Buffer.from(key, "hex")).update(again.nonce).digest("hex");
    const replay = await post(server.url, "/api/v1/sync/unlock", phone.cookie, { device_id: id, nonce: again.nonce, proof });
    assert.equal(replay.status, 503, "asked to try again with a fresh nonce");
    assert.equal((await sensitivePull(server.url, phone.cookie)).status, 401);
    assert.equal(Number(sqlite(server.database, `SELECT unlock_failures FROM devices WHERE id = '${id}'`)[0][0]), 0);
    // The window passes with nothing used: locked again.
    await new Promise((resolve) => setTimeout(resolve, 13_000));
    assert.equal((await sensitivePull(server.url, phone.cookie)).status, 401);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test("wrong proofs are counted on the device; after five even the right one waits for the password", async () => {
    const phone = await signInPhone(server.url);
    const id = device().id;
    const key = "3c".repeat(32);
    await claim(server.url, phone.cookie, id);
    assert.equal((await post(server.url, "/api/v1/sync/unlock/key", phone.cookie, { device_id: id, key })).status, 204);
    await lock(server.url, phone.cookie);
    const answers = [];
    for (let guess = 0; guess < 5; guess += 1) answers.push((await prove(server.url, phone.cookie, id, guess.toString(16).padStart(2, "0").repeat(32))).res.status);
    assert.deepEqual(answers, [401, 401, 401, 401, 401]);
    const right = await prove(server.url, phone.cookie, id, key);
    assert.equal(right.res.status, 401);
    assert.equal((await json(right.res)).error, SIGN_IN_AGAIN);
    assert.equal((await sensitivePull(server.url, phone.cookie)).status, 401);
    // The password typed again (a new sign-in on the same browser) registers the key anew.
    const again = await signInPhone(server.url, "demo.inspector", { cookie: phone.cookie });
    assert.equal(again.browser, phone.browser);
    assert.equal((await post(server.url, "/api/v1/sync/unlock/key", again.cookie, { device_id: id, key })).status, 204);
    await lock(server.url, again.cookie);
    assert.equal((await prove(server.url, again.cookie, id, key)).res.status, 200);
    assert.equal((await sensitivePull(server.url, again.cookie)).status, 200);
  });

  test("a request behind the lock screen is not the person's activity", async () => {
    const phone = await signInPhone(server.url);
    const hash = () => sqlite(server.database, `SELECT last_seen_at FROM sessions WHERE device_id = '${phone.browser}'`)[0][0];
    const back = Math.floor(Date.now() / 1000) - 600;
    sqliteWrite(server.database, `UPDATE sessions SET last_seen_at = ${back} WHERE device_id = '${phone.browser}'`);
    // Fifty background syncs of a locked app: the session's idle time runs on.
    const background = [];
    for (let i = 0; i < 50; i += 1) background.push(fetch(`${server.url}/api/v1/sync/pull?since=0&stream=records`, { headers: { ...APP_HEADER, cookie: phone.cookie, "x-zq-lock": "locked" } }));
    for (const res of await Promise.all(background)) assert.equal(res.status, 200);
    assert.equal(Number(hash()), back);
    // The app in use moves it.
    assert.equal((await fetch(`${server.url}/api/v1/sync/pull?since=0&stream=records`, { headers: { ...APP_HEADER, cookie: phone.cookie } })).status, 200);
    assert.ok(Number(hash()) > back);
  });

  test("a device revoked after its sessions ended is told on every request, and the answer keeps saying so", async () => {
    const phone = await signInPhone(server.url);
    // Retention drops idle sessions; then the admin revokes the phone.
    sqliteWrite(server.database, `DELETE FROM sessions WHERE device_id = '${phone.browser}'`);
    assert.equal((await callFn(server.url, "admin/revoke_device", { device_id: phone.browser }, { cookie: admin })).status, 200);
    const rude = [];
    for (let i = 0; i < 50; i += 1) {
      const path = ["/api/v1/sync/pull?since=0&stream=records", "/api/v1/sync/push", "/api/current_profile"][i % 3];
      const method = i % 3 === 0 ? "GET" : "POST";
      const body = i % 3 === 1 ? JSON.stringify({ device_id: device().id, mutations: [] }) : i % 3 === 2 ? "" : undefined;
      rude.push(fetch(`${server.url}${path}`, { method, body, headers: { ...APP_HEADER, cookie: phone.cookie, "content-type": i % 3 === 2 ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json" } }));
    }
    for (const res of await Promise.all(rude)) {
      assert.equal(res.status, 403);
      assert.equal((await json(res)).error, REVOKED);
      // The cookies that let the device learn it stay.
      assert.ok(!res.headers.getSetCookie().some((c) => /^(zq_session|zq_device)=;/.test(c)), "no cookie deleted");
    }
    const page = await fetch(`${server.url}/`, { headers: { cookie: phone.cookie }, redirect: "manual" });
    assert.equal(page.status, 303);
    assert.match(page.headers.get("location"), /revoked=1/);
    // The wiped phone signs in again, as a new device.
    const again = await signInPhone(server.url, "demo.inspector", { cookie: phone.cookie });
    assert.notEqual(again.browser, phone.browser);
    assert.equal((await sensitivePull(server.url, again.cookie)).status, 200);
  });

  for (const [what, change] of [
    ["disabling the account", (id) => [["admin/set_account_enabled", { account_id: id, enabled: "false" }], ["admin/set_account_enabled", { account_id: id, enabled: "true" }]]],
    ["resetting its password", (id) => [["admin/reset_password", { account_id: id, new_password: DEMO_PASSWORD }]]],
  ]) {
    test(`${what} revokes every device of the account`, async () => {
      const phone = await signInPhone(server.url, "demo.elder");
      const tablet = await signInPhone(server.url, "demo.elder");
      const id = sqlite(server.database, "SELECT id FROM accounts WHERE login = 'demo.elder'")[0][0];
      for (const [name, fields] of change(id)) assert.equal((await callFn(server.url, name, fields, { cookie: admin })).status, 200);
      for (const held of [phone, tablet]) {
        const res = await fetch(`${server.url}/api/v1/sync/reference`, { headers: { ...APP_HEADER, cookie: held.cookie } });
        assert.equal(res.status, 403, "told, although its session ended with the change");
        assert.equal((await json(res)).error, REVOKED);
      }
      const fresh = await signInPhone(server.url, "demo.elder", { cookie: phone.cookie });
      assert.notEqual(fresh.browser, phone.browser);
      assert.equal((await fetch(`${server.url}/api/v1/sync/reference`, { headers: { ...APP_HEADER, cookie: fresh.cookie } })).status, 200);
    });
  }

  test("a device that wiped itself ends its session at its next request, and can sign in again at once", async () => {
    const phone = await signInPhone(server.url);
    const wiped = `${phone.cookie}; zq_signed_out=1`;
    const res = await fetch(`${server.url}/api/v1/sync/reference`, { headers: { ...APP_HEADER, cookie: wiped } });
    assert.equal(res.status, 401);
    assert.ok(res.headers.getSetCookie().some((c) => c.startsWith("zq_signed_out=;")), "the mark is taken back");
    // The session is gone: the next person online is not signed in as the owner.
    const page = await fetch(`${server.url}/`, { headers: { cookie: phone.cookie }, redirect: "manual" });
    assert.equal(page.status, 303);
    assert.match(page.headers.get("location"), /^\/sign-in/);
    const audited = sqlite(server.database, `SELECT count(*) FROM audit_events WHERE action = 'sign_out' AND detail = 'wiped on the device'`)[0][0];
    assert.equal(Number(audited), 1);
    // Signing in while the mark is still set (the wipe happened offline) works.
    const again = await callFn(server.url, "sign_in", { login: "demo.inspector", password: DEMO_PASSWORD }, { cookie: wiped });
    assert.equal(again.status, 200);
    const cookie = cookiesFrom(again);
    assert.match(cookie, /zq_session=/);
    assert.equal((await fetch(`${server.url}/api/v1/sync/reference`, { headers: { ...APP_HEADER, cookie } })).status, 200);
  });
});
