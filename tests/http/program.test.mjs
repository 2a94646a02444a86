// Issue 5's kinds through the sync contract against the real server and its SQLite file:
// offences (persons, repeats, corrections), visits, proposals under review, meetings and
// decisions, tasks linked to persons; the village's figures and a person's history; each
// with the access policy's refusals and the shared field rules.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { callFn, regionToday, signIn, sqlite, sqliteWrite, startServer } from "../support/server.mjs";
import { device, newId, proposal, pullAll, push, reference, task } from "../support/sync.mjs";

const one = (db, sql) => sqlite(db, sql)[0]?.[0];
// The region's day, as the village page counts its periods (a phone there types the same).
const today = regionToday();

describe("program workflows", () => {
  let server, inspector, elder, chair, akimat, supervisor, villages;
  before(async () => {
    server = await startServer();
    inspector = await signIn(server.url, "demo.inspector");
    elder = await signIn(server.url, "demo.elder");
    chair = await signIn(server.url, "demo.chair");
    akimat = await signIn(server.url, "demo.akimat");
    supervisor = await signIn(server.url, "demo.supervisor");
    villages = (await reference(server.url, inspector)).villages;
  });
  after(async () => server.dispose());
  const village = (name) => villages.find((v) => v.name.ru === name).id;
  const person = (name) => one(server.database, `SELECT id FROM persons WHERE full_name = '${name}'`);
  const send = async (cookie, phone, ...mutations) => {
    const res = await push(server.url, cookie, phone.id, mutations);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.answers;
  };
  const offence = (villageId, persons = [], extra = {}) => ({
    village_id: villageId,
    occurred_on: today,
    category: "public_order",
    kind: "administrative",
    description: "Шу шығарды, көршілерді мазалады 😠",
    register_number: null,
    persons,
    ...extra,
  });
  const results = async (cookie, villageId) => {
    const res = await callFn(server.url, "village_results", { id: villageId }, { cookie });
    assert.equal(res.status, 200);
    return res.json();
  };
  const month = (figures) => figures.periods.find((p) => p.period === "month").tally;

  test("an offence for a person with an offence in the last 12 months counts as a repeat on the village's figures", async () => {
    const sepe = village("Сепе");
    // The real joining dates are not known (seed data leaves them empty); say Сепе joined
    // today, with one offence on the first of this month a year earlier.
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;
    sqliteWrite(server.database, `UPDATE villages SET joined_on = '${today}' WHERE id = '${sepe}'`);
    sqliteWrite(
      server.database,
      `INSERT INTO offences (id, village_id, occurred_at, category, kind, created_at, updated_at) VALUES ('${newId()}', '${sepe}', '${yearAgo}', 'theft', 'criminal', '${today}', '${today}')`,
    );
    const before = await results(inspector, sepe);
    const phone = device();
    const ermek = person("Демо Ермек Сапаров");
    const id = newId();
    const [answer] = await send(inspector, phone, phone.mutation("offence", "create", id, offence(sepe, [ermek])));
    assert.equal(answer.status, "applied");
    assert.equal(one(server.database, `SELECT person_id FROM offence_persons WHERE offence_id = '${id}'`), ermek);
    const after = await results(inspector, sepe);
    assert.equal(month(after.figures).offences, month(before.figures).offences + 1);
    assert.equal(month(after.figures).repeats, month(before.figures).repeats + 1);
    assert.equal(after.figures.days_since_last, 0);
    // Each period is compared with the same stretch a year earlier, before joining.
    assert.equal(after.joined_on, today);
    for (const period of after.figures.periods) {
      assert.ok(period.before, `${period.period} has a period before joining`);
      assert.ok(period.before[0].end < today);
      // The offence of a year ago beside the demo's made-up history of the same days.
      const [{ start, end }, tally] = period.before;
      const counted = Number(
        one(server.database, `SELECT COUNT(*) FROM offences WHERE village_id = '${sepe}' AND substr(occurred_at, 1, 10) BETWEEN '${start}' AND '${end}'`),
      );
      assert.ok(counted >= 1);
      assert.equal(tally.offences, counted, `${period.period}: the offences of a year ago`);
      assert.equal(tally.repeats, 0);
    }
    // An offence by nobody on record is never a repeat.
    const [plain] = await send(inspector, phone, phone.mutation("offence", "create", newId(), offence(sepe)));
    assert.equal(plain.status, "applied");
    const third = await results(inspector, sepe);
    assert.equal(month(third.figures).offences, month(after.figures).offences + 1);
    assert.equal(month(third.figures).repeats, month(after.figures).repeats);
    // Council members see the figures (counts only), not the offences themselves.
    const shuiskoe = await results(elder, village("Шуйское"));
    assert.equal(shuiskoe.figures.periods.length, 3);
    const pulled = await pullAll(server.url, elder);
    assert.equal(pulled.changes.filter((c) => c.entity === "offence").length, 0);
    const inspectorPull = await pullAll(server.url, inspector);
    const mine = inspectorPull.changes.find((c) => c.record_id === id);
    assert.deepEqual(mine.record.persons, [ermek]);
  });

  test("offences refuse persons out of reach, other roles, future dates and overlong text; odd but valid text is kept", async () => {
    const phone = device();
    const sepe = village("Сепе");
    const elsewhere = person("Демо Руслан Жунусов"); // Максимовка: not the inspector's village
    const tomorrowPlus = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    // Exactly 10,000 characters (code points: an emoji counts one), the most a note may have.
    const kazakh = Array.from("әіңғүұқөһ ӘІҢҒҮҰҚӨҺ 🐎 ".repeat(500)).slice(0, 9_999).join("") + "ә";
    const answers = await send(
      inspector,
      phone,
      phone.mutation("offence", "create", newId(), offence(sepe, [elsewhere])),
      phone.mutation("offence", "create", newId(), offence(sepe, [], { occurred_on: tomorrowPlus })),
      phone.mutation("offence", "create", newId(), offence(sepe, [], { description: "ә".repeat(10_001) })),
      phone.mutation("offence", "create", newId(), offence(sepe, [], { category: "" })),
      phone.mutation("offence", "create", newId(), offence(sepe, [], { description: kazakh })),
    );
    assert.deepEqual(answers.map((a) => a.status), ["rejected", "rejected", "rejected", "rejected", "applied"]);
    assert.deepEqual(answers[0].reason, { code: "invalid", field: "persons", rule: { rule: "unknown_choice" } });
    assert.deepEqual(answers[1].reason.rule, { rule: "in_future" });
    assert.deepEqual(answers[2].reason.rule, { rule: "too_long", max: 10000 });
    assert.deepEqual(answers[3].reason.rule, { rule: "required" });
    const stored = one(server.database, `SELECT length(description) FROM offences WHERE description LIKE 'әіңғүұқөһ%'`);
    assert.equal(stored, 10_000);
    for (const [login, cookie] of [["elder", elder], ["akimat", akimat], ["supervisor", supervisor]]) {
      const other = device();
      const [refused] = await send(cookie, other, other.mutation("offence", "create", newId(), offence(sepe)));
      assert.equal(refused.status, "rejected", login);
      assert.equal(refused.reason.code, "forbidden", login);
    }
  });

  test("an offence is corrected on its current version; a stale correction is a conflict with the server's copy", async () => {
    const phone = device();
    const id = newId();
    const pokrovka = village("Покровка");
    await send(inspector, phone, phone.mutation("offence", "create", id, offence(pokrovka)));
    const [fixed] = await send(inspector, phone, phone.mutation("offence", "update", id, offence(pokrovka, [], { kind: "criminal", category: "theft" }), 1));
    assert.equal(fixed.status, "applied");
    assert.equal(fixed.version, 2);
    const [stale] = await send(inspector, phone, phone.mutation("offence", "update", id, offence(pokrovka, [], { category: "other" }), 1));
    assert.equal(stale.status, "conflict");
    assert.equal(stale.server_record.category, "theft");
    assert.equal(one(server.database, `SELECT category || '/' || kind || '/' || version FROM offences WHERE id = '${id}'`), "theft/criminal/2");
  });

  test("a visit concerns a person or a household; only the inspector records one", async () => {
    const phone = device();
    const sepe = village("Сепе");
    const ermek = person("Демо Ермек Сапаров");
    const visit = (extra) => ({ village_id: sepe, kind: "preventive_talk", visited_on: today, outcome: "Әңгіме өтті", ...extra });
    const answers = await send(
      inspector,
      phone,
      phone.mutation("visit", "create", newId(), visit({ person_id: ermek })),
      phone.mutation("visit", "create", newId(), visit({ household: "ул. Степная, 4" })),
      phone.mutation("visit", "create", newId(), visit({})),
      phone.mutation("visit", "create", newId(), visit({ household: "ул. Степная, 6", lat: 51.81, lon: 68.35 })),
      phone.mutation("visit", "create", newId(), visit({ household: "ул. Степная, 8", lat: 51.81 })),
      phone.mutation("visit", "create", newId(), visit({ household: "ул. Степная, 8", lat: 95, lon: 68.35 })),
    );
    assert.deepEqual(answers.map((a) => a.status), ["applied", "applied", "rejected", "applied", "rejected", "rejected"]);
    assert.deepEqual(answers[2].reason, { code: "invalid", field: "person_id", rule: { rule: "required" } });
    assert.deepEqual(answers[4].reason, { code: "invalid", field: "position", rule: { rule: "required" } });
    assert.equal(answers[5].reason.field, "position");
    assert.equal(one(server.database, "SELECT lat || ',' || lon FROM visits WHERE household = 'ул. Степная, 6'"), "51.81,68.35");
    const chairPhone = device();
    const [refused] = await send(chair, chairPhone, chairPhone.mutation("visit", "create", newId(), visit({ household: "x" })));
    assert.equal(refused.reason.code, "forbidden");
  });

  test("a proposal goes submitted → under review → accepted with an answer → implemented, and no other way", async () => {
    const phone = device();
    const id = newId();
    const shuiskoe = village("Шуйское");
    await send(chair, phone, phone.mutation("proposal", "create", id, proposal(shuiskoe, 77)));
    const review = (status, answer, base) => phone.mutation("proposal", "update", id, { status, answer }, base);
    const answers = await send(
      chair,
      phone,
      review("implemented", null, 1),
      review("under_review", null, 1),
      review("accepted", "  ", 2),
      review("accepted", "Қабылданды: шамдар көктемде қойылады", 2),
      review("implemented", null, 3),
    );
    assert.deepEqual(answers.map((a) => a.status), ["rejected", "applied", "rejected", "applied", "applied"]);
    assert.deepEqual(answers[0].reason, { code: "transition", from: "submitted", to: "implemented" });
    assert.deepEqual(answers[2].reason, { code: "invalid", field: "answer", rule: { rule: "required" } });
    assert.equal(one(server.database, `SELECT status || ' | ' || answer FROM proposals WHERE id = '${id}'`), "implemented | Қабылданды: шамдар көктемде қойылады");
    const elderPhone = device();
    const [refused] = await send(elder, elderPhone, elderPhone.mutation("proposal", "update", id, { status: "implemented", answer: null }, 4));
    assert.equal(refused.reason.code, "forbidden");
  });

  test("a meeting with its minutes and a decision taken at it; a decision cannot point at another village's meeting", async () => {
    const phone = device();
    const shuiskoe = village("Шуйское");
    const meetingId = newId();
    const meeting = { village_id: shuiskoe, held_on: today, attendees: "7 мүше, әкім", agenda: "1. Мал жаю" };
    const decision = (villageId, extra) => ({ village_id: villageId, meeting_id: meetingId, body: "Ауыл — алкогольсіз ауыл", effective_on: "2027-01-01", ...extra });
    const answers = await send(
      chair,
      phone,
      phone.mutation("meeting", "create", meetingId, meeting),
      phone.mutation("meeting", "update", meetingId, { ...meeting, minutes: "Шешілді: алкоголь сатылмайды" }, 1),
      phone.mutation("decision", "create", newId(), decision(shuiskoe)),
    );
    assert.deepEqual(answers.map((a) => a.status), ["applied", "applied", "applied"]);
    assert.equal(one(server.database, `SELECT minutes FROM meetings WHERE id = '${meetingId}'`), "Шешілді: алкоголь сатылмайды");
    const inspectorPhone = device();
    const [wrong] = await send(inspector, inspectorPhone, inspectorPhone.mutation("decision", "create", newId(), decision(village("Сепе"))));
    assert.deepEqual(wrong.reason, { code: "invalid", field: "meeting_id", rule: { rule: "unknown_choice" } });
    const shown = await results(elder, shuiskoe);
    assert.ok(shown.decisions.some((d) => d.body === "Ауыл — алкогольсіз ауыл" && d.effective_on === "2027-01-01"));
    const pulled = await pullAll(server.url, elder);
    assert.ok(pulled.changes.some((c) => c.entity === "meeting" && c.record_id === meetingId));
    const elderPhone = device();
    const [refused] = await send(elder, elderPhone, elderPhone.mutation("meeting", "create", newId(), meeting));
    assert.equal(refused.reason.code, "forbidden");
  });

  test("a task can concern a person and a household; the person's history shows it, with offences (repeats marked) and visits, and the read is audited", async () => {
    const phone = device();
    const sepe = village("Сепе");
    const ermek = person("Демо Ермек Сапаров");
    const taskId = newId();
    const [answer] = await send(inspector, phone, phone.mutation("task", "create", taskId, { ...task(sepe, 5), person_id: ermek, household: "ул. Степная, 4" }));
    assert.equal(answer.status, "applied");
    const res = await callFn(server.url, "get_person_history", { id: ermek }, { cookie: inspector });
    assert.equal(res.status, 200);
    const history = await res.json();
    assert.ok(history.tasks.some((t) => t.id === taskId && t.household === "ул. Степная, 4"));
    assert.ok(history.offences.length >= 3, "demo offences and the one recorded above");
    // Newest first; the oldest (200 days ago, nothing before it) is the only one not a repeat.
    assert.deepEqual(history.offences.map(([, repeat]) => repeat), [...Array(history.offences.length - 1).fill(true), false]);
    assert.ok(history.visits.length >= 1);
    assert.equal(one(server.database, `SELECT COUNT(*) FROM audit_events WHERE record_id = '${ermek}' AND detail = 'history' AND action = 'read'`), 1);
    const refused = await callFn(server.url, "get_person_history", { id: ermek }, { cookie: elder });
    assert.equal(refused.status, 404);
    const [outOfReach] = await send(inspector, phone, phone.mutation("task", "create", newId(), { ...task(sepe, 6), person_id: person("Демо Руслан Жунусов") }));
    assert.deepEqual(outOfReach.reason, { code: "invalid", field: "person_id", rule: { rule: "unknown_choice" } });
  });

  test("a person of attention is recorded and corrected by the inspector only, every write audited, and travels only in the sensitive stream", async () => {
    const phone = device();
    const sepe = village("Сепе");
    const id = newId();
    const person = (extra) => ({
      village_id: sepe,
      full_name: "Демо Әлібек Сейтқали",
      birth_year: 1995,
      household: "ул. Степная, 9",
      categories: ["public_order_violator", "preventive_register"],
      register_basis: "parole",
      status: "active",
      note: "Жұмыссыз, ішімдікке әуес",
      ...extra,
    });
    const answers = await send(
      inspector,
      phone,
      phone.mutation("person", "create", id, person({})),
      phone.mutation("person", "create", newId(), person({ register_basis: null })),
      phone.mutation("person", "create", newId(), person({ birth_year: 2999 })),
      phone.mutation("person", "update", id, person({ status: "closed" }), 1),
      phone.mutation("person", "update", id, person({ note: "stale" }), 1),
    );
    assert.deepEqual(answers.map((a) => a.status), ["applied", "rejected", "rejected", "applied", "conflict"]);
    assert.deepEqual(answers[1].reason, { code: "invalid", field: "register_basis", rule: { rule: "required" } });
    assert.equal(answers[2].reason.field, "birth_year");
    // The conflict answer names the record and its version, never the person's data.
    assert.deepEqual(answers[4].server_record, { id, version: 2 });
    assert.equal(one(server.database, `SELECT status || ' ' || version || ' ' || register_basis FROM persons WHERE id = '${id}'`), "closed 2 parole");
    const trail = sqlite(server.database, `SELECT action, detail FROM audit_events WHERE entity = 'person' AND record_id = '${id}' AND action IN ('create', 'update') ORDER BY at`);
    assert.deepEqual(trail, [["create", null], ["update", null]]);
    for (const [login, cookie] of [["elder", elder], ["chair", chair], ["supervisor", supervisor]]) {
      const other = device();
      const [refused] = await send(cookie, other, other.mutation("person", "create", newId(), person({})));
      assert.equal(refused.reason.code, "forbidden", login);
    }
    const records = await pullAll(server.url, inspector, { stream: "records" });
    assert.ok(!records.changes.some((c) => c.entity === "person"));
    const sensitive = await pullAll(server.url, inspector, { stream: "sensitive" });
    assert.equal(sensitive.changes.find((c) => c.record_id === id).record.full_name, "Демо Әлібек Сейтқали");
  });

  test("events, visits and decisions are corrected on their current version; a stale copy is a conflict, other roles are refused", async () => {
    const phone = device();
    const sepe = village("Сепе");
    const eventId = newId();
    const visitId = newId();
    const decisionId = newId();
    const theEvent = (extra) => ({ village_id: sepe, kind: "sport", title: "Волейбол", held_on: today, attendance: null, ...extra });
    const theVisit = (extra) => ({ village_id: sepe, household: "ул. Степная, 11", kind: "visit", visited_on: today, ...extra });
    const theDecision = (extra) => ({ village_id: sepe, body: "Мал жаю кестесі", effective_on: null, ...extra });
    const answers = await send(
      inspector,
      phone,
      phone.mutation("event", "create", eventId, theEvent({})),
      phone.mutation("visit", "create", visitId, theVisit({})),
      phone.mutation("decision", "create", decisionId, theDecision({})),
      phone.mutation("event", "update", eventId, theEvent({ attendance: 64 }), 1),
      phone.mutation("visit", "update", visitId, theVisit({ outcome: "Отбасында тыныштық" }), 1),
      phone.mutation("decision", "update", decisionId, theDecision({ effective_on: "2027-03-01" }), 1),
      phone.mutation("event", "update", eventId, theEvent({ attendance: 1 }), 1),
      phone.mutation("visit", "update", visitId, theVisit({ village_id: village("Покровка") }), 2),
    );
    assert.deepEqual(answers.map((a) => a.status), ["applied", "applied", "applied", "applied", "applied", "applied", "conflict", "rejected"]);
    assert.equal(answers[6].server_record.attendance, 64);
    assert.deepEqual(answers[7].reason, { code: "invalid", field: "village_id", rule: { rule: "unknown_choice" } });
    assert.equal(one(server.database, `SELECT attendance || ' ' || version FROM events WHERE id = '${eventId}'`), "64 2");
    assert.equal(one(server.database, `SELECT outcome FROM visits WHERE id = '${visitId}'`), "Отбасында тыныштық");
    assert.equal(one(server.database, `SELECT effective_on FROM decisions WHERE id = '${decisionId}'`), "2027-03-01");
    const akimatPhone = device();
    const [visitRefused] = await send(akimat, akimatPhone, akimatPhone.mutation("visit", "update", visitId, theVisit({}), 2));
    // The akimat may not even read visits: the record is "not found", as a missing id would be.
    assert.equal(visitRefused.reason.code, "not_found");
    const [eventByAkimat] = await send(akimat, akimatPhone, akimatPhone.mutation("event", "update", eventId, theEvent({ attendance: 70 }), 2));
    assert.equal(eventByAkimat.status, "applied", "the akimat of Сепе corrects its events");
  });
});
