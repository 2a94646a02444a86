// Issue 6 over HTTP against the real server: tiles read from an MBTiles file the tests make,
// the admin's layer import with its refusals, and map features through sync.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT, runServer, signIn, sqlite, sqliteWrite, startServer, tempDir, freshDatabase } from "../support/server.mjs";
import { device, newId, pullAll, push } from "../support/sync.mjs";

/** Makes an MBTiles file with the tests' own script; returns how many tiles it holds. */
function makeMbtiles(file, lat, lon, zooms = "12-14") {
  const made = spawnSync("python3", [path.join(ROOT, "tests/support/make_mbtiles.py"), file, "--lat", String(lat), "--lon", String(lon), "--half-km", "2", "--zooms", zooms], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  return Number(made.stdout.trim());
}

/** The slippy-map tile of a point (as Leaflet asks for it). */
function tileOf(lat, lon, zoom) {
  const n = 2 ** zoom;
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)];
}

// Atbasar, where the seed puts the demo inspector's villages (Шуйское, Сепе, Покровка, Бастау)
// while their own positions are unknown.
const LAT = 51.81;
const LON = 68.36;
const png = readFileSync(path.join(ROOT, "public/icons/icon-192.png"));
const square = (dLon, dLat) => [[
  [LON, LAT], [LON + dLon, LAT], [LON + dLon, LAT + dLat], [LON, LAT + dLat], [LON, LAT],
]];
const collection = (...features) => ({ type: "FeatureCollection", features });
const feature = (geometry, properties = {}) => ({ type: "Feature", properties, geometry });

