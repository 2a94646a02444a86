// Councils and their members kept in the app (issue 20): they travel through sync like any
// record, are written only by those who keep the council and only in their villages, are
// checked by the same rules as the form, audited, and hold for many devices at once.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { SERVER_BIN, signIn, sqlite, startServer, tempDir, freshDatabase } from "../support/server.mjs";
import { device, newId, pullAll, push, reference } from "../support/sync.mjs";

const count = (db, sql) => sqlite(db, sql)[0][0];

const member = (villageId, fullName, extra = {}) => ({
  village_id: villageId,
  full_name: fullName,
  role: "elder",
  phone: null,
  since: "2025-09-01",
  left_on: null,
  ...extra,
});

describe("council members through sync (demo data)", () => {
  let server, inspector, chair, elder, supervisor, villages;
  before(async () => {
    // One account stands in for fifty phones here: its request budget is raised to match.
    server = await startServer({ args: ["--api-burst", "2000"] });
    [inspector, chair, elder, supervisor] = await Promise.all(
      ["demo.inspector", "demo.chair", "demo.elder", "demo.supervisor"].map((login) => signIn(server.url, login)),
    );
    villages = (await reference(server.url, inspector)).villages;
  });
  after(async () => server.dispose());
  const village = (name) => villages.find((v) => v.name.ru === name).id;

  test("the inspector adds a member; the phone is stored as +77…, the change is audited and reaches the chair", async () => {
    const phone = device();
    const id = newId();
    const res = await push(server.url, inspector, phone.id, [
      phone.mutation("member", "create", id, member(village("Шуйское"), "Ерлан Сейітов", { phone: "8 (701) 555-12-34" })),
    ]);
    assert.equal(res.status, 200);
    assert.equal(res.body.answers[0].status, "applied", JSON.stringify(res.body));
    const [[name, stored, council]] = sqlite(
      server.database,
      `SELECT m.full_name, m.phone, c.village_id FROM council_members m JOIN councils c ON c.id = m.council_id WHERE m.id = '${id}'`,
    );
    assert.deepEqual([name, stored, council], ["Ерлан Сейітов", "+77015551234", village("Шуйское")]);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM audit_events WHERE entity = 'member' AND record_id = '${id}' AND action = 'create'`), 1);
    const seen = (await pullAll(server.url, chair)).changes.find((c) => c.entity === "member" && c.record_id === id);
    assert.equal(seen?.record?.phone, "+77015551234");
    assert.equal(seen.record.village_id, village("Шуйское"));
  });

  test("a phone that is not Kazakh, an empty name and an unknown role are refused with the field", async () => {
    const phone = device();
    const res = await push(server.url, inspector, phone.id, [
      phone.mutation("member", "create", newId(), member(village("Сепе"), "Иван Петров", { phone: "+7 916 123 45 67" })),
      phone.mutation("member", "create", newId(), member(village("Сепе"), "   ")),
      phone.mutation("member", "create", newId(), member(village("Сепе"), "Бауыржан", { role: "boss" })),
    ]);
    assert.deepEqual(
      res.body.answers.map((a) => a.reason),
      [
        { code: "invalid", field: "phone", rule: { rule: "not_a_phone" } },
        { code: "invalid", field: "full_name", rule: { rule: "required" } },
        { code: "invalid", field: "role", rule: { rule: "unknown_choice" } },
      ],
    );
    assert.equal(count(server.database, "SELECT COUNT(*) FROM council_members WHERE full_name IN ('Иван Петров', 'Бауыржан')"), 0);
  });

  test("roles that do not keep the council, and other villages' councils, are refused", async () => {
    const shuyskoe = village("Шуйское");
    const sepe = village("Сепе");
    const sepeMember = sqlite(
      server.database,
      `SELECT m.id, m.version FROM council_members m JOIN councils c ON c.id = m.council_id WHERE c.village_id = '${sepe}' LIMIT 1`,
    )[0];
    const cases = [
      [elder, "create", newId(), member(shuyskoe, "Элдер Қосқан"), undefined, "forbidden"],
      [supervisor, "create", newId(), member(sepe, "Супервайзер Қосқан"), undefined, "forbidden"],
      // The chair of Шуйское guesses the id of a Сепе member: as if it did not exist.
      [chair, "update", sepeMember[0], member(sepe, "Ауыстырылған"), sepeMember[1], "not_found"],
      [chair, "create", newId(), member(sepe, "Басқа ауылдан"), undefined, "forbidden"],
    ];
    for (const [cookie, op, id, payload, base, code] of cases) {
      const phone = device();
      const res = await push(server.url, cookie, phone.id, [phone.mutation("member", op, id, payload, base)]);
      assert.equal(res.status, 200);
      assert.equal(res.body.answers[0].reason?.code, code, `${op} ${payload.full_name}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(count(server.database, `SELECT COUNT(*) FROM council_members WHERE id = '${sepeMember[0]}' AND version = ${sepeMember[1]}`), 1);
    assert.equal(count(server.database, "SELECT COUNT(*) FROM council_members WHERE full_name LIKE '%Қосқан' OR full_name = 'Басқа ауылдан'"), 0);
    // The chair of Шуйское never receives another village's members.
    const pulled = (await pullAll(server.url, chair)).changes.filter((c) => c.entity === "member" && c.record);
    assert.ok(pulled.length > 0);
    assert.ok(pulled.every((c) => c.record.village_id === shuyskoe), "only Шуйское's members");
  });

  test("a member who leaves is unlinked from his account, audited", async () => {
    const elderMember = sqlite(server.database, "SELECT member_id FROM accounts WHERE login = 'demo.elder'")[0][0];
    const [[version, fullName, role]] = sqlite(server.database, `SELECT version, full_name, role FROM council_members WHERE id = '${elderMember}'`);
    const phone = device();
    const res = await push(server.url, chair, phone.id, [
      phone.mutation("member", "update", elderMember, { ...member(village("Шуйское"), fullName, { role }), left_on: "2026-11-20" }, version),
    ]);
    assert.equal(res.body.answers[0].status, "applied", JSON.stringify(res.body));
    assert.deepEqual(sqlite(server.database, "SELECT member_id FROM accounts WHERE login = 'demo.elder'"), [[null]]);
    assert.equal(count(server.database, "SELECT COUNT(*) FROM audit_events WHERE entity = 'account' AND detail LIKE 'member left%'"), 1);
  });

  test("a member who leaves keeps his record; the same name may then join again", async () => {
    const phone = device();
    const id = newId();
    const draft = member(village("Покровка"), "Ғабит Мүсірепов");
    await push(server.url, inspector, phone.id, [phone.mutation("member", "create", id, draft)]);
    const res = await push(server.url, inspector, phone.id, [
      phone.mutation("member", "update", id, { ...draft, left_on: "2026-11-01" }, 1),
      phone.mutation("member", "create", newId(), draft),
    ]);
    assert.deepEqual(res.body.answers.map((a) => a.status), ["applied", "applied"], JSON.stringify(res.body));
    assert.deepEqual(
      sqlite(server.database, "SELECT left_on FROM council_members WHERE full_name = 'Ғабит Мүсірепов' ORDER BY left_on IS NULL"),
      [["2026-11-01"], [null]],
    );
    const stale = await push(server.url, inspector, phone.id, [phone.mutation("member", "update", id, draft, 1)]);
    assert.equal(stale.body.answers[0].status, "conflict");
    assert.equal(stale.body.answers[0].server_record.left_on, "2026-11-01");
  });

  test("a second council for a village is a conflict with the first", async () => {
    const phone = device();
    const res = await push(server.url, inspector, phone.id, [
      phone.mutation("council", "create", newId(), { village_id: village("Сепе"), formed_on: "2024-02-01" }),
    ]);
    assert.equal(res.body.answers[0].status, "conflict");
    assert.equal(res.body.answers[0].server_record.village_id, village("Сепе"));
    assert.equal(count(server.database, `SELECT COUNT(*) FROM councils WHERE village_id = '${village("Сепе")}'`), 1);
  });

  test("fifty devices adding the same person at once make one member; fifty different people make fifty", async () => {
    const bastau = village("Бастау");
    const same = await Promise.all(
      Array.from({ length: 50 }, () => {
        const phone = device();
        return push(server.url, inspector, phone.id, [phone.mutation("member", "create", newId(), member(bastau, "Абай  ҚҰНАНБАЙҰЛЫ"))]);
      }),
    );
    const statuses = same.map((r) => r.body.answers?.[0]?.status ?? `http ${r.status}`);
    assert.equal(statuses.filter((s) => s === "applied").length, 1, statuses.join());
    assert.equal(statuses.filter((s) => s === "rejected").length, 49, statuses.join());
    assert.ok(same.every((r) => r.status === 200));
    // Kept as the name rule writes it: one space between the words.
    assert.equal(count(server.database, "SELECT COUNT(*) FROM council_members WHERE full_name = 'Абай ҚҰНАНБАЙҰЛЫ'"), 1);

    const ids = Array.from({ length: 50 }, () => newId());
    const many = await Promise.all(
      ids.map((id, n) => {
        const phone = device();
        return push(server.url, inspector, phone.id, [phone.mutation("member", "create", id, member(bastau, `Мүше ${n}`))]);
      }),
    );
    assert.ok(many.every((r) => r.status === 200 && r.body.answers[0].status === "applied"));
    const list = ids.map((id) => `'${id}'`).join(",");
    assert.equal(count(server.database, `SELECT COUNT(*) FROM council_members WHERE id IN (${list})`), 50);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM audit_events WHERE entity = 'member' AND record_id IN (${list})`), 50);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM sync_changes WHERE entity = 'member' AND record_id IN (${list})`), 50);
  });
});

