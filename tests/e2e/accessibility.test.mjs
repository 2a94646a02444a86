// axe-core (WCAG 2.1 A/AA rules) on the main pages, at phone and tablet width, in Russian
// and Kazakh.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { newContext, PHONE, TABLET, waitForHydration, withServerAndBrowser } from "../support/browser.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const env = withServerAndBrowser();

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

for (const [width, viewport] of [["phone", PHONE], ["tablet", TABLET]]) {
  for (const language of ["ru", "kk"]) {
    test(`home and village pages pass axe at ${width} width in ${language}`, async () => {
      const { server, browser } = env;
      // axe is injected as an inline script, which the app's CSP rightly refuses.
      const context = await newContext(browser, { viewport, bypassCSP: true, signInAs: { url: server.url } });
      await context.addCookies([{ name: "i18n_pref_locale", value: language, url: server.url }]);
      const page = await context.newPage();
      await page.goto(server.url);
      await waitForHydration(page);
      assert.equal(await page.locator("html").getAttribute("lang"), language);
      assert.deepEqual(await violations(page), [], "home page");

      await page.goto(server.url + (await page.locator(".card a").first().getAttribute("href")));
      await waitForHydration(page);
      assert.deepEqual(await violations(page), [], "village page");
      await context.close();
    });
  }
}
