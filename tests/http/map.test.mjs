// Issue 6 over HTTP against the real server: tiles read from an MBTiles file the tests make,
// the admin's layer import with its refusals, and map features through sync.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT, runServer, signIn, sqlite, startServer } from "../support/server.mjs";
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

const LAT = 51.81;
const LON = 68.36;
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
    const broken = runServer(["--addr", "127.0.0.1:0", "--database", path.join(server.dir, "other.sqlite"), "--mbtiles", path.join(server.dir, "other.sqlite")]);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /is not an MBTiles file/);
  });
});

describe("base tiles from a configured tile server, fetched once and kept", () => {
  let upstream;
  let hits = [];
  const png = readFileSync(path.join(ROOT, "public/icons/icon-192.png"));
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
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${first.url}/tiles/13/5656/2735`, { headers: { cookie } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(png));
    }
    assert.deepEqual(hits, ["/13/5656/2735.png"], "the second request did not reach the tile server");
    assert.equal((await fetch(`${first.url}/tiles/12/1/1`, { headers: { cookie } })).status, 404, "the tile server's 404");
    assert.equal((await fetch(`${first.url}/tiles/14/1/1`, { headers: { cookie } })).status, 502, "the tile server's failure");
    await first.stop();

    // The tile server is gone; the kept tile is still served after a restart.
    upstream.close();
    const again = await startServer({ dir: first.dir, database: first.database, args: ["--tile-url", template] });
    try {
      const cookie2 = await signIn(again.url, "demo.inspector");
      const res = await fetch(`${again.url}/tiles/13/5656/2735`, { headers: { cookie: cookie2 } });
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(png));
      assert.equal((await fetch(`${again.url}/tiles/13/5657/2735`, { headers: { cookie: cookie2 } })).status, 502, "not kept, tile server down");
    } finally {
      await again.dispose();
    }
    assert.notEqual(runServer(["--tile-url", "ftp://tiles/{z}/{x}/{y}", "--database", path.join(first.dir, "x.sqlite")]).code, 0);
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
    const village = one("SELECT id FROM villages WHERE position_approximate = 1 AND boundary_geojson IS NULL ORDER BY name_ru LIMIT 1");
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
