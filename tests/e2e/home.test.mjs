// Issue 19: a home page per role, read from the device. Each role's work is checked against
// the database, online and then offline after a reload.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newContext, PHONE, signInWithPin, TABLET, waitForActiveServiceWorker, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";
import { until } from "../support/outbox.mjs";
import { signIn, sqlite } from "../support/server.mjs";
import { device, newId, proposal, push } from "../support/sync.mjs";

const one = (db, sql) => Number(sqlite(db, sql)[0][0]);
const OPEN = "status IN ('new', 'in_progress', 'done')";
// The devices' dates are Akmola's (UTC+5, tests/support/browser.mjs); SQLite's 'now' is UTC.

describe("each role's home page", () => {
  const env = withServerAndBrowser();

  /** A device signed in with the PIN, on its home page; `check` runs online, then offline. */
  async function home(login, viewport, check) {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signInWithPin(page, server.url, login);
    // The home page once more under the service worker, which keeps it for offline use.
    await waitForActiveServiceWorker(page);
    await page.reload();
    await waitForHydration(page);
    await check(page, "online");
    await context.setOffline(true);
    await page.reload();
    await waitForHydration(page);
    await check(page, "offline");
    await context.setOffline(false);
    await context.close();
  }

  const account = (login) => `(SELECT id FROM accounts WHERE login = '${login}')`;
  const villagesOf = (login) => `(SELECT village_id FROM account_villages WHERE account_id = ${account(login)})`;

  test("the inspector: quick actions on the first screen, tasks due this week, latest offences", async () => {
    const db = env.server.database;
    const due = one(
      db,
      `SELECT COUNT(*) FROM tasks WHERE ${OPEN} AND due_on IS NOT NULL AND due_on <= date('now', '+5 hours', '+7 day') AND village_id IN ${villagesOf("demo.inspector")}`,
    );
    const offences = one(db, `SELECT COUNT(*) FROM offences WHERE village_id IN ${villagesOf("demo.inspector")}`);
    // Active persons in his villages whose last visit (if any) was 30 days ago or earlier.
    const notVisited = one(
      db,
      `SELECT COUNT(*) FROM persons p WHERE p.status = 'active' AND p.village_id IN ${villagesOf("demo.inspector")} ` +
        `AND COALESCE((SELECT MAX(substr(v.visited_at, 1, 10)) FROM visits v WHERE v.person_id = p.id), '0000-00-00') <= date('now', '+5 hours', '-30 day')`,
    );
    await home("demo.inspector", PHONE, async (page, how) => {
      assert.equal(await page.locator("#work").getAttribute("data-role"), "inspector");
      const action = await page.locator("#quick-offence").boundingBox();
      assert.ok(action && action.y + action.height <= 740, `${how}: "new offence" on the first screen (${action?.y})`);
      const cards = page.locator('section[aria-labelledby="work-due"] .work-card');
      await until(async () => (await cards.count()) === due, `${how}: ${due} tasks due this week shown`);
      await until(
        async () => (await page.locator("#work-offences-list li").count()) === Math.min(5, offences),
        `${how}: the latest offences listed`,
      );
      await until(
        async () => (await page.evaluate(() => document.querySelector("#work-visits-count")?.textContent ?? "")) === `Ждут посещения: ${notVisited}`,
        `${how}: ${notVisited} persons due a visit, read from the sealed cache`,
      );
      const shown = (await page.locator("#work-offences-list li a").first().getAttribute("href")).split("/").pop();
      const day = (sql) => sqlite(db, sql)[0][0].slice(0, 10);
      const newest = day(`SELECT MAX(occurred_at) FROM offences WHERE village_id IN ${villagesOf("demo.inspector")}`);
      assert.equal(day(`SELECT occurred_at FROM offences WHERE id = '${shown}'`), newest, `${how}: the newest offence first`);
    });
  });

  test("the council member: his own open tasks as cards, one tap to each", async () => {
    const db = env.server.database;
    const member = sqlite(db, "SELECT member_id FROM accounts WHERE login = 'demo.elder'")[0][0];
    assert.ok(member, "the demo elder is a council member");
    const mine = sqlite(
      db,
      `SELECT t.id FROM tasks t JOIN task_assignees a ON a.task_id = t.id WHERE a.member_id = '${member}' AND t.${OPEN}`,
    ).map(([id]) => id);
    assert.ok(mine.length > 0, "the demo gives the elder open tasks");
    await home("demo.elder", TABLET, async (page, how) => {
      assert.equal(await page.locator("#work").getAttribute("data-role"), "council_member");
      const cards = page.locator("#work .work-card");
      await until(async () => (await cards.count()) === mine.length, `${how}: ${mine.length} cards`);
      const shown = await cards.evaluateAll((els) => els.map((el) => el.dataset.task));
      assert.deepEqual(shown.sort(), [...mine].sort(), `${how}: his tasks, no one else's`);
    });
  });

  test("the chair: proposals waiting for an answer counted as the database does", async () => {
    const db = env.server.database;
    // Two residents' proposals arrive from another device first, so there is something to count.
    const village = sqlite(db, `SELECT village_id FROM account_villages WHERE account_id = ${account("demo.chair")} LIMIT 1`)[0][0];
    const phone = device();
    const sent = await push(env.server.url, await signIn(env.server.url, "demo.chair"), phone.id, [
      phone.mutation("proposal", "create", newId(), proposal(village, 1)),
      phone.mutation("proposal", "create", newId(), proposal(village, 2)),
    ]);
    assert.deepEqual(sent.body.answers.map((a) => a.status), ["applied", "applied"], JSON.stringify(sent.body));
    const waiting = one(
      db,
      `SELECT COUNT(*) FROM proposals WHERE status IN ('submitted', 'under_review') AND village_id IN ${villagesOf("demo.chair")}`,
    );
    assert.ok(waiting >= 2, `proposals are waiting (${waiting})`);
    await home("demo.chair", PHONE, async (page, how) => {
      assert.equal(await page.locator("#work").getAttribute("data-role"), "council_chair");
      await until(
        async () => (await page.locator("#work-proposals-count").textContent()) === `Ждут ответа: ${waiting}`,
        `${how}: ${waiting} proposals waiting`,
      );
    });
  });

  test("the coordinator: the region's figures at a glance and the way to the reports", async () => {
    const db = env.server.database;
    const thisMonth = one(db, "SELECT COUNT(*) FROM offences WHERE substr(occurred_at, 1, 7) = strftime('%Y-%m', 'now', '+5 hours')");
    const lastMonth = one(db, "SELECT COUNT(*) FROM offences WHERE substr(occurred_at, 1, 7) = strftime('%Y-%m', 'now', '+5 hours', 'start of month', '-1 month')");
    await home("demo.coordinator", { width: 1440, height: 900 }, async (page, how) => {
      assert.equal(await page.locator("#work").getAttribute("data-role"), "region_coordinator");
      const figure = (name) => page.locator(`#work-glance-figures [data-figure="${name}"]`).textContent();
      await until(async () => Number(await figure("last-month")) === lastMonth, `${how}: last month's ${lastMonth} offences`);
      await until(async () => Number(await figure("this-month")) === thisMonth, `${how}: this month's ${thisMonth} offences`);
      assert.equal(await page.locator('#work a[href="/reports"]').count(), 1);
    });
  });
});
