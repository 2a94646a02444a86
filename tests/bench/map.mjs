// Map benchmark (issue 6): how long a village map of 2,000 households takes to open in
// Chromium with no signal (layers from IndexedDB, tiles from the device), and how many tiles
// (and bytes) a village download stores for zooms 12–17. Prints the figures and writes them
// into BENCHMARKS.md between its markers. Figures, not a test: nothing here fails on a number.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { launch, newContext, signInWithPin, waitForActiveServiceWorker, waitForHydration } from "../support/browser.mjs";
import { open, until } from "../support/outbox.mjs";
import { ROOT, signIn, sqlite, startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";

const HOUSEHOLDS = 2_000;
const RUNS = 5;

const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const first = await startServer();
const [lat, lon] = sqlite(first.database, "SELECT lat, lon FROM villages WHERE name_ru = 'Сепе'")[0].map(Number);
await first.stop();
const mbtiles = path.join(first.dir, "bench.mbtiles");
const made = spawnSync("python3", [path.join(ROOT, "tests/support/make_mbtiles.py"), mbtiles, "--lat", String(lat), "--lon", String(lon), "--half-km", "3", "--zooms", "12-17"], { encoding: "utf8" });
if (made.status !== 0) throw new Error(made.stderr);
const server = await startServer({ dir: first.dir, database: first.database, args: ["--mbtiles", mbtiles] });
const browser = await launch();
try {
  const sepe = sqlite(server.database, "SELECT id FROM villages WHERE name_ru = 'Сепе'")[0][0];
  // 2,000 households in a 2.4 km square around the centre, imported by the admin.
  const features = Array.from({ length: HOUSEHOLDS }, (_, i) => ({
    type: "Feature",
    properties: { name: `Көше ${Math.floor(i / 50) + 1}, ${(i % 50) + 1}` },
    geometry: { type: "Point", coordinates: [lon - 0.017 + (i % 50) * 0.0007, lat - 0.011 + Math.floor(i / 50) * 0.00055] },
  }));
  const admin = await signIn(server.url, "demo.admin");
  const imported = await fetch(`${server.url}/api/v1/map/import?village=${sepe}&layer=households`, {
    method: "POST",
    headers: { cookie: admin, "content-type": "application/geo+json" },
    body: JSON.stringify({ type: "FeatureCollection", features }),
  });
  if (imported.status !== 200) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  const others = Number(sqlite(server.database, `SELECT COUNT(*) FROM map_features WHERE village_id = '${sepe}' AND layer <> 'households'`)[0][0]);
  const drawnAll = HOUSEHOLDS + others;

  // Tiles per village for zooms 12–17, as the map page computes them (the region coordinator's
  // device holds every village).
  const adminContext = await newContext(browser);
  const adminPage = await adminContext.newPage();
  await signInWithPin(adminPage, server.url, "demo.coordinator");
  const villages = sqlite(server.database, "SELECT id, name_ru, lat IS NOT NULL FROM villages ORDER BY name_ru");
  const counts = [];
  for (const [id, name, placed] of villages) {
    if (!placed) continue;
    await open(adminPage, server.url, `/villages/${id}/map`);
    await adminPage.waitForSelector("#tile-estimate[data-tiles]:not([data-tiles='0'])");
    counts.push([name, Number(await adminPage.getAttribute("#tile-estimate", "data-tiles")), id === sepe]);
  }
  await adminContext.close();

  const context = await newContext(browser);
  const page = await context.newPage();
  await signInWithPin(page, server.url, "demo.inspector");
  await waitForActiveServiceWorker(page);
  const mapPath = `/villages/${sepe}/map`;
  await open(page, server.url, mapPath);
  await page.waitForSelector(`#village-map[data-drawn="${drawnAll}"]`, { timeout: 120_000 });
  await page.waitForSelector("#download-tiles:not([disabled])");
  const sepeTiles = Number(await page.getAttribute("#tile-estimate", "data-tiles"));
  let start = performance.now();
  await page.click("#download-tiles");
  await page.waitForSelector("#pack-saved", { timeout: 300_000 });
  const downloadSeconds = (performance.now() - start) / 1000;
  const bytes = await page.evaluate(async () => {
    const cache = await caches.open("zq-tiles");
    let total = 0;
    for (const request of await cache.keys()) total += (await (await cache.match(request)).arrayBuffer()).byteLength;
    return total;
  });

  await context.setOffline(true);
  const opened = async () => {
    const begin = performance.now();
    await page.reload();
    await waitForHydration(page);
    await page.waitForSelector(`#village-map[data-drawn="${drawnAll}"]`, { timeout: 120_000 });
    await until(() => page.$$eval("#village-map img.leaflet-tile-loaded", (imgs) => imgs.length > 0), "tiles drawn");
    return performance.now() - begin;
  };
  await opened(); // warm-up: the first reload also fills the browser's code cache.
  const plain = [];
  for (let i = 0; i < RUNS; i++) plain.push(await opened());
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const slow = [];
  for (let i = 0; i < RUNS; i++) slow.push(await opened());
  await context.close();

  const today = new Date().toISOString().slice(0, 10);
  say(`Measured ${today} with \`bash tests/bench/map.sh\` (release build, Chromium headless, offline: page from the service worker, layers from IndexedDB, tiles from the device's tile cache).`);
  say("");
  say("| figure | value |");
  say("|---|---:|");
  say(`| open the village map offline, ${HOUSEHOLDS.toLocaleString("en")} households + ${others} other features drawn, tiles shown (median of ${RUNS} reloads) | ${(median(plain) / 1000).toFixed(2)} s |`);
  say(`| … the same with the CPU slowed 4× (DevTools emulation, a budget phone) | ${(median(slow) / 1000).toFixed(2)} s |`);
  say(`| download of Сепе, zooms 12–17 (the area of its layers): tiles / bytes stored / time on loopback | ${sepeTiles} / ${(bytes / 1024).toFixed(0)} KiB / ${downloadSeconds.toFixed(1)} s |`);
  say(`| … bytes per tile of the test MBTiles (flat-colour PNG made by the tests) | ${Math.round(bytes / sepeTiles)} B |`);
  say("");
  say("Tiles a download stores per village for zooms 12–17, as the map page counts them: everything on the village's map when it has layers (Сепе: the demo outline and 2,000 imported households), else a 4 km square around its approximate centre. Bytes depend on the tile source; the last column assumes 20 KiB per tile (an assumption, not a measurement).");
  say("");
  say("| village | tiles, zooms 12–17 | MiB at 20 KiB per tile |");
  say("|---|---:|---:|");
  for (const [name, tiles, isSepe] of counts) say(`| ${name}${isSepe ? " (its layers)" : ""} | ${tiles} | ${((tiles * 20) / 1024).toFixed(1)} |`);
} finally {
  await browser.close();
  await server.dispose();
}

writeSection("map", lines.join("\n"), { appendUnder: "## Offline village map\n\nScript: `bash tests/bench/map.sh`." });
