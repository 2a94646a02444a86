// Sync benchmark (issue 4): push and pull throughput, bytes per mutation on the wire, and the
// time Chromium takes to sync 1,000 queued entries over a throttled link (400 kbps, 400 ms
// RTT) beside the bare transfer time of the same bytes. Prints the figures and writes them
// into BENCHMARKS.md between its markers. Figures, not a test: nothing here fails on a number.
import http from "node:http";
import zlib from "node:zlib";
import { launch, newContext, signInWithPin, waitForActiveServiceWorker } from "../support/browser.mjs";
import { open, syncBar, until } from "../support/outbox.mjs";
import { signIn, sqlite, startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";
import { device, newId, proposal, pull, push, reference } from "../support/sync.mjs";

const PUSH_TOTAL = 10_000;
const BATCH = 100;
const QUEUED = 1_000;
const KBPS = 400;
const RTT_MS = 400;

/** GET with an Accept-Encoding, returning the bytes as sent. */
function rawGet(url, cookie, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie, "accept-encoding": encoding, "x-zq-app-version": "bench" } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks)));
      })
      .on("error", reject);
  });
}

const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};

// Throughput is the point here: the per-account request rate is lifted.
const server = await startServer({ args: ["--api-rate", "100000", "--api-burst", "100000"] });
try {
  const cookie = await signIn(server.url, "demo.inspector");
  const sepe = (await reference(server.url, cookie)).villages.find((v) => v.name.ru === "Сепе").id;

  // Push: one device, batches of 100, one request at a time (as a device sends them).
  const phone = device();
  const batches = [];
  for (let i = 0; i < PUSH_TOTAL; i += BATCH) {
    batches.push(Array.from({ length: BATCH }, (_, j) => phone.mutation("proposal", "create", newId(), proposal(sepe, i + j))));
  }
  let requestBytes = 0;
  let requestGzip = 0;
  let start = performance.now();
  for (const batch of batches) {
    const body = JSON.stringify({ device_id: phone.id, mutations: batch });
    requestBytes += Buffer.byteLength(body);
    requestGzip += zlib.gzipSync(body).length;
    const res = await push(server.url, cookie, phone.id, batch);
    if (res.status !== 200 || res.body.answers.some((a) => a.status !== "applied")) throw new Error("push failed");
  }
  const pushSeconds = (performance.now() - start) / 1000;
  const pushRate = PUSH_TOTAL / pushSeconds;

  // Four devices side by side.
  const four = Array.from({ length: 4 }, () => device());
  start = performance.now();
  await Promise.all(
    four.map(async (d) => {
      for (let i = 0; i < 2_500; i += BATCH) {
        const batch = Array.from({ length: BATCH }, (_, j) => d.mutation("event", "create", newId(), { village_id: sepe, kind: "sport", title: `Б ${i + j}`, held_on: "2026-11-01", attendance: 10 }));
        const res = await push(server.url, cookie, d.id, batch);
        if (res.status !== 200) throw new Error("push failed");
      }
    }),
  );
  const parallelRate = 10_000 / ((performance.now() - start) / 1000);

  // The answers to one fresh batch (each applied record as stored comes with its answer), and
  // the same gzipped as the server compresses answers on the fly (level 5).
  const fresh = Array.from({ length: BATCH }, (_, j) => phone.mutation("proposal", "create", newId(), proposal(sepe, PUSH_TOTAL + j)));
  const answerRaw = JSON.stringify((await push(server.url, cookie, phone.id, fresh)).body);
  const answerGzip = zlib.gzipSync(answerRaw, { level: 5 }).length;

  // Pull: everything from 0, pages of 500.
  start = performance.now();
  let since = 0;
  let pulled = 0;
  let pullBytesGzip = 0;
  let pullBytesRaw = 0;
  for (;;) {
    const page = await pull(server.url, cookie, { since });
    pulled += page.body.changes.length;
    since = page.body.cursor;
    if (!page.body.more) break;
  }
  const pullSeconds = (performance.now() - start) / 1000;
  const pullRate = pulled / pullSeconds;
  for (let s = 0, pages = 0; pages < 4; pages += 1) {
    const url = `${server.url}/api/v1/sync/pull?since=${s}&stream=records`;
    const gzip = await rawGet(url, cookie, "br, gzip");
    const raw = await rawGet(url, cookie, "identity");
    pullBytesGzip += gzip.length;
    pullBytesRaw += raw.length;
    s = JSON.parse(raw).cursor;
  }
  const perPulled = (n) => (n / 2000).toFixed(0);

  say(`Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/sync.sh\` (release build, SQLite file, one machine, loopback).`);
  say("");
  say("| figure | value |");
  say("|---|---:|");
  say(`| push, one device, batches of ${BATCH} proposals | ${pushRate.toFixed(0)} mutations/s (${PUSH_TOTAL} in ${pushSeconds.toFixed(1)} s) |`);
  say(`| push, four devices at once | ${parallelRate.toFixed(0)} mutations/s |`);
  say(`| pull, pages of 500 | ${pullRate.toFixed(0)} records/s (${pulled} records in ${pullSeconds.toFixed(1)} s) |`);
  say(`| push request per mutation, JSON as the browser sends it | ${(requestBytes / PUSH_TOTAL).toFixed(0)} B |`);
  say(`| … the same gzip-compressed (if the client compressed it) | ${(requestGzip / PUSH_TOTAL).toFixed(0)} B |`);
  say(`| push answer per mutation (with the record as stored), raw / gzip as served | ${(answerRaw.length / BATCH).toFixed(0)} B / ${(answerGzip / BATCH).toFixed(0)} B |`);
  say(`| pull per record, raw / as served to a browser asking for brotli or gzip (gzip) | ${perPulled(pullBytesRaw)} B / ${perPulled(pullBytesGzip)} B |`);

  // Chromium: 1,000 entries queued on a phone, synced over a throttled link.
  const browser = await launch();
  try {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInWithPin(page, server.url, "demo.inspector");
    await waitForActiveServiceWorker(page);
    await open(page, server.url, "/outbox");
    await until(async () => !(await syncBar(page)).running, "the first sync finished", 300_000);
    // The link is throttled from here on (Chrome DevTools' network emulation of the page).
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const bytesPerSecond = (KBPS * 1000) / 8;
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: RTT_MS,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
    let up = 0;
    let down = 0;
    let requests = 0;
    let firstPush;
    const syncIds = new Set();
    cdp.on("Network.requestWillBeSent", (e) => {
      if (e.request.url.includes("/api/v1/sync/push")) firstPush ??= performance.now();
      if (firstPush !== undefined && e.request.url.includes("/api/v1/sync/")) {
        requests += 1;
        syncIds.add(e.requestId);
        up += (e.request.postData ?? "").length + 400; // + request line and headers, roughly
      }
    });
    cdp.on("Network.loadingFinished", (e) => {
      if (syncIds.has(e.requestId)) down += e.encodedDataLength;
    });
    // The entries are written straight into the outbox in the app's own format (as 1,000
    // submitted forms would leave them), to time the sync rather than typing; the page is
    // then reopened, which starts a sync.
    await page.evaluate(
      async ({ count, village }) => {
        const db = await new Promise((resolve, reject) => {
          const request = indexedDB.open("zq");
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction(["meta", "outbox", "records"], "readwrite");
        const deviceId = crypto.randomUUID();
        for (let seq = 1; seq <= count; seq += 1) {
          const id = crypto.randomUUID();
          const payload = { village_id: village, author: `Житель ${seq}`, category: "lighting", body: `Көшеге шам қою керек ${seq}`, submitted_on: "2026-11-01" };
          const mutation = { id: crypto.randomUUID(), seq, entity: "proposal", op: "create", record_id: id, base_version: null, payload };
          tx.objectStore("outbox").put(JSON.stringify({ mutation, state: "pending", reason: null, server_record: null, made_at: Date.now() }), seq);
          const shown = { id, ...payload, status: "submitted", answer: null, version: 1, updated_at: "" };
          tx.objectStore("records").put(JSON.stringify({ entity: "proposal", id, state: "pending", record: shown }), `proposal:${id}`);
        }
        tx.objectStore("meta").put(JSON.stringify({ device_id: deviceId, next_seq: count + 1 }), "device");
        await new Promise((resolve) => (tx.oncomplete = resolve));
        db.close();
      },
      { count: QUEUED, village: sepe },
    );
    await page.reload();
    await until(async () => {
      const bar = await syncBar(page);
      return firstPush !== undefined && bar.pending === 0 && !bar.running;
    }, "1,000 entries synced", 900_000);
    const seconds = (performance.now() - firstPush) / 1000;
    const stored = sqlite(server.database, "SELECT COUNT(*) FROM proposals WHERE author LIKE 'Житель %'")[0][0];
    if (stored < QUEUED) throw new Error(`only ${stored} proposals arrived`);
    const bare = (up + down) / bytesPerSecond;
    say(`| 1,000 queued entries, Chromium at ${KBPS} kbps up and down, ${RTT_MS} ms RTT: time to sync (push, then the pull that follows) | ${seconds.toFixed(1)} s |`);
    say(`| … bytes on the wire (${requests} requests: up ${(up / 1024).toFixed(0)} KiB, down ${(down / 1024).toFixed(0)} KiB) at the bare ${KBPS} kbps, no latency | ${bare.toFixed(1)} s |`);
    say(`| … the same plus one RTT per request | ${(bare + (requests * RTT_MS) / 1000).toFixed(1)} s |`);
  } finally {
    await browser.close();
  }
} finally {
  await server.dispose();
}

writeSection("sync", lines.join("\n"), { appendUnder: "## Sync" });
