// Backends side by side (issue 18): pushes, pulls and pages per second against the release
// server on SQLite, on PostgreSQL with one instance, and on PostgreSQL with two instances over
// one database, measured one after the other in one run on the same machine. Each
// configuration starts from its own new database with the demo data, rate limits lifted out of
// the way; with two instances every figure's load is split evenly between them, as a load
// balancer would. Prints the figures and writes them into BENCHMARKS.md between its markers.
// Figures, not a test: nothing here fails on a number, only on a wrong status.
import { spawn } from "node:child_process";
import os from "node:os";
import { newDatabase, dropDatabase } from "../support/postgres.mjs";
import { ROOT, signIn, sqlite, startServer } from "../support/server.mjs";
import { builtFrom, writeSection } from "../support/benchmarks.mjs";
import { device, newId, proposal, push, reference } from "../support/sync.mjs";

const SECONDS = Number(process.env.ZQ_BENCH_SECONDS ?? 10);
const DEVICES = 8;
const BATCH = 100;
const PULL_CONNECTIONS = 64;
const PAGE_CONNECTIONS = 32;
const SQLITE_SERVER = process.env.ZQ_SERVER_BIN;
const POSTGRES_SERVER = process.env.ZQ_PG_SERVER_BIN;
const LIFTED = ["--api-rate", "100000", "--api-burst", "100000", "--login-address-limit", "1000000", "--login-account-limit", "1000000"];

const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** wrk for SECONDS; resolves with requests/s and non-2xx count. */
function wrk(url, connections, headers) {
  const args = ["-t", "1", "-c", String(connections), "-d", `${SECONDS}s`, "--timeout", "10s"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const rate = out.match(/Requests\/sec:\s+([\d.]+)/);
      if (code !== 0 || !rate) return reject(new Error(`wrk exited with ${code}\n${out}`));
      resolve({ rate: Number(rate[1]), failed: Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0) });
    });
  });
}

/** The same wrk load split evenly over `urls` (one wrk each, at once); the rates summed. */
async function spread(urls, connections, headers) {
  const each = await Promise.all(urls.map((url) => wrk(url, Math.max(1, Math.round(connections / urls.length)), headers)));
  const failed = each.reduce((sum, r) => sum + r.failed, 0);
  if (failed) throw new Error(`${failed} answers were not 2xx: the figure would measure errors`);
  return each.reduce((sum, r) => sum + r.rate, 0);
}

/** DEVICES devices pushing batches of BATCH new proposals for SECONDS, device i to server i mod n. */
async function pushes(urls, cookie, village) {
  const times = [];
  let mutations = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: DEVICES }, async (_, i) => {
      const phone = device();
      const url = urls[i % urls.length];
      while (performance.now() < deadline) {
        const batch = Array.from({ length: BATCH }, (_, j) => phone.mutation("proposal", "create", newId(), proposal(village, j)));
        const start = performance.now();
        const res = await push(url, cookie, phone.id, batch);
        if (res.status !== 200 || res.body.answers.some((a) => a.status !== "applied")) {
          throw new Error(`push: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        times.push(performance.now() - start);
        mutations += BATCH;
      }
    }),
  );
  return { rate: mutations / ((performance.now() - started) / 1000), p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Starts `instances` servers over one new database and measures them. */
async function measure({ name, bin, postgres, instances }) {
  const database = postgres ? newDatabase() : undefined;
  const servers = [];
  try {
    // One after the other: the first loads the demo data, the others find it loaded.
    for (let i = 0; i < instances; i += 1) {
      servers.push(await startServer({ bin, database: database ?? servers[0]?.database, args: LIFTED }));
    }
    const urls = servers.map((s) => s.url);
    const cookie = await signIn(urls[0], "demo.inspector");
    const db = servers[0].database;
    const sepe = (await reference(urls[0], cookie)).villages.find((v) => v.name.ru === "Сепе").id;
    const village = sqlite(db, "SELECT id FROM villages WHERE name_ru = 'Шуйское'")[0][0];
    const asBrowser = { cookie, "accept-encoding": "gzip, deflate, br, zstd" };
    for (const url of urls) {
      const res = await fetch(`${url}/villages/${village}`, { headers: asBrowser, redirect: "manual" });
      if (res.status !== 200) throw new Error(`${name}: village page ${res.status}`);
    }
    // Pulls and pages before the pushes, so every configuration reads the same demo data.
    const pulls = await spread(urls.map((u) => `${u}/api/v1/sync/pull?since=0&stream=records`), PULL_CONNECTIONS, { ...asBrowser, "x-zq-app-version": "bench" });
    const pages = await spread(urls.map((u) => `${u}/villages/${village}`), PAGE_CONNECTIONS, asBrowser);
    const pushed = await pushes(urls, cookie, sepe);
    return { name, pulls, pages, pushed };
  } finally {
    for (const server of servers) await server.dispose({ keepDir: false });
    if (database) dropDatabase(database);
  }
}


if (!SQLITE_SERVER || !POSTGRES_SERVER || !process.env.ZQ_TEST_POSTGRES) {
  throw new Error("run through tests/bench/backends.sh: it builds both servers and starts PostgreSQL");
}
const results = [];
for (const config of [
  { name: "SQLite", bin: SQLITE_SERVER, postgres: false, instances: 1 },
  { name: "PostgreSQL, 1 instance", bin: POSTGRES_SERVER, postgres: true, instances: 1 },
  { name: "PostgreSQL, 2 instances", bin: POSTGRES_SERVER, postgres: true, instances: 2 },
]) {
  const result = await measure(config);
  console.log(`${result.name}: ${JSON.stringify(result)}`);
  results.push(result);
}

const lines = [];
const cpu = os.cpus()[0]?.model?.trim();
lines.push(
  `Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/backends.sh\` (${builtFrom()}, demo data, ` +
    `${os.availableParallelism()} cores${cpu ? ` (${cpu})` : ""} shared by the servers, PostgreSQL, wrk and node over loopback; ${SECONDS} s per figure).`,
);
lines.push("");
lines.push(`| figure | ${results.map((r) => r.name).join(" | ")} |`);
lines.push(`|---|${results.map(() => "---:").join("|")}|`);
lines.push(`| push: ${DEVICES} devices, batches of ${BATCH} new proposals, mutations/s | ${results.map((r) => fixed(r.pushed.rate)).join(" | ")} |`);
lines.push(`| … one batch's answer, p50 / p99 ms | ${results.map((r) => `${fixed(r.pushed.p50)} / ${fixed(r.pushed.p99)}`).join(" | ")} |`);
lines.push(`| pull from 0 (demo.inspector's records), ${PULL_CONNECTIONS} connections, pulls/s | ${results.map((r) => fixed(r.pulls)).join(" | ")} |`);
lines.push(`| village page signed in, ${PAGE_CONNECTIONS} connections, pages/s | ${results.map((r) => fixed(r.pages)).join(" | ")} |`);
console.log(lines.join("\n"));

const intro =
  "The same load against the server on SQLite, on PostgreSQL and on two instances over one PostgreSQL " +
  "(load split evenly between them). Script: `bash tests/bench/backends.sh`.";
writeSection("backends", lines.join("\n"), { appendUnder: `## Backends (issue 18)\n\n${intro}` });