describe("a council formed in a real installation", () => {
  let server, admin;
  before(async () => {
    const dir = tempDir();
    const database = freshDatabase(dir);
    const made = spawnSync(SERVER_BIN, ["--database", database, "create-admin", "--login", "region.admin", "--name", "Әкімші"], {
      encoding: "utf8",
      input: "a long enough password 2026\n",
      env: { ...process.env, ZQ_LOG: "warn" },
    });
    assert.equal(made.status, 0, made.stderr);
    server = await startServer({ dir, database, demo: false });
    admin = await signIn(server.url, "region.admin", "a long enough password 2026");
  });
  after(async () => server.dispose());

  test("the first member of a village makes its council; a formation date is then a correction", async () => {
    assert.equal(count(server.database, "SELECT COUNT(*) FROM councils"), 0);
    const [villageId] = sqlite(server.database, "SELECT id FROM villages ORDER BY name_ru LIMIT 1")[0];
    const phone = device();
    const memberId = newId();
    const res = await push(server.url, admin, phone.id, [
      phone.mutation("member", "create", memberId, member(villageId, "Бірінші Мүше", { role: "chair" })),
    ]);
    assert.equal(res.body.answers[0].status, "applied", JSON.stringify(res.body));
    const [[councilId, formed]] = sqlite(server.database, `SELECT id, formed_on FROM councils WHERE village_id = '${villageId}'`);
    assert.equal(formed, null);
    const council = (await pullAll(server.url, admin)).changes.find((c) => c.entity === "council");
    assert.equal(council.record_id, councilId);
    const dated = await push(server.url, admin, phone.id, [
      phone.mutation("council", "update", councilId, { village_id: villageId, formed_on: "2025-03-15" }, 1),
    ]);
    assert.equal(dated.body.answers[0].status, "applied");
    assert.deepEqual(sqlite(server.database, `SELECT formed_on, version FROM councils WHERE id = '${councilId}'`), [["2025-03-15", 2]]);
    assert.equal(count(server.database, `SELECT COUNT(*) FROM audit_events WHERE entity = 'council' AND record_id = '${councilId}'`), 2);
  });
});