describe("base tiles from an MBTiles file", () => {
  let server;
  let file;
  before(async () => {
    const first = await startServer();
    await first.stop();
    file = path.join(first.dir, "tiles.mbtiles");
    const made = makeMbtiles(file, LAT, LON);
    assert.equal(Number(sqlite(file, "SELECT COUNT(*) FROM tiles")[0][0]), made);
    server = await startServer({ dir: first.dir, database: first.database, args: ["--mbtiles", file] });
  });
  after(() => server?.dispose());

  test("a signed-in device gets the tile stored under the flipped MBTiles row; others get 401 or 404", async () => {
    const cookie = await signIn(server.url, "demo.elder");
    const [x, y] = tileOf(LAT, LON, 13);
    const stored = sqlite(file, `SELECT hex(tile_data) FROM tiles WHERE zoom_level = 13 AND tile_column = ${x} AND tile_row = ${2 ** 13 - 1 - y}`)[0][0];
    const res = await fetch(`${server.url}/tiles/13/${x}/${y}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.toString("hex").toUpperCase(), stored, "the bytes of the MBTiles row");
    assert.equal(body.subarray(1, 4).toString(), "PNG");

    // Not an open tile server: without a session the tile address sends to sign-in.
    const anonymous = await fetch(`${server.url}/tiles/13/${x}/${y}`, { redirect: "manual" });
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get("location"), /^\/sign-in\?next=/);
    assert.equal((await fetch(`${server.url}/tiles/13/${x + 500}/${y}`, { headers: { cookie } })).status, 404, "outside the file");
    assert.equal((await fetch(`${server.url}/tiles/3/8/0`, { headers: { cookie } })).status, 404, "outside the world");

    const info = await (await fetch(`${server.url}/api/v1/map/tiles`, { headers: { cookie } })).json();
    assert.deepEqual(info, { available: true, min_zoom: 12, max_zoom: 14, format: "png", attribution: "Test tiles" });
  });

  test("without a file the server says there are no tiles; a file that is not MBTiles stops the start with a clear error", async () => {
    const plain = await startServer();
    try {
      const cookie = await signIn(plain.url, "demo.inspector");
      const info = await (await fetch(`${plain.url}/api/v1/map/tiles`, { headers: { cookie } })).json();
      assert.equal(info.available, false);
      assert.equal((await fetch(`${plain.url}/tiles/13/1/1`, { headers: { cookie } })).status, 404);
    } finally {
      await plain.dispose();
    }
    // A SQLite file, but not one of tiles.
    const notTiles = path.join(server.dir, "not-tiles.sqlite");
    sqliteWrite(notTiles, "CREATE TABLE places (name TEXT)");
    const broken = runServer(["--addr", "127.0.0.1:0", "--database", freshDatabase(server.dir, "other.sqlite"), "--mbtiles", notTiles]);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /is not an MBTiles file/);
  });
});

describe("base tiles from a configured tile server, fetched once and kept", () => {
  let upstream;
  let hits = [];
  before(async () => {
    upstream = http.createServer((req, res) => {
      hits.push(req.url);
      const match = req.url.match(/^\/(\d+)\/(\d+)\/(\d+)\.png$/);
      if (match && match[1] === "13") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(png);
      } else if (match && match[1] === "14") {
        res.writeHead(500);
        res.end("overloaded");
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  });
  after(() => upstream?.close());

  test("a tile is fetched from the tile server once, then served from the database even with the tile server gone", async () => {
    const template = `http://127.0.0.1:${upstream.address().port}/{z}/{x}/{y}.png`;
    const first = await startServer({ args: ["--tile-url", template, "--tile-attribution", "© test tiles"] });
    const cookie = await signIn(first.url, "demo.inspector");
    const info = await (await fetch(`${first.url}/api/v1/map/tiles`, { headers: { cookie } })).json();
    assert.equal(info.available, true);
    assert.equal(info.attribution, "© test tiles");
    // Tiles at the inspector's villages: the only ones served to this account.
    const [x, y] = tileOf(LAT, LON, 13);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${first.url}/tiles/13/${x}/${y}`, { headers: { cookie } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(png));
    }
    assert.deepEqual(hits, [`/13/${x}/${y}.png`], "the second request did not reach the tile server");
    const at = (zoom) => tileOf(LAT, LON, zoom).join("/");
    assert.equal((await fetch(`${first.url}/tiles/12/${at(12)}`, { headers: { cookie } })).status, 404, "the tile server's 404");
    assert.equal((await fetch(`${first.url}/tiles/14/${at(14)}`, { headers: { cookie } })).status, 502, "the tile server's failure");
    await first.stop();

    // The tile server is gone; the kept tile is still served after a restart.
    upstream.close();
    const again = await startServer({ dir: first.dir, database: first.database, args: ["--tile-url", template] });
    try {
      const cookie2 = await signIn(again.url, "demo.inspector");
      const res = await fetch(`${again.url}/tiles/13/${x}/${y}`, { headers: { cookie: cookie2 } });
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(png));
      assert.equal((await fetch(`${again.url}/tiles/13/${x + 1}/${y}`, { headers: { cookie: cookie2 } })).status, 502, "not kept, tile server down");
    } finally {
      await again.dispose();
    }
    assert.notEqual(runServer(["--tile-url", "ftp://tiles/{z}/{x}/{y}", "--database", freshDatabase(first.dir, "x.sqlite")]).code, 0);
  });
});

describe("the tile route's limits: zooms, area, the tile server's answers, the cache's size, the rate", () => {
  let upstream;
  let answer = "tile";
  const hits = [];
  // 10 KiB a tile, so a cache of some KiB holds a known number of them.
  const tile = Buffer.concat([png, Buffer.alloc(10 * 1024 - png.length)]);
  before(async () => {
    upstream = http.createServer((req, res) => {
      hits.push(req.url);
      if (answer === "tile" || req.url === "/elsewhere.png") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(tile);
      } else if (answer === "redirect") {
        res.writeHead(302, { location: `http://127.0.0.1:${upstream.address().port}/elsewhere.png` });
        res.end();
      } else if (answer === "html") {
        // A consent or captive-portal page answered with 200.
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end("<html><body>Accept our terms to see the map</body></html>");
      } else if (answer === "huge") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(Buffer.alloc(1024 * 1024 + 1));
      }
    });
    await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  });
  after(() => upstream?.close());

  const start = (...args) => startServer({ args: ["--tile-url", `http://127.0.0.1:${upstream.address().port}/{z}/{x}/{y}.png`, ...args] });
  const getter = (server, cookie, headers = {}) => (zoom, x, y) =>
    fetch(`${server.url}/tiles/${zoom}/${x}/${y}`, { headers: { cookie, ...headers } });
  const kept = (server, zoom, x, y) => Number(sqlite(server.database, `SELECT COUNT(*) FROM tile_cache WHERE zoom = ${zoom} AND x = ${x} AND y = ${y}`)[0][0]);

  test("tiles come only at the zooms offered and near the account's own villages", async () => {
    const server = await start();
    try {
      answer = "tile";
      const get = getter(server, await signIn(server.url, "demo.inspector"));
      const admin = getter(server, await signIn(server.url, "demo.admin"));
      assert.equal((await get(14, ...tileOf(LAT, LON, 14))).status, 200, "at the inspector's villages");
      hits.length = 0;
      assert.equal((await get(9, ...tileOf(LAT, LON, 9))).status, 404, "below the zooms offered (10–18)");
      assert.equal((await get(19, ...tileOf(LAT, LON, 19))).status, 404, "above the zooms offered");
      assert.equal((await get(14, 0, 0)).status, 404, "the other side of the world");
      assert.equal((await get(14, ...tileOf(LAT, LON + 0.75, 14))).status, 404, "50 km east of the villages");
      // Юбилейное (Есильский район) is another inspector's: the region's admin gets its tiles.
      const [lat, lon] = sqlite(server.database, "SELECT lat, lon FROM villages WHERE name_ru = 'Юбилейное'")[0].map(Number);
      assert.equal((await get(14, ...tileOf(lat, lon, 14))).status, 404, "another district's village");
      assert.equal(hits.length, 0, "nothing refused was asked of the tile server");
      assert.equal((await admin(14, ...tileOf(lat, lon, 14))).status, 200, "the admin's region");
    } finally {
      await server.dispose();
    }
  });

  test("a redirect, a page that is not an image or an oversized body from the tile server is a 502, and nothing is kept", async () => {
    const server = await start();
    try {
      const get = getter(server, await signIn(server.url, "demo.inspector"));
      const [x, y] = tileOf(LAT, LON, 16);
      for (const [i, bad] of ["redirect", "html", "huge"].entries()) {
        answer = bad;
        hits.length = 0;
        const res = await get(16, x + i, y);
        assert.equal(res.status, 502, bad);
        assert.match(res.headers.get("content-type"), /json/, `${bad}: not passed on as a tile`);
        assert.equal(kept(server, 16, x + i, y), 0, `${bad}: not kept`);
        assert.deepEqual(hits, [`/16/${x + i}/${y}.png`], `${bad}: asked once, no redirect followed`);
      }
      answer = "tile";
      assert.equal((await get(16, x, y)).status, 200, "the same tile once the tile server sends it");
      assert.equal(kept(server, 16, x, y), 1);
    } finally {
      await server.dispose();
    }
  });

  test("a tile server over plain HTTP anywhere but this machine stops the start", () => {
    const dir = tempDir();
    try {
      const refused = runServer(["--addr", "127.0.0.1:0", "--database", freshDatabase(dir), "--tile-url", "http://tiles.example.kz/{z}/{x}/{y}.png"]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /http:\/\/tiles\.example\.kz\/\{z\}\/\{x\}\/\{y\}\.png must start with https:\/\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the tile cache keeps under its size by dropping the least recently used tiles", async () => {
    // 35 KiB: three 10 KiB tiles fit; a fourth makes room by dropping one.
    const server = await start("--tile-cache-kb", "35");
    try {
      answer = "tile";
      const get = getter(server, await signIn(server.url, "demo.inspector"));
      const [x, y] = tileOf(LAT, LON, 17);
      const show = async (i) => {
        const res = await get(17, x + i, y);
        assert.equal(res.status, 200, `tile ${i}`);
        await res.arrayBuffer();
      };
      for (const i of [0, 1, 2]) await show(i);
      // Used long ago, tile 0 first: the order a first-in-first-out cache would drop them in.
      for (const i of [0, 1, 2]) sqliteWrite(server.database, `UPDATE tile_cache SET last_used_at = ${1000 + i} WHERE zoom = 17 AND x = ${x + i}`);
      hits.length = 0;
      await show(0);
      assert.deepEqual(hits, [], "served from the cache");
      const lastUse = Number(sqlite(server.database, `SELECT last_used_at FROM tile_cache WHERE zoom = 17 AND x = ${x}`)[0][0]);
      assert.ok(lastUse > Date.now() / 1000 - 60, "showing a tile makes it recently used");
      await show(3);
      await show(4);
      const left = sqlite(server.database, "SELECT x FROM tile_cache WHERE zoom = 17 ORDER BY x").map(([kx]) => kx - x);
      assert.deepEqual(left, [0, 3, 4], "tiles 1 and 2, the least recently used, were dropped");
      const bytes = Number(sqlite(server.database, "SELECT SUM(length(data)) FROM tile_cache")[0][0]);
      assert.ok(bytes <= 35 * 1024, `${bytes} bytes kept`);
    } finally {
      await server.dispose();
    }
  });

  test("an account fetching tiles faster than its rate is slowed down, then refused with Retry-After; other accounts are not", async () => {
    const server = await start("--tile-rate", "10", "--tile-burst", "5");
    try {
      answer = "tile";
      const [x, y] = tileOf(LAT, LON, 15);
      // A download fetches 6 tiles at a time: past the burst it is held to the rate, not refused.
      const inspector = getter(server, await signIn(server.url, "demo.inspector"));
      const began = Date.now();
      for (let batch = 0; batch < 4; batch++) {
        const statuses = await Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => (await inspector(15, x + (i % 3), y)).status));
        assert.deepEqual(statuses, Array(6).fill(200), `batch ${batch}`);
      }
      const seconds = (Date.now() - began) / 1000;
      assert.ok(seconds >= 1.5, `24 tiles: 5 at once, then 10 a second (${seconds} s)`);

      // Forty at once is more than a second's worth: the rest are refused.
      const supervisor = getter(server, await signIn(server.url, "demo.supervisor"), { "accept-language": "en" });
      const flood = await Promise.all(Array.from({ length: 40 }, (_, i) => supervisor(15, x + (i % 4), y)));
      const served = flood.filter((res) => res.status === 200).length;
      const refused = flood.filter((res) => res.status === 429);
      assert.ok(served >= 5, `the burst is served (${served})`);
      assert.ok(refused.length >= 15, `the excess is refused (${refused.length})`);
      assert.equal(served + refused.length, 40);
      assert.ok(Number(refused[0].headers.get("retry-after")) >= 1, "Retry-After in seconds");
      assert.match((await refused[0].json()).message, /^Too many requests from your account\. Try again in \d+ s\.$/);

      // The chair's own rate is untouched.
      const chair = getter(server, await signIn(server.url, "demo.chair"));
      assert.equal((await chair(15, x, y)).status, 200);
    } finally {
      await server.dispose();
    }
  });
});

