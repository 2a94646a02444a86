// Issue 19: the first screen shows the work. Each role's pages at 320, 360, 800 and 1440 px in
// Russian and Kazakh: one header line with nothing cut, the page's title in the first 120 px on
// phones, nothing wider than the screen, 44 px targets, axe clean. Then the device's settings:
// the text size survives an offline reload, the storage warning stays dismissed, and the
// install button asks the browser's offer.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import {
  controls,
  newContext,
  PHONE,
  signInWithPin,
  waitForActiveServiceWorker,
  waitForHydration,
  withServerAndBrowser,
} from "../support/browser.mjs";
import { until } from "../support/outbox.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WIDTHS = [320, 360, 800, 1440];
const ROLES = {
  inspector: ["/", "/offences"],
  elder: ["/", "/tasks"],
  chair: ["/", "/proposals"],
  coordinator: ["/", "/reports"],
};

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** What the layout rules look at, measured in the page. */
function measure(page) {
  return page.evaluate(() => {
    const header = document.querySelector("header.topbar");
    // Text hidden on purpose (for screen readers only) is clipped by design: left out.
    const hidden = (el) => getComputedStyle(el).clip !== "auto" || el.closest(".sr-only");
    const clipped = [...header.querySelectorAll("*")]
      .filter((el) => el.offsetParent !== null && !hidden(el) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      .map((el) => `${el.tagName}.${el.className?.baseVal ?? el.className} "${el.textContent.trim().slice(0, 30)}" ${el.scrollWidth}>${el.clientWidth}`);
    const headerBox = header.getBoundingClientRect();
    const outside = [...header.children]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.right > window.innerWidth + 0.5 || box.left < -0.5;
      })
      .map((el) => el.className);
    const title = document.querySelector("main h1");
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      headerHeight: headerBox.height,
      clipped,
      outside,
      titleTop: title ? title.getBoundingClientRect().top : null,
      titleText: title?.textContent ?? null,
    };
  });
}

describe("the first screen at every width", () => {
  const env = withServerAndBrowser();

  for (const [role, paths] of Object.entries(ROLES)) {
    test(`the ${role}'s pages: one header line, the title on the first screen, nothing cut or too wide`, async () => {
      const { server, browser } = env;
      const context = await newContext(browser, { viewport: PHONE, bypassCSP: true });
      const page = await context.newPage();
      await signInWithPin(page, server.url, `demo.${role}`);
      for (const language of ["ru", "kk"]) {
        await context.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: width < 700 ? 740 : 1000 });
          for (const path of paths) {
            await page.goto(server.url + path);
            await waitForHydration(page);
            await page.waitForSelector("#sync-bar");
            // The home page's work comes from the device after hydration: measure it once there.
            if (path === "/") await page.waitForSelector("#work .work-card, #work .glance");
            const where = `${path} at ${width}px in ${language}`;
            const m = await measure(page);
            assert.ok(m.titleText, `${where} has a title`);
            assert.ok(m.overflow <= 0, `${where}: ${m.overflow}px wider than the screen`);
            assert.deepEqual(m.clipped, [], `${where}: header text cut`);
            assert.deepEqual(m.outside, [], `${where}: header items off the screen`);
            assert.ok(m.headerHeight <= 60, `${where}: the header is one line (${m.headerHeight}px)`);
            if (width <= 360) assert.ok(m.titleTop < 120, `${where}: the title starts at ${m.titleTop}px`);
            const targets = await controls(page, "header a, header button, main button, main a.button, main select, main .card a, main .work-card a, main .work-list a");
            for (const c of targets) {
              assert.ok(c.height >= 44 && (c.tag !== "BUTTON" || c.width >= 44), `${where}: ${c.tag}#${c.id} "${c.text}" is ${c.width}x${c.height}`);
              assert.ok(c.text.length > 0, `${where}: ${c.tag}#${c.id} has a label`);
            }
            if (width === 360 || width === 1440) assert.deepEqual(await violations(page), [], `${where}: axe`);
          }
        }
      }
      await context.close();
    });
  }

  test("the text size chosen on the account page holds on every page, offline after a reload too", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.inspector");
    await waitForActiveServiceWorker(page);
    const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.equal(await rootSize(), 18, "normal: 18 px");
    // The pages to read offline later, opened once online.
    for (const path of ["/offences/new", "/account"]) {
      await page.goto(server.url + path);
      await waitForHydration(page);
    }
    await page.locator('#text-size label[data-size="larger"]').click();
    assert.equal(await page.locator("html").getAttribute("data-text-size"), "larger");
    assert.equal(await rootSize(), 24, "larger: 150 % of the browser's 16 px");

    await context.setOffline(true);
    for (const path of ["/account", "/offences/new", "/"]) {
      await page.goto(server.url + path);
      await waitForHydration(page);
      assert.equal(await page.locator("html").getAttribute("data-text-size"), "larger", `${path} offline`);
      assert.equal(await rootSize(), 24, `${path} offline at the larger size`);
      const m = await measure(page);
      assert.ok(m.overflow <= 0, `${path} at larger text fits 360 px (${m.overflow}px too wide)`);
      assert.deepEqual(m.clipped, [], `${path} at larger text: header text cut`);
      const labelled = await controls(page, "header a, header button, main button, main select, main input:not([type=checkbox]):not([type=radio]), main textarea");
      for (const c of labelled) assert.ok(c.text.length > 0, `${path}: ${c.tag}#${c.id} has a label`);
    }
    await context.setOffline(false);
    await context.close();
  });

  test("the storage warning, once dismissed, stays away; the install button asks the browser", async () => {
    const { server, browser } = env;
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.elder");
    // Headless Chromium does not promise to keep a site's storage: the warning shows.
    const answer = () => page.locator("#sync-bar").getAttribute("data-storage-kept");
    await until(async () => (await answer()) !== "unknown", "the browser answered whether it keeps the data");
    assert.equal(await answer(), "false", "headless Chromium does not promise to keep the data");
    {
      await page.waitForSelector("#storage-warning");
      const title = await page.locator("main h1").boundingBox();
      assert.ok(title.y < 120, "the warning leaves the title where it was");
      await page.click("#storage-warning-dismiss");
      await page.reload();
      await waitForHydration(page);
      // The refusal is read again on each load: once it is in, the warning still stays away.
      await until(async () => (await answer()) === "false", "the browser refused again");
      assert.equal(await page.locator("#storage-warning").count(), 0, "not shown again");
    }

    await page.goto(`${server.url}/account`);
    await waitForHydration(page);
    assert.equal(await page.locator("#install-hint").count(), 1, "without an offer, the hint");
    // Chromium offers installing only to a browser with a window; the offer is what it sends.
    await page.evaluate(() => {
      const offer = new Event("beforeinstallprompt", { cancelable: true });
      offer.prompt = () => {
        window.__asked = (window.__asked ?? 0) + 1;
        return Promise.resolve();
      };
      window.dispatchEvent(offer);
      window.__offerHeldBack = offer.defaultPrevented;
    });
    assert.equal(await page.evaluate(() => window.__offerHeldBack), true, "the browser's own bar is held back");
    await page.click("#install-app");
    assert.equal(await page.evaluate(() => window.__asked), 1, "the button asked the browser");
    assert.equal(await page.locator("#install-app").count(), 0, "an offer is used once");
    await context.close();
  });
});
