// Issue 15 in Chromium against the real server: the coordinator reads the overview on a desktop
// and a phone (charts drawn in the server's HTML, before the wasm), switches to Kazakh and
// downloads the XLSX; opens a village's trend; keeps membership; the inspector closes a month.
// axe on every reports page.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import {
  chooseLanguage,
  controls,
  newContext,
  openUnderWorker,
  PHONE,
  signInWithPin,
  TABLET,
  waitForHydration,
  withServerAndBrowser,
} from "../support/browser.mjs";
import { sqlite } from "../support/server.mjs";
import { readXlsx } from "../support/tables.mjs";
import { newProposal, syncBar, until, waitForVillages } from "../support/outbox.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const env = withServerAndBrowser();
const DESKTOP = { width: 1280, height: 900 };
const one = (sql) => sqlite(env.server.database, sql)[0]?.[0];

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** Controls under 44 px on either side, and the page's own width against the viewport. */
async function fit(page) {
  const small = (await controls(page, "main button, main select, main input, main a.button, main summary"))
    .filter((c) => c.height < 44 || c.width < 44)
    .map((c) => `${c.tag}#${c.id} "${c.text}" ${c.width}x${c.height}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  return { small, overflow };
}

for (const [width, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`the coordinator reads the overview at ${width} width, in Kazakh too, and downloads the XLSX`, async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport, bypassCSP: true, signInAs: { url: server.url } });
    // The page as the server sends it, before any script: the table and the charts are there.
    const html = await (await context.request.get(`${server.url}/reports`)).text();
    assert.match(html, /<svg[^>]*id="funnel-chart"/);
    assert.match(html, /<svg[^>]*id="effect-chart"/);
    assert.match(html, /<table[^>]*id="overview-table"/);

    const page = await context.newPage();
    await page.goto(`${server.url}/reports`);
    await waitForHydration(page);
    const villages = Number(one("SELECT COUNT(*) FROM villages"));
    assert.equal(await page.locator("#overview-table tbody tr").count(), villages);
    assert.equal(await page.locator("#funnel-chart circle.point").count(), villages);
    assert.ok((await page.locator("#funnel-chart title").first().textContent()).length > 0);
    assert.match(await page.locator("#effect-estimate").textContent(), /%/);
    assert.deepEqual(await violations(page), [], "overview in Russian");
    const { small, overflow } = await fit(page);
    assert.deepEqual(small, [], "touch targets of 44 px");
    assert.ok(overflow <= 1, `the page fits its width (overflow ${overflow} px); wide tables scroll in their box`);

    // Sorting and the district filter are a plain GET form.
    await page.selectOption("#report-sort", "rate");
    await Promise.all([page.waitForURL(/sort=rate/), page.click("#report-filters button[type=submit]")]);
    await waitForHydration(page);
    const rates = await page.locator('#overview-table td[data-cell="rate"]').allTextContents();
    const values = rates.map((text) => parseFloat(text));
    assert.deepEqual(values, [...values].sort((a, b) => b - a), "highest rate first");

    await chooseLanguage(page, "kk");
    await page.waitForFunction(() => document.querySelector("#reports-title")?.textContent === "Бағдарлама нәтижелері");
    assert.equal(await page.locator("#overview-table thead th").first().textContent(), "Ауыл");
    assert.deepEqual(await violations(page), [], "overview in Kazakh");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#overview-xlsx")]);
    assert.match(download.suggestedFilename(), /^ауылдар-шолуы-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = readXlsx(await readFile(await download.path()));
    assert.equal(sheet[0][0], "Ауыл");
    assert.equal(sheet.length, villages + 1);
    await context.close();
  });
}

test("a village's trend shows its control chart and months; the coordinator keeps membership", async () => {
  const { server, browser } = env;
  const context = await newContext(browser, { viewport: TABLET, bypassCSP: true, signInAs: { url: server.url } });
  const page = await context.newPage();
  await page.goto(`${server.url}/reports`);
  await waitForHydration(page);
  await page.click('#overview-table a:text-is("Сепе")');
  await page.waitForSelector("#trend-chart");
  assert.equal(await page.locator("#trend-table tbody tr").count(), 24);
  assert.ok((await page.locator("#trend-chart line.centre").count()) === 1, "the centre line is drawn");
  assert.deepEqual(await violations(page), [], "trend page");

  const sepe = one("SELECT id FROM villages WHERE name_ru = 'Сепе'");
  await page.goto(`${server.url}/reports/program`);
  await waitForHydration(page);
  const item = page.locator(`#membership-list li[data-village="${sepe}"]`);
  await item.locator("summary").click();
  await item.locator(`#population-${sepe}`).fill("1475");
  await item.locator(`#source-${sepe}`).fill("Акимат сельского округа");
  await item.locator(`#year-${sepe}`).fill("2025");
  await item.locator("button[type=submit]").click();
  await page.waitForSelector("#membership-outcome .notice");
  assert.equal(Number(one(`SELECT population FROM villages WHERE id = '${sepe}'`)), 1475);
  assert.deepEqual(await violations(page), [], "membership page");
  const { small } = await fit(page);
  assert.deepEqual(small, [], "touch targets of 44 px");
  await context.close();
});

