// Flaky-link soak (issue 33, item 6): many phones push and pull through a bad link while the
// server is killed and restarted, and afterwards every entry they made must be in the database
// exactly once. Each device behaves as the app's sync engine does (DESIGN §4.7): an outbox in
// seq order, sent until a 200 answer settles each entry, the same mutation ids and seqs sent
// again after any request that went unanswered, and a pull that follows its cursor. The link
// adds 200–800 ms to every request and cuts 5 % of them mid-flight (tests/support/rude.mjs), so
// the server meets dropped handlers, re-sent batches and replays all the time. Run on SQLite
// (one server) and on PostgreSQL with two instances over one database, where only instance A
// is killed and a balancer sends the devices to B meanwhile.
// A benchmark, not a CI test: it writes figures into BENCHMARKS.md and exits non-zero only when
// an entry was lost or doubled (a benchmark that measured a broken server must say so).
//
// Environment: ZQ_SERVER_BIN, ZQ_PG_SERVER_BIN, ZQ_SITE_ROOT, ZQ_TEST_POSTGRES (set by
// tests/bench/flaky.sh); for short tries ZQ_SOAK_SECONDS (600), ZQ_SOAK_DEVICES (100) and
// ZQ_SOAK_ONLY (sqlite or postgres: run that configuration alone).
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { dropDatabase, newDatabase } from "../support/postgres.mjs";
import { signIn, sqlite, startServer, tempDir } from "../support/server.mjs";
import { builtFrom, writeSection } from "../support/benchmarks.mjs";
import { device, newId, proposal, reference } from "../support/sync.mjs";
import { between, rudeRequest, writeLockFree } from "../support/rude.mjs";

const SECONDS = Number(process.env.ZQ_SOAK_SECONDS ?? 600);
const DEVICES = Number(process.env.ZQ_SOAK_DEVICES ?? 100);
const ONLY = process.env.ZQ_SOAK_ONLY;
const SQLITE_SERVER = process.env.ZQ_SERVER_BIN;
const POSTGRES_SERVER = process.env.ZQ_PG_SERVER_BIN;
const LIFTED = ["--api-rate", "100000", "--api-burst", "100000", "--login-address-limit", "1000000", "--login-account-limit", "1000000"];
const CUT_SHARE = 0.05;
const LATENCY_MS = [200, 800];
const BATCH = 100; // what the app sends at most in one push (DESIGN §4.2)
const REQUEST_TIMEOUT_MS = 30_000; // a request not answered by then counts as unanswered
const DRAIN_SECONDS = 120;
const RESTART_WINDOW_MS = 2_000; // a 5xx this soon after the new server listens is the restart's
// A balancer moves a request to the other instance only when the connection itself failed:
// refused (the process is gone) or reset (it died while the request was on its way).
const CONNECTION_FAILED = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

const now = () => performance.now();
const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const pick = (list) => list[Math.floor(Math.random() * list.length)];

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// Every server process this script started, so none outlives it whichever way it ends.
const started = new Set();
const databases = new Set();
const quietly = (act) => (item) => { try { act(item); } catch { /* already gone */ } };
process.on("exit", () => {
  started.forEach(quietly((pid) => process.kill(pid, "SIGKILL")));
  databases.forEach(quietly(dropDatabase));
});
process.on("SIGINT", () => process.exit(130)).on("SIGTERM", () => process.exit(143));
function track(server) {
  started.add(server.pid);
  server.exited.then(() => started.delete(server.pid));
  return server;
}

