// Issue 6's story in Chromium against the real server: an inspector downloads a village's map
// for offline use, loses signal, reloads, still sees the tiles, the layers and the records,
// adds a household, draws a pasture and places a visit by tapping the map — all offline —
// and everything reaches the server once the signal is back.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { launch, PHONE, newContext, signInWithPin, waitForActiveServiceWorker, waitForHydration } from "../support/browser.mjs";
import { ROOT, sqlite, startServer } from "../support/server.mjs";
import { open, syncBar, until } from "../support/outbox.mjs";

const env = { server: undefined, browser: undefined, mbtiles: undefined };

/** A test MBTiles file around a point, made by the tests' own script. */
export function makeMbtiles(file, lat, lon, { halfKm = 2.5, zooms = "12-17", texture = false } = {}) {
  const args = [path.join(ROOT, "tests/support/make_mbtiles.py"), file, "--lat", String(lat), "--lon", String(lon), "--half-km", String(halfKm), "--zooms", zooms];
  if (texture) args.push("--texture");
  const made = spawnSync("python3", args, { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  return Number(made.stdout.trim());
}

before(async () => {
  // First start: the demo data (and the village's approximate centre) is loaded.
  const first = await startServer();
  const [lat, lon] = sqlite(first.database, "SELECT lat, lon FROM villages WHERE name_ru = 'Сепе'")[0].map(Number);
  await first.stop();
  env.mbtiles = path.join(first.dir, "akmola.mbtiles");
  makeMbtiles(env.mbtiles, lat, lon);
  // The admin sets the tiles; the same SQLite file carries on.
  env.server = await startServer({ dir: first.dir, database: first.database, args: ["--mbtiles", env.mbtiles] });
  env.browser = await launch();
});

after(async () => {
  await env.browser?.close();
  await env.server?.dispose();
});

const one = (sql) => sqlite(env.server.database, sql)[0]?.[0];
const summary = (page, name) => page.getAttribute("#map-summary", `data-${name}`).then(Number);
const tileCount = (page) =>
  page.evaluate(async () => (await (await caches.open("zq-tiles")).keys()).length);
const loadedTiles = (page) =>
  page.$$eval("#village-map img.leaflet-tile-loaded", (imgs) => imgs.filter((img) => img.naturalWidth === 256).length);

/** Taps the map `dx`, `dy` pixels from its centre. */
async function tapMap(page, dx, dy) {
  await page.locator("#village-map").scrollIntoViewIfNeeded();
  const box = await page.locator("#village-map").boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
}

test("a village map downloaded for offline use shows its tiles, layers and records without signal; points added offline sync", async () => {
  const { server, browser } = env;
  const sepe = one("SELECT id FROM villages WHERE name_ru = 'Сепе'");
  const ermek = one("SELECT id FROM persons WHERE full_name = 'Демо Ермек Сапаров'");
  const households = Number(one(`SELECT COUNT(*) FROM map_features WHERE village_id = '${sepe}' AND layer = 'households'`));
  const mapPath = `/villages/${sepe}/map`;

  const context = await newContext(browser, { viewport: PHONE });
  const page = await context.newPage();
  await signInWithPin(page, server.url, "demo.inspector");
  await waitForActiveServiceWorker(page);
  await open(page, server.url, mapPath);
  await until(async () => (await summary(page, "households")) === households, "the village layers arrived through sync");
  // Leaflet's own controls speak the person's language.
  assert.equal(await page.getAttribute("#village-map .leaflet-control-zoom-in", "aria-label"), "Приблизить");
  assert.equal(await page.getAttribute("#village-map .leaflet-control-zoom-out", "title"), "Отдалить");

  // Opened anew (another tab), the app asks for the PIN, which opens the encrypted cache: the
  // demo person's household is then marked (the inspector may see persons of attention).
  const tab = await context.newPage();
  await open(tab, server.url, mapPath);
  await tab.fill("#unlock-form input", "2468");
  await tab.click("#unlock-form button[type=submit]");
  await until(async () => (await tab.locator("path.marker-person").count()) === 1, "the person of attention's household is marked", 60_000);
  await tab.locator("path.marker-person").click();
  assert.equal(await tab.getAttribute(".leaflet-popup-content a[data-marker=person]", "href"), `/persons/${ermek}`);
  assert.equal(await tab.getAttribute(".leaflet-popup-close-button", "aria-label"), "Закрыть");
  await tab.close();

  // Download the village: zooms 12–17, progress, then the size on the device.
  await page.waitForSelector("#download-tiles:not([disabled])");
  assert.equal(await page.inputValue("#zoom-from"), "12");
  assert.equal(await page.inputValue("#zoom-to"), "17");
  const expected = Number(await page.getAttribute("#tile-estimate", "data-tiles"));
  assert.ok(expected > 20 && expected < 2000, `a village at zooms 12–17 is tens to hundreds of tiles (${expected})`);
  await page.click("#download-tiles");
  await page.waitForSelector("#pack-saved", { timeout: 120_000 });
  const saved = await page.textContent("#pack-saved");
  assert.match(saved, new RegExp(`${expected} плиток, \\d+\\.\\d МБ \\(масштаб 12–17\\)`));
  assert.equal(await tileCount(page), expected, "every tile of the village is on the device");

  // No signal: the page, Leaflet, the tiles, the layers and the markers all come from the device.
  await context.setOffline(true);
  await page.reload();
  await waitForHydration(page);
  await until(async () => (await summary(page, "households")) === households, "the layers come from IndexedDB offline");
  await until(async () => (await loadedTiles(page)) > 0, "tiles show offline");
  assert.equal(await page.locator("path.feature-boundary").count(), 1, "the boundary is drawn");
  assert.equal(await page.locator("path.feature-streets").count(), 2, "the streets are drawn");

  // A household, added by tapping the map.
  await page.click("#tool-household");
  await tapMap(page, 40, -30);
  await until(async () => /1$/.test(await page.textContent("#placed-count")), "the tap placed a point");
  await page.fill("#feature-name", "ул. Степная, 11");
  await page.click("#map-save");
  await page.waitForSelector("#map-saved");
  await until(async () => (await summary(page, "households")) === households + 1, "the new household is on the map");

  // A pasture: three corners, then save.
  await page.click("#tool-pasture");
  assert.equal(await page.isDisabled("#map-save"), true, "an area needs three corners");
  await tapMap(page, -60, -60);
  await tapMap(page, -20, -60);
  await tapMap(page, -40, -20);
  await page.fill("#feature-name", "Жайылым — оңтүстік");
  await page.click("#map-save");
  await page.waitForSelector("#map-saved");

  // A landmark moved from its popup, to the map's centre (the way without a finger).
  await page.click("#tool-look");
  const school = page.locator("path.feature-landmarks").first();
  await school.click();
  await page.click(".leaflet-popup-content .move-point");
  await until(async () => /Коснитесь нового места/.test(await page.textContent("#tool-hint")), "the move tool is on");
  await page.click("#map-centre");
  await until(async () => /1$/.test(await page.textContent("#placed-count")), "the centre was taken");
  await page.click("#map-save");
  await page.waitForSelector("#map-saved");

  // A visit placed by tapping the map: the form opens with that point.
  const markersBefore = await summary(page, "markers");
  await page.click("#tool-visit");
  await tapMap(page, 0, 50);
  await page.waitForURL(/\/visits\/new\?village=.*&lat=.*&lon=/);
  await page.waitForSelector("#visit-form");
  assert.match(await page.textContent("#position"), /^\d+\.\d+, \d+\.\d+$/);
  await page.fill("#household", "ул. Степная, 11");
  await page.click("#visit-form button[type=submit]");
  await page.waitForURL(/\/visits\?saved=1/);

  // Still offline, the map shows the new visit, and a reload keeps everything.
  await open(page, server.url, mapPath);
  await until(async () => (await summary(page, "markers")) === markersBefore + 1, "the visit is marked on the map");
  assert.equal(await page.locator("path.marker-visit").count(), 1);
  await page.reload();
  await waitForHydration(page);
  await until(async () => (await summary(page, "households")) === households + 1, "the new household survived a reload");
  await until(async () => (await loadedTiles(page)) > 0, "tiles show after the reload");
  assert.equal((await syncBar(page)).pending, 4, "household, pasture, moved school and visit wait in the outbox");
  assert.equal(one("SELECT COUNT(*) FROM map_features WHERE name = 'ул. Степная, 11'"), 0, "nothing reached the server offline");

  // Signal again: everything syncs once.
  await context.setOffline(false);
  await until(async () => {
    const bar = await syncBar(page);
    return bar.pending === 0 && !bar.running;
  }, "the map edits reached the server", 60_000);
  assert.equal(one("SELECT COUNT(*) FROM map_features WHERE name = 'ул. Степная, 11' AND layer = 'households'"), 1);
  const pasture = JSON.parse(one("SELECT geometry FROM map_features WHERE name = 'Жайылым — оңтүстік'"));
  assert.equal(pasture.type, "Polygon");
  assert.equal(pasture.coordinates[0].length, 4, "three corners and the closing point");
  assert.equal(one("SELECT version FROM map_features WHERE name = 'Демо: школа'"), 2, "the school was moved once");
  assert.equal(one("SELECT COUNT(*) FROM visits WHERE household = 'ул. Степная, 11' AND lat IS NOT NULL AND lon IS NOT NULL"), 1);

  // The village's tiles can be removed from the device.
  await page.click("#remove-tiles");
  await page.waitForSelector("#download-tiles");
  assert.equal(await tileCount(page), 0);
  await context.close();
});

test("without tiles configured the map draws its layers on a plain background and says so", async () => {
  const plain = await startServer();
  try {
    const sepe = sqlite(plain.database, "SELECT id FROM villages WHERE name_ru = 'Сепе'")[0][0];
    const context = await newContext(env.browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInWithPin(page, plain.url, "demo.inspector");
    await open(page, plain.url, `/villages/${sepe}/map`);
    await page.waitForSelector("#no-tiles");
    await until(async () => (await summary(page, "households")) > 0, "the layers are drawn");
    assert.equal(await page.locator("#village-map img.leaflet-tile").count(), 0, "no tile is requested");
    assert.equal(await page.locator("path.feature-boundary").count(), 1);
    await context.close();
  } finally {
    await plain.dispose();
  }
});