describe("the admin's layer import and map features through sync", () => {
  let server;
  let sepe;
  const one = (sql) => sqlite(server.database, sql)[0]?.[0];
  const importLayer = async (cookie, layer, body, { village = sepe, language = "ru" } = {}) => {
    const res = await fetch(`${server.url}/api/v1/map/import?village=${village}&layer=${layer}`, {
      method: "POST",
      headers: { cookie, "content-type": "application/geo+json", "accept-language": language },
      body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  before(async () => {
    server = await startServer();
    sepe = one("SELECT id FROM villages WHERE name_ru = 'Сепе'");
  });
  after(() => server?.dispose());

  test("a valid file replaces the layer whole, and devices get the new features and lose the old ones", async () => {
    const admin = await signIn(server.url, "demo.admin");
    const inspector = await signIn(server.url, "demo.inspector");
    const before = await pullAll(server.url, inspector);
    const oldLandmarks = before.changes.filter((c) => c.entity === "feature" && c.record?.layer === "landmarks").map((c) => c.record_id);
    assert.ok(oldLandmarks.length >= 5, "the demo landmarks reached the inspector's device");

    // Over the common 256 KB body limit: this route takes a village layer file.
    const wells = Array.from({ length: 1500 }, (_, i) => feature({ type: "Point", coordinates: [LON + i * 1e-5, LAT] }, { name: `Құдық № ${i + 1} — ${"су ".repeat(20)}`, kind: "water_point" }));
    const big = { ...collection(...wells, feature({ type: "Polygon", coordinates: square(0.01, 0.005) }, { name: "Жайылым", kind: "pasture" })) };
    assert.ok(JSON.stringify(big).length > 256 * 1024);
    const imported = await importLayer(admin, "landmarks", big);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.imported, 1501);
    assert.equal(Number(one(`SELECT COUNT(*) FROM map_features WHERE village_id = '${sepe}' AND layer = 'landmarks'`)), 1501);

    const after = await pullAll(server.url, inspector, { since: before.cursor });
    const gone = after.changes.filter((c) => c.deleted).map((c) => c.record_id);
    for (const id of oldLandmarks) assert.ok(gone.includes(id), "the old landmark is dropped from the device");
    const pasture = after.changes.find((c) => c.record?.name === "Жайылым");
    assert.equal(pasture.record.kind, "pasture");
    assert.equal(pasture.record.geometry.type, "Polygon");
  });

  test("bad files are refused with the problem named in the reader's language, and nothing changes", async () => {
    const admin = await signIn(server.url, "demo.admin");
    const count = () => Number(one(`SELECT COUNT(*) FROM map_features WHERE village_id = '${sepe}'`));
    const before = count();
    const point = feature({ type: "Point", coordinates: [LON, LAT] }, { name: "Үй" });

    let res = await importLayer(admin, "households", "{ not json");
    assert.equal(res.status, 422);
    assert.match(res.body.message, /не читается как JSON/);

    // Metres of a projection (UTM 42N) where degrees belong.
    res = await importLayer(admin, "households", collection(point, feature({ type: "Point", coordinates: [571000, 5740000] })));
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "feature");
    assert.equal(res.body.error.feature, 2);
    assert.match(res.body.message, /Объект № 2: .*WGS 84 \(EPSG:4326\)/);

    res = await importLayer(admin, "households", { ...collection(point), crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::3857" } } });
    assert.equal(res.status, 422);
    assert.match(res.body.message, /EPSG::3857.*EPSG:4326/);

    const open = square(0.01, 0.01);
    open[0].pop();
    res = await importLayer(admin, "boundary", collection(feature({ type: "Polygon", coordinates: open })), { language: "kk" });
    assert.equal(res.status, 422);
    assert.match(res.body.message, /№ 1 нысан: контур тұйықталмаған/);

    res = await importLayer(admin, "streets", collection(point), { language: "en" });
    assert.equal(res.status, 422);
    assert.match(res.body.message, /Feature 1: type “Point” does not belong in this layer/);

    res = await importLayer(admin, "households", Buffer.alloc(4 * 1024 * 1024 + 10, " "));
    assert.equal(res.status, 413);
    assert.match(res.body.message, /больше 4 МБ/);

    res = await importLayer(admin, "households", collection(point), { village: "no-such-village" });
    assert.equal(res.status, 404);
    const inspector = await signIn(server.url, "demo.inspector");
    res = await importLayer(inspector, "households", collection(point));
    assert.equal(res.status, 403, "importing is the admin's");
    assert.equal(count(), before, "no refused file changed anything");
  });

  test("an imported outline makes the village's position the middle of that outline, no longer approximate", async () => {
    const admin = await signIn(server.url, "demo.admin");
    const village = one("SELECT id FROM villages WHERE position_approximate = TRUE AND boundary_geojson IS NULL ORDER BY name_ru LIMIT 1");
    assert.ok(village, "the seed has villages whose position is approximate");
    const position = () => sqlite(server.database, `SELECT lat, lon, position_approximate FROM villages WHERE id = '${village}'`)[0].map(Number);
    const [lat, lon] = position();

    // A refused outline leaves the position alone.
    const open = square(0.02, 0.01);
    open[0].pop();
    assert.equal((await importLayer(admin, "boundary", collection(feature({ type: "Polygon", coordinates: open })), { village })).status, 422);
    assert.deepEqual(position(), [lat, lon, 1]);

    const res = await importLayer(admin, "boundary", collection(feature({ type: "Polygon", coordinates: square(0.02, 0.01) })), { village });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [newLat, newLon, approximate] = position();
    assert.equal(approximate, 0);
    assert.ok(Math.abs(newLat - (LAT + 0.005)) < 1e-9 && Math.abs(newLon - (LON + 0.01)) < 1e-9, `centre ${newLat}, ${newLon}`);
    assert.match(one(`SELECT boundary_geojson FROM villages WHERE id = '${village}'`), /"Polygon"/);
  });

  test("an inspector adds, moves and removes a point through sync; others may not, and stale or broken changes are refused", async () => {
    const inspector = await signIn(server.url, "demo.inspector");
    // The akimat's representative works in Сепе too: reads the map, does not edit it.
    const akimat = await signIn(server.url, "demo.akimat");
    const phone = device();
    const id = newId();
    const household = (lon) => ({ village_id: sepe, layer: "households", name: "Абай көшесі, 7", geometry: { type: "Point", coordinates: [lon, LAT] } });
    let res = await push(server.url, inspector, phone.id, [
      phone.mutation("feature", "create", id, household(LON)),
      phone.mutation("feature", "update", id, household(LON + 0.001), 1),
      phone.mutation("feature", "update", id, household(LON + 0.002), 1),
      phone.mutation("feature", "update", id, { ...household(LON), geometry: { type: "LineString", coordinates: [[LON, LAT], [LON + 1, LAT]] } }, 2),
      phone.mutation("feature", "create", newId(), { ...household(LON), geometry: { type: "Point", coordinates: [7600000, 6700000] } }),
    ]);
    assert.deepEqual(res.body.answers.map((a) => a.status), ["applied", "applied", "conflict", "rejected", "rejected"]);
    assert.equal(res.body.answers[2].server_record.version, 2, "the stale copy meets the current one");
    assert.deepEqual(res.body.answers[3].reason, { code: "invalid", field: "geometry", rule: { rule: "unknown_choice" } });
    assert.deepEqual(res.body.answers[4].reason.field, "geometry");
    assert.deepEqual(JSON.parse(one(`SELECT geometry FROM map_features WHERE id = '${id}'`)).coordinates, [LON + 0.001, LAT]);

    const tablet = device();
    res = await push(server.url, akimat, tablet.id, [tablet.mutation("feature", "create", newId(), household(LON))]);
    assert.deepEqual(res.body.answers[0].reason, { code: "forbidden" }, "the akimat sees the map but does not edit it");

    const before = await pullAll(server.url, akimat);
    assert.ok(before.changes.some((c) => c.record_id === id), "the akimat's tablet has the household");
    res = await push(server.url, inspector, phone.id, [phone.mutation("feature", "delete", id, null, 2)]);
    assert.equal(res.body.answers[0].status, "applied");
    const after = await pullAll(server.url, akimat, { since: before.cursor });
    assert.ok(after.changes.some((c) => c.record_id === id && c.deleted), "a removed point is dropped from devices");
  });
});
