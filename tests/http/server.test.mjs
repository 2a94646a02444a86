// Integration tests: the real server binary, a temporary SQLite file, plain HTTP.
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { ROOT, runServer, signedInFetch, SITE_ROOT, sqlite, startServer, tempDir, freshDatabase, SQLITE_ONLY } from "../support/server.mjs";

/** GET without any automatic decompression, so sizes and encodings are what was sent. */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

function villageLinks(html) {
  return [...html.matchAll(/href="\/villages\/([0-9a-f-]{36})"[^>]*>\s*<span class="card-title">([^<]+)</g)].map(
    (m) => ({ id: m[1], name: m[2] }),
  );
}

describe("a server with demo data", () => {
  let server;
  // Pages need a session; the region coordinator sees every village and council.
  let get;
  before(async () => {
    server = await startServer();
    get = await signedInFetch(server.url, "demo.coordinator");
  });
  after(async () => server.dispose());

  test("answers its health check", async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  test("lists the 13 program villages in 8 districts on the home page, with the demo's comparison villages", async () => {
    const res = await get(`${server.url}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.equal(villageLinks(html).length, 13 + 4);
    assert.equal((html.match(/Не участвует/g) ?? []).length, 4, "the comparison villages are marked");
    assert.equal(html.match(/<section class="district">/g)?.length, 8);
    assert.match(html, /Шуйское/);
    assert.match(html, /Пилотное село/);
  });

  test("shows a village's district, status and council members from the database", async () => {
    const html = await (await get(`${server.url}/`)).text();
    const shuiskoe = villageLinks(html).find((v) => v.name === "Шуйское");
    assert.ok(shuiskoe, "Шуйское is listed");
    const res = await get(`${server.url}/villages/${shuiskoe.id}`);
    assert.equal(res.status, 200);
    // Leptos leaves empty comments (`<!>`) as hydration markers; they are not content.
    const page = (await res.text()).replaceAll("<!>", "");
    assert.match(page, /<dd id="village-district">Атбасарский район<\/dd>/);
    assert.match(page, /Пилотное село/);
    assert.match(page, /Приблизительно/);
    const members = sqlite(
      server.database,
      `SELECT m.full_name, m.role FROM council_members m JOIN councils c ON c.id = m.council_id
       WHERE c.village_id = '${shuiskoe.id}'`,
    );
    assert.equal(members.length, 5);
    for (const [name] of members) assert.ok(page.includes(name), `${name} is on the page`);
    assert.equal(page.match(/class="member"/g)?.length, 5);
    assert.ok(page.indexOf("Председатель") < page.indexOf("Аксакал"), "the chair is listed first");
  });

  test("answers 404 with a translated message for a village that does not exist", async () => {
    const res = await get(`${server.url}/villages/00000000-0000-7000-8000-000000000000`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Село не найдено/);
  });

  test("answers 404 for an unknown page", async () => {
    const res = await get(`${server.url}/no-such-page`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Страница не найдена/);
  });

  test("renders Russian by default and the language of the cookie or Accept-Language", async () => {
    const ru = await (await get(`${server.url}/`)).text();
    assert.match(ru, /<html[^>]* lang="ru"/);
    assert.match(ru, /Сёла программы/);
    const kk = await (await get(`${server.url}/`, { headers: { cookie: `${get.cookie}; i18n_pref_locale=kk` } })).text();
    assert.match(kk, /<html[^>]* lang="kk"/);
    assert.match(kk, /Бағдарламадағы ауылдар/);
    const en = await (await get(`${server.url}/`, { headers: { "accept-language": "en-GB,en;q=0.9" } })).text();
    assert.match(en, /Program villages/);
  });

  test("loads one demo account per role, each with an argon2id hash", () => {
    const rows = sqlite(server.database, "SELECT role, demo, password_hash FROM accounts ORDER BY role");
    assert.deepEqual(
      rows.map((r) => r[0]),
      ["admin", "akimat", "council_chair", "council_member", "district_supervisor", "inspector", "region_coordinator"],
    );
    for (const [, demo, hash] of rows) {
      assert.equal(demo, 1);
      assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
  });

  test("marks every demo record as demo and loads a few of each kind", () => {
    for (const table of ["persons", "offences", "visits", "tasks", "proposals", "events", "meetings", "decisions", "councils"]) {
      const [[total, demo]] = sqlite(server.database, `SELECT COUNT(*), COUNT(*) FILTER (WHERE demo = TRUE) FROM ${table}`);
      assert.ok(total > 0, `${table} has demo rows`);
      assert.equal(demo, total, `every row of ${table} is marked demo`);
    }
    const [[offencesInPilot]] = sqlite(
      server.database,
      "SELECT COUNT(*) FROM offences o JOIN villages v ON v.id = o.village_id WHERE v.name_ru = 'Шуйское'",
    );
    assert.equal(offencesInPilot, 0, "the pilot village reported no offences; demo data keeps that");
  });

  test("keeps the database in WAL mode", { skip: SQLITE_ONLY }, () => {
    assert.deepEqual(sqlite(server.database, "PRAGMA journal_mode"), [["wal"]]);
  });

  test("serves the manifest with its icons", async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /application\/manifest\+json/);
    const manifest = await res.json();
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.start_url, "/");
    assert.ok(manifest.short_name && manifest.name && manifest.theme_color);
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
    assert.deepEqual(sizes, ["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of manifest.icons) {
      const png = Buffer.from(await (await fetch(`${server.url}${icon.src}`)).arrayBuffer());
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.equal(`${w}x${h}`, icon.sizes, `${icon.src} is really ${icon.sizes}`);
    }
  });

  test("serves a service worker that precaches exactly this build's files", async () => {
    const html = await (await get(`${server.url}/`)).text();
    const referenced = [...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]);
    const js = referenced.find((f) => f.endsWith(".js"));
    const wasm = referenced.find((f) => f.endsWith(".wasm"));
    const css = referenced.find((f) => f.endsWith(".css"));
    assert.ok(js && wasm && css, `the page links its js, wasm and css: ${referenced}`);

    const res = await fetch(`${server.url}/sw.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /javascript/);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const worker = await res.text();
    const buildId = worker.match(/const BUILD_ID = "([0-9a-f]{16})"/)?.[1];
    assert.ok(buildId, "the worker names its build");
    const precache = JSON.parse(worker.match(/const PRECACHE = (\[.*\]);/)[1]);
    assert.deepEqual(precache.slice(0, 4), ["/sign-in", js, wasm, css]);
    for (const file of precache) {
      assert.equal((await fetch(`${server.url}${file}`)).status, 200, `${file} is served`);
    }
  });

  test("compresses the page, js, wasm and css as a browser asks; pages are gzipped, never brotli'd on the fly", async () => {
    const html = await (await get(`${server.url}/`)).text();
    const files = ["/", ...[...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1])];
    for (const file of files) {
      const cookie = get.cookie;
      const raw = await rawGet(`${server.url}${file}`, { "accept-encoding": "identity", cookie });
      const browser = await rawGet(`${server.url}${file}`, { "accept-encoding": "gzip, deflate, br, zstd", cookie });
      const gz = await rawGet(`${server.url}${file}`, { "accept-encoding": "gzip", cookie });
      // A build file with a precompressed brotli copy beside it (a release build's) goes as
      // that copy; anything else, pages included, is gzipped on the fly.
      const precompressed = file !== "/" && existsSync(path.join(SITE_ROOT, `${file}.br`));
      assert.equal(browser.headers["content-encoding"], precompressed ? "br" : "gzip", `${file} for a browser`);
      assert.equal(gz.headers["content-encoding"], "gzip", `${file} in gzip`);
      assert.ok(gz.body.length < raw.body.length, `${file}: gzip is smaller`);
    }
  });

  test("serves a build file's precompressed brotli and gzip copies as they are", async () => {
    // A copy of the site whose stylesheet carries the .br and .gz files a release build writes
    // beside it (cargo-leptos --precompress), made here with node's own encoders.
    const site = path.join(tempDir(), "site");
    cpSync(process.env.ZQ_SITE_ROOT ?? path.join(ROOT, "target/site"), site, { recursive: true });
    const html = await (await get(`${server.url}/`)).text();
    const css = html.match(/href="(\/pkg\/[^"]+\.css)"/)[1];
    const plain = readFileSync(path.join(site, css));
    const br = brotliCompressSync(plain, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
    const gz = gzipSync(plain, { level: 9 });
    writeFileSync(path.join(site, `${css}.br`), br);
    writeFileSync(path.join(site, `${css}.gz`), gz);
    const other = await startServer({ siteRoot: site });
    try {
      const asBrowser = await rawGet(`${other.url}${css}`, { "accept-encoding": "gzip, deflate, br" });
      assert.equal(asBrowser.headers["content-encoding"], "br");
      assert.deepEqual(asBrowser.body, br, "the precompressed copy, byte for byte");
      const asGzip = await rawGet(`${other.url}${css}`, { "accept-encoding": "gzip" });
      assert.equal(asGzip.headers["content-encoding"], "gzip");
      assert.deepEqual(asGzip.body, gz);
      const asIs = await rawGet(`${other.url}${css}`, { "accept-encoding": "identity" });
      assert.deepEqual(asIs.body, plain);
      // Fifty at once: all the same bytes.
      const many = await Promise.all(
        Array.from({ length: 50 }, () => rawGet(`${other.url}${css}`, { "accept-encoding": "br" })),
      );
      assert.ok(many.every((r) => r.status === 200 && Buffer.compare(r.body, br) === 0));
    } finally {
      await other.dispose();
    }
  });

  test("lets hashed build files be cached for a year and keeps pages out of every cache", async () => {
    const html = await (await get(`${server.url}/`)).text();
    const pkgFile = html.match(/href="(\/pkg\/[^"]+\.css)"/)[1];
    const asset = await fetch(`${server.url}${pkgFile}`);
    const page = await get(`${server.url}/`);
    if (/\.[0-9a-zA-Z_-]{8,}\.css$/.test(pkgFile)) {
      assert.match(asset.headers.get("cache-control"), /immutable/);
    }
    // no-store: after sign-out, the back button cannot bring a private page back from a cache.
    assert.equal(page.headers.get("cache-control"), "no-store");
  });
});

