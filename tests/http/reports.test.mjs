// Issue 15 against the real server and its SQLite file: the reports' reach by role, the
// figures checked against the database, CSV and XLSX parsed back, exports audited, program
// membership and monthly closing with their refusals.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readCsv, readXlsx } from "../support/tables.mjs";
import { callFn, signIn, sqlite, sqliteWrite, startServer } from "../support/server.mjs";

const one = (db, sql) => sqlite(db, sql)[0]?.[0];
const monthsBetween = (a, b) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));

describe("program results", () => {
  let server, coordinator, supervisor, inspector, chair, elder, admin;
  before(async () => {
    server = await startServer();
    [coordinator, supervisor, inspector, chair, elder, admin] = await Promise.all(
      ["demo.coordinator", "demo.supervisor", "demo.inspector", "demo.chair", "demo.elder", "demo.admin"].map((login) =>
        signIn(server.url, login),
      ),
    );
  });
  after(async () => server.dispose());

  const overview = async (cookie, district) => {
    const res = await callFn(server.url, "reports/overview", district ? { district } : {}, { cookie });
    return { status: res.status, body: await res.json() };
  };
  const villageId = (name) => one(server.database, `SELECT id FROM villages WHERE name_ru = '${name}'`);
  const download = async (cookie, path) => {
    const res = await fetch(`${server.url}/api/v1/reports/${path}`, { headers: { cookie } });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  test("the coordinator reads every village; each row's figures are the database's", async () => {
    const { status, body } = await overview(coordinator);
    assert.equal(status, 200);
    const villages = Number(one(server.database, "SELECT COUNT(*) FROM villages"));
    assert.equal(body.rows.length, villages, "13 program villages and the demo comparison villages");
    assert.ok(body.rows.some((r) => r.status === "NotJoined"), "comparison villages are listed");
    for (const row of body.rows) {
      const counted = Number(
        one(
          server.database,
          `SELECT COUNT(*) FROM offences WHERE village_id = '${row.village_id}' AND substr(occurred_at, 1, 7) BETWEEN '${body.first_month}' AND '${body.last_month}'`,
        ),
      );
      assert.equal(row.offences, counted, `offences of ${row.village.ru}`);
      // Months are due from the joining month on; none outside the program.
      const from = row.joined_on && row.joined_on.slice(0, 7) > body.first_month ? row.joined_on.slice(0, 7) : body.first_month;
      const due = row.status === "NotJoined" ? 0 : 12 - monthsBetween(body.first_month, from);
      const closed = Number(
        one(
          server.database,
          `SELECT COUNT(*) FROM month_closings WHERE village_id = '${row.village_id}' AND month BETWEEN '${from}' AND '${body.last_month}'`,
        ),
      );
      assert.deepEqual(row.completeness, { reported: row.status === "NotJoined" ? 0 : closed, expected: due });
      // The bulletin's month: the last of the 12, and the same month a year before.
      const yearBefore = `${Number(body.last_month.slice(0, 4)) - 1}${body.last_month.slice(4)}`;
      const inMonth = (month) =>
        Number(one(server.database, `SELECT COUNT(*) FROM offences WHERE village_id = '${row.village_id}' AND substr(occurred_at, 1, 7) = '${month}'`));
      const lastClosed = Number(
        one(server.database, `SELECT COUNT(*) FROM month_closings WHERE village_id = '${row.village_id}' AND month = '${body.last_month}'`),
      );
      assert.deepEqual(row.last_month, {
        offences: inMonth(body.last_month),
        year_before: inMonth(yearBefore),
        reported: due > 0 ? lastClosed === 1 : null,
      });
      if (row.population && row.offences > 0) {
        const rate = (row.offences / row.population) * 1000;
        assert.ok(Math.abs(row.rate.per_1000 - rate) < 1e-9);
        assert.ok(row.rate.lower < rate && rate < row.rate.upper, "the interval holds the rate");
      }
    }
    const pilot = body.rows.find((r) => r.village.ru === "Шуйское");
    assert.equal(pilot.offences, 0, "the pilot reported none");
    assert.equal(pilot.completeness.reported, 12, "and closed every month to say so");
    assert.ok(body.funnel.points.length >= villages - 1 && body.funnel.limits.length > 10);
    assert.ok(body.effect.villages >= 12 && body.effect.comparison_villages >= 1);
    assert.ok(body.effect.estimate.ratio > 0 && body.effect.estimate.lower < body.effect.estimate.upper);
  });

  test("each role reads only its reach; a council member reads none; a guessed village is not found", async () => {
    const atbasar = one(server.database, "SELECT id FROM districts WHERE name_ru = 'Атбасарский район'");
    const inAtbasar = Number(one(server.database, `SELECT COUNT(*) FROM villages WHERE district_id = '${atbasar}'`));
    const district = await overview(supervisor);
    assert.equal(district.body.rows.length, inAtbasar);
    assert.ok(district.body.rows.every((r) => r.district_id === atbasar));
    assert.deepEqual(district.body.districts.map(([id]) => id), [atbasar]);
    // Another district's id in the filter gives nothing, not that district.
    const other = one(server.database, `SELECT id FROM districts WHERE id <> '${atbasar}' LIMIT 1`);
    assert.equal((await overview(supervisor, other)).body.rows.length, 0);
    assert.equal((await overview(coordinator, other)).body.rows.every((r) => r.district_id === other), true);
    const mine = await overview(inspector);
    assert.deepEqual(mine.body.rows.map((r) => r.village.ru).sort(), ["Бастау", "Покровка", "Сепе", "Шуйское"]);
    const chairs = await overview(chair);
    assert.deepEqual(chairs.body.rows.map((r) => r.village.ru), ["Шуйское"]);
    assert.equal((await overview(elder)).status, 403);
    const far = villageId("Юбилейное");
    const trend = await callFn(server.url, "reports/trend", { village_id: far }, { cookie: inspector });
    assert.equal(trend.status, 404);
    const own = await callFn(server.url, "reports/trend", { village_id: villageId("Сепе") }, { cookie: inspector });
    assert.equal(own.status, 200);
    const body = await own.json();
    assert.equal(body.months.length, 24);
    assert.ok(body.limits.upper >= body.limits.centre);
    const signedOut = await fetch(`${server.url}/api/v1/reports/overview.csv`);
    assert.equal(signedOut.status, 401);
  });

  test("the monthly bulletin of a district is its villages only, and names no person", async () => {
    const atbasar = one(server.database, "SELECT id FROM districts WHERE name_ru = 'Атбасарский район'");
    const res = await fetch(`${server.url}/reports/bulletin`, { headers: { cookie: supervisor } });
    assert.equal(res.status, 200);
    const html = await res.text();
    const { body } = await overview(supervisor);
    const shown = [...html.matchAll(/<tr data-village="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    assert.deepEqual(shown.sort(), body.rows.map((r) => r.village_id).sort());
    const inDistrict = sqlite(server.database, `SELECT id FROM villages WHERE district_id = '${atbasar}'`).map(([id]) => id);
    assert.deepEqual(shown.sort(), inDistrict.sort(), "the supervisor's district, every village of it");
    const area = html.match(/id="bulletin-area"[^>]*>(?:<!--[^>]*-->)*([^<]+)</)[1];
    assert.equal(area, "Атбасарский район", "titled with his district, not the region");
    const month = Number(html.match(/data-figure="month"[^>]*>(\d+)</)[1]);
    assert.equal(month, body.rows.reduce((sum, r) => sum + r.last_month.offences, 0));
    for (const [name] of sqlite(server.database, "SELECT full_name FROM persons")) assert.ok(!html.includes(name), `names ${name}`);
    const elderPage = await fetch(`${server.url}/reports/bulletin`, { headers: { cookie: elder } });
    assert.ok(!(await elderPage.text()).includes('id="bulletin-figures"'), "a council member gets no bulletin");
  });

  test("the themes export counts each category and kind month by month, as the database does", async () => {
    const { body } = await overview(supervisor);
    const csv = await download(supervisor, "themes.csv?lang=en");
    assert.equal(csv.res.status, 200);
    const [headers, ...rows] = readCsv(csv.bytes.subarray(3).toString("utf8"));
    assert.deepEqual(headers.slice(0, 3), ["Category", "Kind", "12 months"]);
    const months = headers.slice(3);
    assert.equal(months.length, 12);
    assert.equal(months[0], body.first_month);
    assert.equal(months[11], body.last_month);
    const villages = body.rows.map((r) => `'${r.village_id}'`).join(",");
    const counted = sqlite(
      server.database,
      `SELECT category, kind, substr(occurred_at, 1, 7), COUNT(*) FROM offences WHERE village_id IN (${villages}) ` +
        `AND substr(occurred_at, 1, 7) BETWEEN '${body.first_month}' AND '${body.last_month}' GROUP BY 1, 2, 3`,
    );
    assert.ok(counted.length > 0, "the demo has offences in the supervisor's district");
    // The export names categories and kinds in English; the overview's JSON keeps the codes in
    // the same order (most frequent first), so the pairs are matched through it.
    const pairs = body.themes.flatMap((t) =>
      [["administrative", t.administrative], ["criminal", t.criminal]].filter(([, n]) => n > 0).map(([kind]) => [t.category, kind]),
    );
    assert.equal(rows.length, pairs.length, "a row per category and kind that had offences");
    rows.forEach((row, i) => {
      const [category, kind] = pairs[i];
      assert.equal(row[1], kind === "criminal" ? "Criminal" : "Administrative");
      months.forEach((month, m) => {
        const hit = counted.find(([c, k, mo]) => c === category && k === kind && mo === month);
        assert.equal(Number(row[3 + m]), hit ? Number(hit[3]) : 0, `${category} ${kind} ${month}`);
      });
      assert.equal(Number(row[2]), row.slice(3).reduce((sum, n) => sum + Number(n), 0), "the sum of its months");
    });
  });

  test("no report or export names a person", async () => {
    const names = sqlite(server.database, "SELECT full_name FROM persons").map(([n]) => n);
    assert.ok(names.length > 0);
    const texts = [
      JSON.stringify((await overview(coordinator)).body),
      JSON.stringify((await overview(chair)).body),
      (await download(coordinator, "overview.csv")).bytes.toString("utf8"),
      (await download(coordinator, "themes.csv")).bytes.toString("utf8"),
      JSON.stringify(readXlsx((await download(chair, "overview.xlsx")).bytes)),
    ];
    for (const text of texts) for (const name of names) assert.ok(!text.includes(name), `a report names ${name}`);
  });

  test("CSV and XLSX carry the page's rows in the reader's language, and every download is audited", async () => {
    const audited = () => Number(one(server.database, "SELECT COUNT(*) FROM audit_events WHERE action = 'export'"));
    const before = audited();
    const page = (await overview(supervisor)).body;
    const csv = await download(supervisor, "overview.csv?lang=ru");
    assert.equal(csv.res.status, 200);
    assert.match(csv.res.headers.get("content-type"), /^text\/csv/);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with a byte order mark");
    const rows = readCsv(csv.bytes.subarray(3).toString("utf8"));
    assert.equal(rows[0][0], "Село");
    assert.equal(rows.length, page.rows.length + 1);
    const sepe = rows.find((r) => r[0] === "Сепе");
    assert.equal(Number(sepe[4]), page.rows.find((r) => r.village.ru === "Сепе").offences);
    assert.match(csv.res.headers.get("content-disposition"), /filename\*=UTF-8''%D0%BE/);

    const kk = await download(supervisor, "overview.xlsx?lang=kk");
    assert.equal(kk.res.status, 200);
    const sheet = readXlsx(kk.bytes);
    assert.equal(sheet[0][0], "Ауыл");
    assert.equal(sheet.length, page.rows.length + 1);
    const sepeXlsx = sheet.find((r) => r[0] === "Сепе");
    assert.equal(Number(sepeXlsx[4]), page.rows.find((r) => r.village.ru === "Сепе").offences);

    const trend = await download(inspector, `villages/${villageId("Сепе")}/trend.csv?lang=en`);
    assert.equal(trend.res.status, 200);
    const trendRows = readCsv(trend.bytes.subarray(3).toString("utf8"));
    assert.equal(trendRows[0][0], "Month");
    assert.equal(trendRows.length, 25);
    assert.equal((await download(inspector, `villages/${villageId("Юбилейное")}/trend.csv`)).res.status, 404);
    assert.equal((await download(elder, "overview.csv")).res.status, 403);
    assert.equal((await download(supervisor, "overview.pdf")).res.status, 404);
    assert.equal(audited(), before + 3, "the three downloads given, not the refused ones");
  });

  test("the coordinator keeps membership; others may not; bad figures change nothing", async () => {
    const sepe = villageId("Сепе");
    const form = (extra = {}) => ({
      "form[village_id]": sepe,
      "form[status]": "joined",
      "form[joined_on]": "2025-02-10",
      "form[left_on]": "",
      "form[population]": "1 320",
      "form[households]": "365",
      "form[source]": "Акимат сельского округа",
      "form[year]": "2025",
      ...extra,
    });
    const saved = await callFn(server.url, "reports/save_membership", form(), { cookie: coordinator });
    assert.equal(saved.status, 200, await saved.text());
    assert.deepEqual(
      sqlite(server.database, `SELECT joined_on, population, households, population_source, population_year, membership_demo FROM villages WHERE id = '${sepe}'`)[0],
      ["2025-02-10", 1320, 365, "Акимат сельского округа", 2025, 0],
    );
    assert.equal(
      Number(one(server.database, `SELECT COUNT(*) FROM audit_events WHERE entity = 'village_membership' AND record_id = '${sepe}'`)),
      1,
    );
    const row = (await overview(coordinator)).body.rows.find((r) => r.village_id === sepe);
    assert.equal(row.population, 1320);
    const refused = await callFn(server.url, "reports/save_membership", form({ "form[households]": "5000" }), { cookie: coordinator });
    assert.equal(refused.status, 422);
    assert.equal(Number(one(server.database, `SELECT households FROM villages WHERE id = '${sepe}'`)), 365);
    const future = await callFn(server.url, "reports/save_membership", form({ "form[joined_on]": "2099-01-01" }), { cookie: admin });
    assert.equal(future.status, 422);
    for (const cookie of [supervisor, inspector]) {
      const res = await callFn(server.url, "reports/save_membership", form({ "form[population]": "9" }), { cookie });
      assert.equal(res.status, 403);
    }
    const list = await callFn(server.url, "reports/membership", {}, { cookie: inspector });
    assert.equal(list.status, 403);
    assert.equal(Number(one(server.database, `SELECT population FROM villages WHERE id = '${sepe}'`)), 1320);
  });

  test("the inspector closes an ended month once, in his villages only", async () => {
    // Months are the region's (UTC+5): read the clock there.
    const now = new Date(Date.now() + 5 * 3_600_000);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const current = now.toISOString().slice(0, 7);
    const pokrovka = villageId("Покровка");
    const close = (cookie, village_id, month) => callFn(server.url, "reports/close_month", { village_id, month }, { cookie });
    // The demo leaves about one month in seven open; start from a clean slate for this one.
    sqliteWrite(server.database, `DELETE FROM month_closings WHERE village_id = '${pokrovka}' AND month = '${last}'`);
    const recorded = Number(
      one(server.database, `SELECT COUNT(*) FROM offences WHERE village_id = '${pokrovka}' AND substr(occurred_at, 1, 7) = '${last}'`),
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => close(inspector, pokrovka, last)));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.deepEqual(
      sqlite(server.database, `SELECT offences FROM month_closings WHERE village_id = '${pokrovka}' AND month = '${last}'`),
      [[recorded]],
      "five parallel closings make one report",
    );
    assert.equal(
      Number(one(server.database, `SELECT COUNT(*) FROM audit_events WHERE entity = 'month_closing' AND record_id = '${pokrovka}/${last}'`)),
      1,
    );
    assert.equal((await close(inspector, pokrovka, current)).status, 422, "the month has not ended");
    assert.equal((await close(inspector, pokrovka, "2026-1")).status, 422);
    assert.equal((await close(inspector, villageId("Юбилейное"), last)).status, 404, "not his village");
    assert.equal((await close(chair, villageId("Шуйское"), last)).status, 404, "a chair records no offences");
  });
});