test("the monthly bulletin: one page from the overview, printed on A4 without the app's controls", async () => {
  const { server, browser } = env;
  const context = await newContext(browser, { viewport: PHONE, bypassCSP: true, signInAs: { url: server.url } });
  const page = await context.newPage();
  await page.goto(`${server.url}/reports`);
  await waitForHydration(page);
  await page.click("#bulletin-link");
  await page.waitForSelector("#bulletin-figures");
  const villages = Number(one("SELECT COUNT(*) FROM villages"));
  assert.equal(await page.locator("#bulletin-table tbody tr").count(), villages);
  const closed = await page.locator('#bulletin-figures [data-figure="closed"]').textContent();
  const notClosed = await page.locator("#bulletin-silent li").count();
  const [reported, due] = closed.split("/").map(Number);
  assert.equal(due - reported, notClosed, "the villages that did not close the month are listed");
  assert.deepEqual(await violations(page), [], "bulletin");
  const { small, overflow } = await fit(page);
  assert.deepEqual(small, [], "touch targets of 44 px");
  assert.ok(overflow <= 1);
  // Printed: the page's own content only, and A4 (595 x 842 points) as its print rules ask.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#bulletin-print").isVisible(), false);
  assert.equal(await page.locator("header").first().isVisible(), false);
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString("latin1");
  const box = pdf.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  assert.ok(box, "the PDF has pages");
  assert.deepEqual([Math.round(Number(box[1])), Math.round(Number(box[2]))], [595, 842]);
  await context.close();
});

test("the inspector closes an ended month with one button", async () => {
  const { server, browser } = env;
  // Signed in with a PIN, as a phone is: its device syncs.
  const context = await newContext(browser, { viewport: PHONE, bypassCSP: true });
  const page = await context.newPage();
  await signInWithPin(page, server.url, "demo.inspector");
  // An entry waiting in the outbox (its push refused by the network) holds the closing back:
  // the count a closing confirms is the server's.
  await page.goto(`${server.url}/proposals/new`);
  await waitForHydration(page);
  await waitForVillages(page); // the first sync has brought the villages
  await page.route("**/api/v1/sync/push", (route) => route.abort());
  await newProposal(page, server.url, { author: "Жители", body: "Освещение у школы" });
  await until(async () => (await syncBar(page)).pending === 1, "the proposal waits in the outbox");
  await page.goto(`${server.url}/reports/months`);
  await waitForHydration(page);
  await page.waitForSelector("#closing-waiting");
  assert.equal(await page.locator("li[data-month] button[type=submit]").first().isDisabled(), true);
  await page.unroute("**/api/v1/sync/push");
  await page.click("#sync-now");
  await page.waitForSelector("#closing-waiting", { state: "detached" });
  assert.equal(await page.locator("li[data-month] button[type=submit]").first().isDisabled(), false);
  assert.deepEqual(await violations(page), [], "closing page");
  const open = page.locator("li[data-month] button[type=submit]").first();
  const month = await open.locator("xpath=ancestor::li").getAttribute("data-month");
  const village = await open.locator("xpath=ancestor::section").getAttribute("data-village");
  await open.click();
  await page.waitForSelector(`section[data-village="${village}"] li[data-month="${month}"] .badge.reported`);
  assert.equal(Number(one(`SELECT COUNT(*) FROM month_closings WHERE village_id = '${village}' AND month = '${month}'`)), 1);
  const { small, overflow } = await fit(page);
  assert.deepEqual(small, [], "touch targets of 44 px");
  assert.ok(overflow <= 1);
  await context.close();
});

test("the reports a supervisor opened online are readable offline, with the time they were computed", async () => {
  const { server, browser } = env;
  const context = await newContext(browser, {
    viewport: PHONE,
    bypassCSP: true,
    signInAs: { url: server.url, login: "demo.supervisor" },
  });
  const page = await context.newPage();
  await openUnderWorker(page, `${server.url}/reports`);
  // The page the service worker keeps was computed now; the copy the app keeps is the last
  // one it read, after the trend below.
  const computedPage = await page.locator("#report-computed time").getAttribute("datetime");
  const rows = await page.locator("#overview-table tbody tr").count();
  await page.click('#overview-table a:text-is("Сепе")');
  await page.waitForSelector("#trend-chart");
  await page.click('a[href="/reports"]:text-is("Все результаты")');
  await page.waitForSelector("#overview-table");
  await page.waitForFunction((before) => document.querySelector("#report-computed time")?.getAttribute("datetime") !== before, computedPage);
  const computed = await page.locator("#report-computed time").getAttribute("datetime");

  await context.setOffline(true);
  // Within the app: the copies kept on the device, said to be so, with their time.
  await page.click('#overview-table a:text-is("Сепе")');
  await page.waitForSelector("#trend-chart");
  assert.equal(await page.locator("#trend-table tbody tr").count(), 24);
  await page.waitForSelector("#report-offline");
  await page.click('a[href="/reports"]:text-is("Все результаты")');
  await page.waitForSelector("#overview-table");
  assert.equal(await page.locator("#overview-table tbody tr").count(), rows);
  assert.equal(await page.locator("#report-computed time").getAttribute("datetime"), computed);
  assert.match(await page.locator("#report-offline").textContent(), /устройстве/);
  // A reload without signal: the page the service worker kept.
  await page.reload();
  await waitForHydration(page);
  assert.equal(await page.locator("#overview-table tbody tr").count(), rows);
  assert.equal(await page.locator("#report-computed time").getAttribute("datetime"), computedPage);
  assert.deepEqual(await violations(page), [], "the overview offline");
  await context.setOffline(false);
  await context.close();
});
