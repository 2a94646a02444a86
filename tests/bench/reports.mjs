// Reports benchmark (issue 15): the server time of the region overview as the coordinator
// reads it, for the 13 program villages of the demo and for a generated region of 6,000
// villages and 1,000,000 offences (tests/support/results_data.py), plus a village's trend and
// the overview's XLSX. Measured as the loopback round trip of the real request (which is the
// server's time plus well under a millisecond). Prints the figures and writes them into
// BENCHMARKS.md. Figures, not a test: nothing here fails on a number.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { callFn, ROOT, signIn, sqlite, startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";

const VILLAGES = Number(process.env.ZQ_BENCH_VILLAGES ?? 6000);
const OFFENCES = Number(process.env.ZQ_BENCH_OFFENCES ?? 1_000_000);
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function timed(runs, call) {
  await call(); // warm the page cache and the connection
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return `median ${percentile(times, 0.5).toFixed(0)} ms, slowest ${Math.max(...times).toFixed(0)} ms (${runs} runs)`;
}

async function measure(server, label, runs) {
  const cookie = await signIn(server.url, "demo.coordinator");
  const overview = async () => {
    const res = await callFn(server.url, "reports/overview", {}, { cookie });
    if (res.status !== 200) throw new Error(`overview: ${res.status}`);
    return res.json();
  };
  const rows = (await overview()).rows.length;
  const village = sqlite(server.database, "SELECT village_id FROM offences GROUP BY village_id ORDER BY COUNT(*) DESC LIMIT 1")[0][0];
  say(`| ${label}: region overview (${rows} villages) | ${await timed(runs, overview)} |`);
  say(`| ${label}: one village's trend | ${await timed(runs, () => callFn(server.url, "reports/trend", { village_id: village }, { cookie }).then((r) => r.arrayBuffer()))} |`);
  say(`| ${label}: overview as XLSX | ${await timed(runs, () => fetch(`${server.url}/api/v1/reports/overview.xlsx`, { headers: { cookie } }).then((r) => r.arrayBuffer()))} |`);
}

say("| what | server time |");
say("|---|---|");
const demo = await startServer();
try {
  await measure(demo, "demo, 17 villages", 30);
} finally {
  await demo.stop();
}
const start = performance.now();
const made = spawnSync("python3", [path.join(ROOT, "tests/support/results_data.py"), demo.database, "--villages", String(VILLAGES), "--offences", String(OFFENCES)], { encoding: "utf8" });
if (made.status !== 0) throw new Error(made.stderr);
const offences = sqlite(demo.database, "SELECT COUNT(*) FROM offences")[0][0];
console.log(`generated ${VILLAGES} villages, ${offences} offences in ${((performance.now() - start) / 1000).toFixed(0)} s`);
const large = await startServer({ dir: demo.dir, database: demo.database });
try {
  await measure(large, `generated, ${VILLAGES.toLocaleString("en")} villages and ${offences.toLocaleString("en")} offences`, 5);
} finally {
  await large.dispose();
}
writeSection(
  "reports",
  [`Measured ${new Date().toISOString().slice(0, 10)} on this 2-core machine with the release server (\`tests/bench/reports.sh\`).`, "", ...lines].join("\n"),
  { appendUnder: "## Program results (issue 15)\n\nAsked: the region overview for the 13 villages under 200 ms, and for 6,000 villages and 1,000,000 offences under 2 s." },
);
