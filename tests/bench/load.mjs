// Load benchmark (issue 13): pages/s, sync pulls/s at 1, 8 and 64 connections, the health
// check's latency while 64 connections pull, and password checks/s, against the release server
// with demo data and limits raised out of the way (the figures are the server's, not its rate
// limits'). HTTP load comes from wrk; sign-ins from node. Prints the figures and writes them
// into BENCHMARKS.md between its markers. Figures, not a test: nothing here fails on a number
// (only on a wrong status, which would mean measuring a redirect or an error page).
import { execFileSync, spawn } from "node:child_process";
import os from "node:os";
import { callFn, ROOT, signIn, sqlite, startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";

/** Seconds each measurement runs (ZQ_BENCH_SECONDS for a quick try). */
const SECONDS = Number(process.env.ZQ_BENCH_SECONDS ?? 10);
// Issue 16 measures pages and static files at 32 connections.
const PAGE_CONNECTIONS = 32;
const SIGN_IN_CONCURRENCY = 8;

const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** wrk's durations ("812.00us", "1.20ms", "2.01s", "1.00m") in milliseconds. */
function millis(value, unit) {
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit];
  if (factor === undefined) throw new Error(`wrk unit ${unit}`);
  return Number(value) * factor;
}

function parseWrk(text) {
  const rate = text.match(/Requests\/sec:\s+([\d.]+)/);
  const requests = text.match(/(\d+) requests in ([\d.]+)(us|ms|s|m)/);
  if (!rate || !requests) throw new Error(`cannot read wrk's output:\n${text}`);
  const latency = (p) => {
    const m = text.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, "m"));
    return m ? millis(m[1], m[2]) : NaN;
  };
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rate: Number(rate[1]),
    requests: Number(requests[1]),
    p50: latency(50),
    p99: latency(99),
    failed: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    text,
  };
}

/** Runs wrk against `url` for SECONDS with `connections` open connections. */
function wrk(url, { connections, headers = {} }) {
  const threads = Math.max(1, Math.min(connections, os.availableParallelism()));
  const args = ["-t", threads, "-c", connections, "-d", `${SECONDS}s`, "--timeout", "10s", "--latency"];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args.map(String), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}\n${err}${out}`))));
  });
}

/** One request first, so a redirect or an error page is never what gets measured. */
async function expectOk(url, headers = {}) {
  const res = await fetch(url, { headers, redirect: "manual" });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString("utf8").slice(0, 200)}`);
  return body;
}

const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const latencies = (r) => `p50 ${fixed(r.p50, 1)} ms, p99 ${fixed(r.p99, 1)} ms`;
const problems = (r) => (r.failed || r.socketErrors ? `; ${r.failed} non-2xx, ${r.socketErrors} socket errors` : "");