/** One configuration: its servers, DEVICES devices for SECONDS, the drain, then the count. */
async function soak({ key, name, bin, postgres, instances }) {
  // Named here rather than left to startServer, so ZQ_TEST_BACKEND cannot move SQLite's run.
  const dir = tempDir();
  const database = postgres ? newDatabase() : path.join(dir, "zq.sqlite");
  if (postgres) databases.add(database);
  const servers = [];
  const logs = []; // the stderr of every server process, the killed ones included
  const tag = `soak${randomUUID().slice(0, 8)}`; // marks this run's proposals in the database
  const stats = { requests: 0, pushes: 0, pulls: 0, cut: 0, unanswered: 0, rerouted: 0, statuses: {}, inside: 0, outside: 0 };
  Object.assign(stats, { answerLost: 0, fiveSamples: [], rejectedCount: 0, rejected: [], gaps: 0, signIns: 0, pulled: 0, restartMs: [] });
  const pushTimes = [];
  const windows = []; // restart windows: from the kill to RESTART_WINDOW_MS after listening
  const live = Array(instances).fill(true); // what the balancer believes, from the health probes
  const health = { lastOk: now(), longest: 0 };
  let stopProbes = false;
  try {
    // One after the other: the first loads the demo data, the others find it loaded.
    for (let i = 0; i < instances; i += 1) {
      servers.push(track(await startServer({ bin, database, args: LIFTED, ...(i === 0 ? { dir } : {}) })));
    }
    // One session for all devices (sessions live in the database and survive the restarts).
    const session = { cookie: await signIn(servers[0].url, "demo.inspector"), renewing: null };
    const villages = (await reference(servers[0].url, session.cookie)).villages.map((v) => v.id);
    /** A random live instance first, then the others: the order the balancer tries. */
    const route = () => {
      const all = servers.map((_, i) => i).sort(() => Math.random() - 0.5);
      return [...all.filter((i) => live[i]), ...all.filter((i) => !live[i])];
    };
    const note = (status, instance, body) => {
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
      if (status < 500) return;
      const at = now();
      const inside = windows.some((w) => at >= w.from && at <= w.to);
      stats[inside ? "inside" : "outside"] += 1;
      if (stats.fiveSamples.length < 10) stats.fiveSamples.push({ status, instance, inside, body: JSON.stringify(body).slice(0, 200) });
    };
    /** Through the balancer, uncut: resolves with { status, body, retryAfter }, status null if unanswered. */
    const balanced = async (request) => {
      const order = route();
      for (const [attempt, i] of order.entries()) {
        try {
          const res = await fetch(`${servers[i].url}${request.path}`, { ...request, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          const text = await res.text();
          const body = text.startsWith("{") ? JSON.parse(text) : text;
          note(res.status, i, body);
          return { status: res.status, body, retryAfter: Number(res.headers.get("retry-after") ?? 0) };
        } catch (error) {
          // A timeout stays unanswered; a failed connection goes to the next instance at once.
          if (!CONNECTION_FAILED.has(error.cause?.code ?? error.code)) return { status: null };
          if (attempt + 1 < order.length) stats.rerouted += 1;
        }
      }
      return { status: null };
    };
    /**
     * One request over the flaky link: part of the added latency before it leaves, the rest
     * before the answer reaches the device. One in twenty is cut: half of those while the
     * request is still being sent, half a few milliseconds after it was; a cut request is
     * unanswered for the device. `polite` is the drain's link: no latency, no cuts.
     */
    const send = async (request, polite) => {
      stats.requests += 1;
      const total = polite ? 0 : between(...LATENCY_MS);
      const before = between(0, total);
      await sleep(before);
      let answer;
      if (!polite && Math.random() < CUT_SHARE) {
        const size = Buffer.byteLength(request.body ?? "") + 300;
        const cut = Math.random() < 0.5 ? { cutAtByte: between(1, size), cutAfterMs: between(1, 15) } : { cutAfterMs: between(1, 30) };
        const instance = route()[0];
        const lost = await rudeRequest(servers[instance].url, request, cut);
        // The link is gone either way: an answer the server sent before the cut is lost on its
        // way back (the device must send again and be answered `duplicate`).
        stats.cut += 1;
        if (lost.status !== null) {
          stats.answerLost += 1;
          note(lost.status, instance, lost.body);
        }
        answer = { status: null };
      } else {
        answer = await balanced(request);
      }
      if (answer.status === null) stats.unanswered += 1;
      await sleep(total - before);
      return answer;
    };
    /** A 401 means the session is gone: sign in again, once for all the devices that met it. */
    const renew = async () => {
      if (stats.signIns >= 50) return; // a server that keeps losing sessions is reported, not chased
      session.renewing ??= (async () => {
        stats.signIns += 1;
        session.cookie = await signIn(servers[route()[0]].url, "demo.inspector").catch(() => session.cookie);
        await sleep(500);
        session.renewing = null;
      })();
      await session.renewing;
    };
    const waitFor = (p, res) => {
      if (res.retryAfter) p.waitUntil = now() + Math.min(res.retryAfter, 10) * 1000; // as the app honours it
    };
    const phones = Array.from({ length: DEVICES }, (_, index) => {
      const phone = device();
      return { index, phone, id: phone.id, pending: [], made: new Map(), acked: new Set(), cursor: 0, count: 0, waitUntil: 0 };
    });
    /** Sends the first BATCH pending entries; settles those a 200 answer applied (or refused). */
    const pushOutbox = async (p, polite) => {
      const batch = p.pending.slice(0, BATCH);
      const begun = now();
      stats.pushes += 1;
      const headers = { cookie: session.cookie, "content-type": "application/json", accept: "application/json", "x-zq-app-version": "bench" };
      const res = await send({ method: "POST", path: "/api/v1/sync/push", headers, body: JSON.stringify({ device_id: p.id, mutations: batch }) }, polite);
      if (res.status === null) return;
      if (!polite) pushTimes.push(now() - begun);
      if (res.status === 401) return renew();
      waitFor(p, res);
      if (res.status !== 200 || !Array.isArray(res.body?.answers)) return;
      const settled = new Set();
      for (const answer of res.body.answers) {
        const sent = batch.find((m) => m.id === answer.id);
        if (answer.status === "applied") {
          settled.add(answer.id); // a first write or a replay (`duplicate`): either way stored
          if (sent) p.acked.add(sent.record_id);
        } else if (answer.status === "gap") {
          stats.gaps += 1; // the entry waits; it cannot happen here, so the report says if it did
        } else {
          // rejected, conflict or skipped: the app keeps it for the person, it is not re-sent
          settled.add(answer.id);
          stats.rejectedCount += 1;
          if (stats.rejected.length < 10) stats.rejected.push({ seq: answer.seq, status: answer.status, reason: answer.reason });
        }
      }
      p.pending = p.pending.filter((m) => !settled.has(m.id));
    };
    /** Up to three pages of the records stream after the device's cursor. */
    const pullSome = async (p) => {
      for (let page = 0; page < 3; page += 1) {
        stats.pulls += 1;
        const query = `/api/v1/sync/pull?since=${p.cursor}&stream=records&device=${p.id}`;
        const res = await send({ method: "GET", path: query, headers: { cookie: session.cookie, accept: "application/json", "x-zq-app-version": "bench" } }, false);
        if (res.status === 401) return renew();
        waitFor(p, res);
        if (res.status !== 200 || !Array.isArray(res.body?.changes)) return;
        stats.pulled += res.body.changes.length;
        p.cursor = res.body.reset ? 0 : res.body.cursor;
        if (!res.body.more && !res.body.reset) return;
      }
    };
    /** A device's life: now and then a few new proposals, a push of the outbox, a pull, a pause. */
    const life = async (p, deadline) => {
      await sleep(between(0, 3_000)); // phones do not all wake at once
      for (let n = 0; n < SECONDS * 2 && now() < deadline; n += 1) {
        for (let k = Math.random() < 0.3 ? between(1, 4) : 0; k > 0; k -= 1) {
          p.count += 1;
          const record = newId();
          const mutation = p.phone.mutation("proposal", "create", record, proposal(pick(villages), `${tag}-${p.index}-${p.count}`));
          p.pending.push(mutation);
          p.made.set(record, mutation.payload.body);
        }
        if (p.pending.length > 0) await pushOutbox(p, false);
        if (now() < deadline) await pullSome(p);
        const pause = Math.max(between(1_000, 4_000), p.waitUntil - now());
        await sleep(Math.max(0, Math.min(pause, deadline - now())));
      }
    };
    /** /healthz every 100 ms on one instance, straight (a balancer's probe); no answer in 1 s is none. */
    const probe = async (i) => {
      for (let n = 0; n < (SECONDS + DRAIN_SECONDS + 120) * 10 && !stopProbes; n += 1) {
        const begun = now();
        const res = await fetch(`${servers[i].url}/healthz`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
        live[i] = res?.status === 200;
        await res?.arrayBuffer().catch(() => null);
        if (live[i]) {
          health.longest = Math.max(health.longest, now() - health.lastOk);
          health.lastOk = now();
        }
        await sleep(Math.max(0, begun + 100 - now()));
      }
    };
    /** SIGKILL instance A at a third and two thirds of the soak; start it again at once, as a supervisor would. */
    const restarts = async (soakStart) => {
      for (const fraction of [1 / 3, 2 / 3]) {
        await sleep(Math.max(0, soakStart + fraction * SECONDS * 1000 - now()));
        const old = servers[0];
        const window = { from: now(), to: Infinity };
        windows.push(window);
        await old.stop("SIGKILL");
        logs.push(old.stderr());
        for (let attempt = 1; servers[0] === old; attempt += 1) {
          try {
            servers[0] = track(await startServer({ bin, dir: old.dir, database, addr: new URL(old.url).host, args: LIFTED }));
          } catch (error) {
            if (attempt >= 20) throw error; // the port may not be free the very moment the old one is gone
            await sleep(250);
          }
        }
        stats.restartMs.push(now() - window.from);
        window.to = now() + RESTART_WINDOW_MS;
      }
    };
    const soakStart = now();
    health.lastOk = soakStart;
    const deadline = soakStart + SECONDS * 1000;
    const probes = servers.map((_, i) => probe(i));
    const restarted = restarts(soakStart);
    restarted.catch(() => {}); // awaited after the devices; a failed restart is reported then
    await Promise.all(phones.map((p) => life(p, deadline)));
    await restarted; // the second restart is done before the drain begins
    const used = (now() - soakStart) / 1000;
    // The drain: no new entries, a polite link, each device pushing until its outbox is empty.
    const drainStart = now();
    await Promise.all(
      phones.map(async (p) => {
        for (let n = 0; n < 2_000 && p.pending.length > 0 && now() < drainStart + DRAIN_SECONDS * 1000; n += 1) {
          await pushOutbox(p, true);
          if (p.pending.length > 0) await sleep(Math.max(200, p.waitUntil - now()));
        }
      }),
    );
    const drained = (now() - drainStart) / 1000;
    const leftPending = phones.reduce((sum, p) => sum + p.pending.length, 0);
    stopProbes = true;
    await Promise.all(probes);
    health.longest = Math.max(health.longest, now() - health.lastOk);
    // The count, in the database itself: the ids page by page (the reader's output is bounded),
    // then the doubles by id and by body text (unique per entry made; the id is a unique key).
    const mine = `body LIKE '%${tag}-%'`;
    const stored = new Set();
    for (let page = 0, after = ""; page < 1_000; page += 1) {
      const rows = sqlite(database, `SELECT id FROM proposals WHERE ${mine} AND id > '${after}' ORDER BY id LIMIT 5000`);
      rows.forEach(([id]) => stored.add(id));
      if (rows.length < 5000) break;
      after = rows.at(-1)[0];
    }
    const extra = (column) => Number(sqlite(database, `SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM proposals WHERE ${mine} GROUP BY ${column} HAVING COUNT(*) > 1) d`)[0][0]);
    const doubled = extra("id") + extra("body");
    const doubledSamples = doubled ? sqlite(database, `SELECT body, COUNT(*) FROM proposals WHERE ${mine} GROUP BY body HAVING COUNT(*) > 1 LIMIT 5`) : [];
    const made = phones.flatMap((p) => [...p.made].map(([record, body]) => ({ device: p.index, record, body, acked: p.acked.has(record) })));
    const missing = made.filter((m) => !stored.has(m.record));
    const lockFree = await writeLockFree(database);
    // Every server's log, kept in a file, and the lines that tell of a transaction left open.
    for (const server of servers) logs.push(server.stderr());
    const logFile = path.join(os.tmpdir(), `zq-flaky-${key}.log`);
    writeFileSync(logFile, logs.join(""));
    const lines = logs.join("").split("\n");
    const suspicious = lines.filter((l) => /non-zero transaction depth|database is locked|busy|panicked/i.test(l)).length;
    const errors = lines.filter((l) => /\bERROR\b/.test(l));
    return {
      name, used, drained, leftPending, expected: made.length, stored: stored.size, lost: missing.length, doubled, lockFree,
      // Lost although a 200 answer said applied: the server acknowledged a write it did not keep.
      lostAcked: missing.filter((m) => m.acked).length, lostSamples: missing.slice(0, 5), doubledSamples,
      ...stats, p50: percentile(pushTimes, 50), p95: percentile(pushTimes, 95), healthGap: health.longest,
      logFile, suspicious, errors: errors.length, errorSamples: [...new Set(errors.map((l) => l.slice(0, 300)))].slice(0, 5),
    };
  } finally {
    stopProbes = true;
    for (const server of servers) await server.dispose({ keepDir: false });
    if (postgres) dropDatabase(database);
    databases.delete(database);
  }
}

/** Which builds were measured: ZQ_SOAK_BUILD says so when they are not flaky.sh's release builds. */
function build() {
  return process.env.ZQ_SOAK_BUILD ?? builtFrom();
}

const configs = [
  { key: "sqlite", name: "SQLite, 1 server", bin: SQLITE_SERVER, postgres: false, instances: 1 },
  { key: "postgres", name: "PostgreSQL, 2 instances", bin: POSTGRES_SERVER, postgres: true, instances: 2 },
].filter((c) => !ONLY || c.key === ONLY);
if (configs.length === 0 || configs.some((c) => !c.bin || (c.postgres && !process.env.ZQ_TEST_POSTGRES))) {
  throw new Error("run through tests/bench/flaky.sh: it builds both servers and starts PostgreSQL (ZQ_SOAK_ONLY=sqlite|postgres runs one)");
}
const results = [];
let broken = false;
for (const config of configs) {
  try {
    const result = await soak(config);
    console.log(`${result.name}: ${JSON.stringify(result)}`);
    if (result.lost || result.doubled) broken = true;
    results.push(result);
  } catch (error) {
    console.error(`${config.name}: the run failed: ${error.stack}`);
    broken = true;
  }
}

const row = (label, cell) => `| ${label} | ${results.map(cell).join(" | ")} |`;
const cpu = os.cpus()[0]?.model?.trim();
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${process.env.ZQ_SOAK_BUILD ? "node tests/bench/flaky.mjs" : "bash tests/bench/flaky.sh"}\` (${build()}, demo data, ` +
    `${os.availableParallelism()} cores${cpu ? ` (${cpu})` : ""} shared by the servers, PostgreSQL and node over loopback; ` +
    `${DEVICES} devices for ${SECONDS} s per configuration, instance A SIGKILLed and restarted at a third and at two thirds of it).`,
  "",
  `| figure | ${results.map((r) => r.name).join(" | ")} |`,
  `|---|${results.map(() => "---:").join("|")}|`,
  row("soak time used; then outboxes empty after (polite link)", (r) => `${fixed(r.used)} s; ${fixed(r.drained, 1)} s${r.leftPending ? ` (${r.leftPending} still pending)` : ""}`),
  row("requests through the link (pushes / pulls)", (r) => `${r.requests} (${r.pushes} / ${r.pulls})`),
  row("… cut mid-flight (of them after the server had answered)", (r) => `${r.cut} (${r.answerLost})`),
  row("… unanswered in all (cut, refused, reset, timed out) / moved to the other instance", (r) => `${r.unanswered} / ${r.rerouted}`),
  row("entries made (expected)", (r) => r.expected),
  row("… stored", (r) => r.stored),
  row("… lost (of them answered applied)", (r) => `**${r.lost}** (${r.lostAcked})`),
  row("… doubled", (r) => `**${r.doubled}**`),
  row("5xx outside restarts / inside (kill to 2 s after listening)", (r) => `**${r.outside}** / ${r.inside}`),
  row("push answered, p50 / p95 ms, at the device (includes the link's 200–800 ms)", (r) => `${fixed(r.p50)} / ${fixed(r.p95)}`),
  row("longest time no instance answered `/healthz` 200 (probed every 100 ms)", (r) => `${fixed(r.healthGap / 1000, 1)} s`),
  row("each restart, SIGKILL to listening again", (r) => r.restartMs.map((ms) => `${fixed(ms / 1000, 1)} s`).join(", ")),
  row("answers not applied (rejected, conflict) / gap; sign-ins again after a 401", (r) => `${r.rejectedCount} / ${r.gaps}; ${r.signIns}`),
  row("write lock free at the end; server log lines ERROR / busy, locked, transaction depth", (r) => `${r.lockFree ? "yes" : "**no**"}; ${r.errors} / ${r.suspicious}`),
];
console.log(lines.join("\n"));

const intro =
  "100 simulated phones make proposals, push their outboxes and pull for 10 minutes through a link that adds " +
  "200–800 ms to every request and cuts 5 % of them mid-flight; a device sends again, with the same mutation ids " +
  "and seqs, whatever went unanswered. The server is killed (SIGKILL) and restarted twice. On SQLite (one server) " +
  "and on PostgreSQL with two instances over one database, where only instance A is killed and a balancer sends " +
  "each request to a live instance. Everything runs on this 2-core machine. A benchmark, not a CI test; it exits " +
  "non-zero when an entry is lost or doubled. Script: `bash tests/bench/flaky.sh`.";
if (results.length > 0) writeSection("flaky", lines.join("\n"), { appendUnder: `## Flaky link soak (issue 33)\n\n${intro}` });
// Keep-alive sockets and the cut requests' timers would hold the process a while longer.
process.exit(broken ? 1 : 0);
