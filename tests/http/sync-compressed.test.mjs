// Pushes compressed by the browser (README, "Light on a rural phone"): a gzip body is applied
// exactly as the same JSON sent plain; the size limit holds after decompression, so a small
// compressed bomb is refused with 413 and nothing is written; broken gzip or an unknown
// encoding is a translated 422 like any unreadable body; fifty compressed pushes at once leave the server answering.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { signIn, sqlite, startServer } from "../support/server.mjs";
import { device, newId, proposal, pushBody, reference } from "../support/sync.mjs";

const count = (db, sql) => sqlite(db, sql)[0][0];

function pushRaw(url, cookie, body, encoding, language = "en") {
  return pushBody(url, cookie, body, { "accept-language": language, ...(encoding ? { "content-encoding": encoding } : {}) });
}

describe("compressed sync pushes", () => {
  let server, inspector, village;
  before(async () => {
    server = await startServer();
    inspector = await signIn(server.url, "demo.inspector");
    village = (await reference(server.url, inspector)).villages.find((v) => v.name.ru === "Сепе").id;
  });
  after(async () => server.dispose());

  test("a gzip push is applied once, as the same JSON sent plain, and its replay is a duplicate", async () => {
    const phone = device();
    const ids = [newId(), newId(), newId()];
    const mutations = ids.map((id, i) => phone.mutation("proposal", "create", id, proposal(village, i + 1)));
    const json = JSON.stringify({ device_id: phone.id, mutations });
    const compressed = gzipSync(json);
    assert.ok(compressed.length < json.length / 2, `gzip shrinks the batch (${compressed.length} of ${json.length} B)`);
    const first = await pushRaw(server.url, inspector, compressed, "gzip");
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.answers.map((a) => a.status), ["applied", "applied", "applied"]);
    const replay = await pushRaw(server.url, inspector, json, undefined);
    assert.equal(replay.status, 200);
    assert.ok(replay.body.answers.every((a) => a.duplicate === true));
    for (const id of ids) {
      assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`), 1);
    }
  });

  test("a compressed bomb (20 MB of JSON in a few KB) is refused with 413 and writes nothing", async () => {
    const phone = device();
    const id = newId();
    const padding = " ".repeat(20 * 1024 * 1024);
    const json = `{"device_id":"${phone.id}","mutations":[${JSON.stringify(phone.mutation("proposal", "create", id, proposal(village, 9)))}]${padding}}`;
    const bomb = gzipSync(json, { level: 9 });
    assert.ok(bomb.length < 64 * 1024, `the bomb is small on the wire (${bomb.length} B)`);
    const res = await pushRaw(server.url, inspector, bomb, "gzip", "ru");
    assert.equal(res.status, 413);
    assert.equal(typeof res.body.message, "string");
    assert.match(res.body.message, /[А-Яа-я]/, "the refusal is in the reader's language");
    assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`), 0);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  test("broken gzip and an unknown encoding are translated 422s, as any unreadable body", async () => {
    const broken = await pushRaw(server.url, inspector, Buffer.from("not gzip at all"), "gzip");
    assert.equal(broken.status, 422);
    assert.equal(typeof broken.body.message, "string");
    const unknown = await pushRaw(server.url, inspector, gzipSync("{}"), "x-squash");
    assert.equal(unknown.status, 422);
    assert.equal(typeof unknown.body.message, "string");
  });

  test("fifty compressed pushes at once, bombs among them: each answered, the good ones applied", async () => {
    const jobs = [];
    const good = [];
    for (let i = 0; i < 50; i++) {
      const phone = device();
      const id = newId();
      const mutation = phone.mutation("proposal", "create", id, proposal(village, 100 + i));
      if (i % 5 === 0) {
        const json = `{"device_id":"${phone.id}","mutations":[${JSON.stringify(mutation)}]${" ".repeat(4 * 1024 * 1024)}}`;
        jobs.push(pushRaw(server.url, inspector, gzipSync(json), "gzip").then((r) => ({ r, bomb: true, id })));
      } else {
        good.push(id);
        const json = JSON.stringify({ device_id: phone.id, mutations: [mutation] });
        jobs.push(pushRaw(server.url, inspector, gzipSync(json), "gzip").then((r) => ({ r, bomb: false, id })));
      }
    }
    const results = await Promise.all(jobs);
    for (const { r, bomb, id } of results) {
      if (bomb) {
        assert.ok([413, 429].includes(r.status), `bomb answered ${r.status}`);
        assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`), 0);
      } else if (r.status === 200) {
        assert.equal(r.body.answers[0].status, "applied");
      } else {
        // The per-account rate may answer some of fifty at once: "try again", never a failure.
        assert.ok([429, 503].includes(r.status), `status ${r.status}`);
      }
    }
    assert.ok(results.some(({ r, bomb }) => bomb && r.status === 413), "bombs reached the limit");
    const applied = results.filter(({ r, bomb }) => !bomb && r.status === 200).map(({ id }) => id);
    assert.ok(applied.length > 0);
    for (const id of applied) {
      assert.equal(count(server.database, `SELECT COUNT(*) FROM proposals WHERE id = '${id}'`), 1);
    }
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
});