function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function build() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).trim();
    return `release build of ${commit}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return "release build";
  }
}

const server = await startServer({
  args: ["--api-rate", "100000", "--api-burst", "100000", "--login-address-limit", "1000000", "--login-account-limit", "1000000"],
});
const rows = [];
try {
  const cookie = await signIn(server.url, "demo.inspector");
  const village = sqlite(server.database, "SELECT id FROM villages WHERE name_ru = 'Шуйское'")[0][0];
  const br = { "accept-encoding": "br" };
  // What Chromium sends: pages come gzipped, build files as their precompressed brotli copies.
  const browser = { "accept-encoding": "gzip, deflate, br, zstd" };
  const signedIn = { cookie, ...br, "x-zq-app-version": "bench" };
  // Issue 16's figures for the build before code splitting and precompression (same script
  // settings: release build, 32 connections, load tool on the same machine).
  const before = {
    signInRaw: "6,795/s",
    signInBr: "782/s (brotli)",
    village: "555/s (brotli)",
    manifest: "961/s",
    wasm: "–",
  };
  const pageRow = (what, r, was) => [what, `${fixed(r.rate)} per s (${latencies(r)}${problems(r)})`, was];

  // Pages.
  const signInUrl = `${server.url}/sign-in`;
  const signInRaw = await expectOk(signInUrl, { "accept-encoding": "identity" });
  const signInGz = await expectOk(signInUrl, browser);
  let r = await wrk(signInUrl, { connections: PAGE_CONNECTIONS });
  rows.push(pageRow(`\`/sign-in\`, signed out, ${PAGE_CONNECTIONS} connections, uncompressed (${fixed(signInRaw.length / 1024, 1)} KiB)`, r, before.signInRaw));
  r = await wrk(signInUrl, { connections: PAGE_CONNECTIONS, headers: browser });
  rows.push(pageRow(`… as a browser asks (\`gzip, deflate, br, zstd\`: gzip, ${fixed(signInGz.length / 1024, 1)} KiB)`, r, before.signInBr));
  const villageUrl = `${server.url}/villages/${village}`;
  const asBrowser = { cookie, ...browser };
  const villagePage = await expectOk(villageUrl, asBrowser);
  r = await wrk(villageUrl, { connections: PAGE_CONNECTIONS, headers: asBrowser });
  rows.push(
    pageRow(
      `village page (\`/villages/:id\`, Шуйское) signed in as demo.inspector, as a browser asks (${fixed(villagePage.length / 1024, 1)} KiB), ${PAGE_CONNECTIONS} connections`,
      r,
      before.village,
    ),
  );

  // Static files: the manifest and the main wasm, precompressed.
  const manifestUrl = `${server.url}/manifest.webmanifest`;
  await expectOk(manifestUrl, browser);
  r = await wrk(manifestUrl, { connections: PAGE_CONNECTIONS, headers: browser });
  rows.push(pageRow(`static file \`/manifest.webmanifest\`, as a browser asks, ${PAGE_CONNECTIONS} connections`, r, before.manifest));
  const signInHtml = signInRaw.toString("utf8");
  const wasmPath = signInHtml.match(/href="(\/pkg\/ziyaly-qauym[^"]+\.wasm)"/)[1];
  const wasm = await expectOk(`${server.url}${wasmPath}`, browser);
  r = await wrk(`${server.url}${wasmPath}`, { connections: PAGE_CONNECTIONS, headers: browser });
  rows.push(pageRow(`the main wasm, brotli 11 as precompressed (${fixed(wasm.length / 1024, 1)} KiB), ${PAGE_CONNECTIONS} connections`, r, before.wasm));

  // Sync pulls.
  const pullUrl = `${server.url}/api/v1/sync/pull?since=0&stream=records`;
  const page = JSON.parse((await expectOk(pullUrl, { cookie, "x-zq-app-version": "bench" })).toString("utf8"));
  const pullBr = await expectOk(pullUrl, signedIn);
  for (const connections of [1, 8, 64]) {
    r = await wrk(pullUrl, { connections, headers: signedIn });
    const what =
      connections === 1
        ? `sync pull from 0, records stream, demo.inspector (${page.changes.length} records, ${fixed(pullBr.length / 1024, 1)} KiB \`br\`), 1 connection`
        : `… ${connections} connections`;
    rows.push([what, `${fixed(r.rate)} pulls/s (${latencies(r)}${problems(r)})`]);
  }

  // The health check while 64 connections pull.
  const load = wrk(pullUrl, { connections: 64, headers: signedIn });
  let loaded = true;
  load.finally(() => (loaded = false)).catch(() => {});
  await sleep(500);
  const probes = [];
  let probeFailures = 0;
  while (loaded) {
    const start = performance.now();
    try {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) probeFailures += 1;
    } catch {
      probeFailures += 1;
    }
    probes.push(performance.now() - start);
    await sleep(50);
  }
  r = await load;
  rows.push([
    `\`/healthz\` round trip while 64 connections pull (${fixed(r.rate)} pulls/s meanwhile), every 50 ms`,
    `p50 ${fixed(percentile(probes, 50), 1)} ms, p95 ${fixed(percentile(probes, 95), 1)} ms, max ${fixed(Math.max(...probes), 1)} ms (${probes.length} probes${probeFailures ? `, ${probeFailures} not 200` : ""})`,
  ]);

  // Password checks: wrong passwords for made-up logins (each is checked like a real one).
  const counts = {};
  const times = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: SIGN_IN_CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const n = next++;
        const start = performance.now();
        let status;
        try {
          const res = await callFn(server.url, "sign_in", { login: `bench${n}`, password: `not the password ${n}` });
          await res.arrayBuffer();
          status = res.status;
        } catch (error) {
          status = error.name;
        }
        times.push(performance.now() - start);
        counts[status] = (counts[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const others = Object.entries(counts)
    .filter(([status]) => status !== "401" && status !== "503")
    .map(([status, n]) => `, ${n}× ${status}`)
    .join("");
  rows.push([
    `sign-ins with a wrong password (unknown logins), ${SIGN_IN_CONCURRENCY} at once, node`,
    `${fixed((counts[401] ?? 0) / elapsed)} password checks/s (401: ${counts[401] ?? 0}, 503 busy: ${counts[503] ?? 0}${others} in ${fixed(elapsed, 1)} s; p50 ${fixed(percentile(times, 50))} ms)`,
  ]);
} finally {
  await server.dispose();
}

const cpu = os.cpus()[0]?.model?.trim();
say(
  `Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/load.sh\` (${build()}, demo data, ` +
    `${os.availableParallelism()} cores${cpu ? ` (${cpu})` : ""}; wrk, node and the server share them over loopback; ${SECONDS} s per figure).`,
);
say("");
say("| figure | value | before (issue 16, for pages and static files) |");
say("|---|---:|---:|");
for (const [what, value, was] of rows) say(`| ${what} | ${value} | ${was ?? ""} |`);

const intro =
  "Pages, sync pulls and sign-ins per second against the release server with demo data, its rate limits and " +
  "sign-in locks raised out of the way (`--api-rate`, `--api-burst`, `--login-*-limit`), load from wrk " +
  "(sign-ins from node), and how long the health check takes while 64 connections pull. Script: " +
  "`bash tests/bench/load.sh`.";
writeSection("load", lines.join("\n"), { appendUnder: `## Load (issue 13)\n\n${intro}` });
