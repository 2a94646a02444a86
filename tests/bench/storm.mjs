// The storm of issue 33, as measured there: 300 sync pushes of 20 proposals each, every one
// sent by a client that closes its connection 1 to 15 ms after sending, against one server
// with the demo data. Then, as a region would meet it: can another process take the write
// lock, what do the next sign-ins answer (at once and for `ZQ_STORM_WATCH_SECONDS`), and what
// do 20 ordinary pushes answer. Prints the figures; a benchmark, not a test (the test is
// tests/http/network-faults.test.mjs). ZQ_SERVER_BIN picks the server (a build before a fix,
// for the figures before); ZQ_TEST_BACKEND=postgres runs it on PostgreSQL. The figures go into
// BENCHMARKS.md as one row per ZQ_STORM_LABEL (say which build), a row of the same label
// replaced.
//
//   ZQ_STORM_LABEL="after, release, SQLite" ZQ_SERVER_BIN=target/release/server \
//     ZQ_SITE_ROOT=target/site node tests/bench/storm.mjs
import { signIn, startServer, callFn, DEMO_PASSWORD } from "../support/server.mjs";
import { device, newId, proposal, push, reference } from "../support/sync.mjs";
import { rudeRequest, between, writeLockFree } from "../support/rude.mjs";
import { readSection, writeSection } from "../support/benchmarks.mjs";

const PUSHES = Number(process.env.ZQ_STORM_PUSHES ?? 300);
const WATCH_SECONDS = Number(process.env.ZQ_STORM_WATCH_SECONDS ?? 60);
const LABEL = process.env.ZQ_STORM_LABEL ?? "unlabelled";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tally = (statuses) => Object.entries(statuses.reduce((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {})).map(([s, n]) => `${n} × ${s}`).join(", ");

const STORM_HEADING = `## Dropped requests (issue 33)

\`tests/bench/storm.mjs\`: 300 sync pushes of 20 proposals, one after another, each from a client
that closes its connection 1 to 15 ms after sending it (a phone losing signal), against one
server with the demo data; then what a region meets next. A row per build measured.`;

const server = await startServer({ args: ["--api-rate", "100000", "--api-burst", "100000"] });
try {
  const cookie = await signIn(server.url, "demo.inspector");
  const village = (await reference(server.url, cookie)).villages.find((v) => v.name.ru === "Сепе").id;
  let cut = 0;
  const answered = {};
  for (let i = 0; i < PUSHES; i += 1) {
    const phone = device();
    const mutations = Array.from({ length: 20 }, (_, n) => phone.mutation("proposal", "create", newId(), proposal(village, n)));
    const { status } = await rudeRequest(
      server.url,
      {
        method: "POST",
        path: "/api/v1/sync/push",
        headers: { cookie, "content-type": "application/json", accept: "application/json", "x-zq-app-version": "bench" },
        body: JSON.stringify({ device_id: phone.id, mutations }),
      },
      { cutAfterMs: between(1, 15) },
    );
    if (status === null) cut += 1;
    else answered[status] = (answered[status] ?? 0) + 1;
  }
  const lockFree = await writeLockFree(server.database);
  console.log(`pushes: ${PUSHES}; cut before an answer: ${cut}; answered: ${JSON.stringify(answered)}`);
  console.log(`write lock free for another process (within 2 s): ${lockFree}`);
  const signIns = [];
  const started = Date.now();
  while (Date.now() - started < WATCH_SECONDS * 1000) {
    const res = await callFn(server.url, "sign_in", { login: "demo.inspector", password: DEMO_PASSWORD });
    signIns.push(res.status);
    await sleep(5_000);
  }
  console.log(`sign-ins every 5 s for ${WATCH_SECONDS} s: ${tally(signIns)}`);
  const phone = device();
  const statuses = [];
  for (let i = 0; i < 20; i += 1) {
    const res = await push(server.url, cookie, phone.id, [phone.mutation("proposal", "create", newId(), proposal(village, i))]);
    statuses.push(res.status);
  }
  console.log(`20 ordinary pushes: ${tally(statuses)}`);
  const log = server.stderr();
  const depth = (log.match(/non-zero transaction depth/g) ?? []).length;
  console.log(`log lines "non-zero transaction depth": ${depth}`);
  const row = `| ${LABEL} | ${new Date().toISOString().slice(0, 10)} | ${cut} of ${PUSHES} | ${tally(Object.entries(answered).flatMap(([s, n]) => Array(n).fill(s))) || "–"} | ${lockFree ? "yes" : "**no**"} | ${tally(signIns)} | ${tally(statuses)} | ${depth} |`;
  const header = [
    "| build | date | pushes cut before an answer | the others answered | write lock free after | sign-ins every 5 s for a minute | 20 ordinary pushes | log: non-zero transaction depth |",
    "|---|---|---:|---|---|---|---|---:|",
  ];
  const rows = (readSection("storm") ?? "").split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| build") && !line.startsWith(`| ${LABEL} |`));
  writeSection("storm", [...header, ...rows, row].join("\n"), { appendUnder: STORM_HEADING });
} finally {
  await server.dispose();
}