describe("starting and stopping", () => {
  test("without demo data: the program villages only, no accounts, no councils; pages ask to sign in", async () => {
    const server = await startServer({ demo: false });
    try {
      assert.deepEqual(sqlite(server.database, "SELECT COUNT(*) FROM villages"), [[13]]);
      assert.deepEqual(sqlite(server.database, "SELECT COUNT(*) FROM accounts"), [[0]]);
      assert.deepEqual(sqlite(server.database, "SELECT COUNT(*) FROM councils"), [[0]]);
      const home = await fetch(`${server.url}/`, { redirect: "manual" });
      assert.equal(home.status, 303);
      assert.equal(home.headers.get("location"), "/sign-in?next=/");
      const signIn = await fetch(`${server.url}/sign-in`);
      assert.equal(signIn.status, 200);
      assert.match(await signIn.text(), /<input id="login" name="login"/);
    } finally {
      await server.dispose();
    }
  });

  test("stops cleanly on SIGTERM and a restart neither loses nor duplicates data", async () => {
    const dir = tempDir();
    const first = await startServer({ dir, log: "info" });
    const before = sqlite(first.database, "SELECT (SELECT COUNT(*) FROM villages), (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM council_members)");
    const { code } = await first.stop("SIGTERM");
    assert.equal(code, 0, `exit code after SIGTERM\n${first.stderr()}`);
    assert.match(first.stderr(), /shutdown requested/);
    assert.match(first.stderr(), /stopped cleanly/);

    const second = await startServer({ dir });
    try {
      const after = sqlite(second.database, "SELECT (SELECT COUNT(*) FROM villages), (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM council_members)");
      assert.deepEqual(after, before);
      // The 13 program villages and the demo's 4 comparison villages (which have no council).
      assert.deepEqual(before, [[17, 7, 65]]);
      assert.equal((await fetch(`${second.url}/healthz`)).status, 200);
    } finally {
      await second.dispose();
    }
  });

  test("a damaged database file gives a clear error and exit code 1, not a panic", { skip: SQLITE_ONLY }, () => {
    const dir = tempDir();
    const database = path.join(dir, "broken.sqlite");
    writeFileSync(database, "this is not a database ".repeat(400));
    const { code, stderr } = runServer(["--addr", "127.0.0.1:0", "--database", database]);
    assert.equal(code, 1);
    assert.match(stderr, /not a SQLite database or is damaged/);
    assert.doesNotMatch(stderr, /panicked/);
  });

  test("a database path that cannot be created gives a clear error", { skip: SQLITE_ONLY }, () => {
    const dir = tempDir();
    const blocker = path.join(dir, "a-file");
    writeFileSync(blocker, "");
    const { code, stderr } = runServer(["--addr", "127.0.0.1:0", "--database", path.join(blocker, "db/zq.sqlite")]);
    assert.equal(code, 1);
    assert.match(stderr, /cannot create the folder/);
    assert.doesNotMatch(stderr, /panicked/);
    assert.ok(!existsSync(path.join(blocker, "db")));
  });

  test("--help lists the settings", () => {
    const { code, stdout } = runServer(["--help"]);
    assert.equal(code, 0);
    for (const flag of ["--addr", "--database", "--demo-data", "--log-level", "--log-format", "--site-root"]) {
      assert.ok(stdout.includes(flag), `--help mentions ${flag}`);
    }
  });

  test("an address already in use gives a clear error", async () => {
    const server = await startServer();
    try {
      const port = new URL(server.url).port;
      const { code, stderr } = runServer(["--addr", `127.0.0.1:${port}`, "--database", freshDatabase(server.dir, "other.sqlite")]);
      assert.equal(code, 1);
      assert.match(stderr, /cannot listen on 127\.0\.0\.1:\d+/);
    } finally {
      await server.dispose();
    }
  });
});
