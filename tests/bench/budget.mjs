// The first-load size budget (README, "Light on a rural phone"): what a phone with an empty
// cache downloads to open a page of the release build, as the server sends it to a browser that
// accepts brotli and gzip (build files come as brotli 11, pages gzipped on the fly). Bytes, not times, so the figures are the same from run to run and CI checks
// them: the page's HTML and every build file it names (stylesheet, js, main wasm, the preloaded
// chunks of its page) plus the chunk loader the js imports. The service worker's download of the
// remaining chunks, after the page is live, is not part of the first load.
//
// Prints the table; exits 1 when a budget is exceeded; with --write also puts the table into
// BENCHMARKS.md. Needs the release build (ZQ_SERVER_BIN, ZQ_SITE_ROOT).
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { ROOT, signIn, startServer } from "../support/server.mjs";

// KiB, brotli as served. Issue 16 asks for 150 (the sign-in page and home) and 400 (any page);
// the build does not reach that yet (see BENCHMARKS.md), so CI holds today's figures instead,
// and a change that makes a first load heavier fails until it is made up for.
export const BUDGET_KIB = { entry: 630, page: 800 };

function get(url, cookie) {
  return new Promise((resolve, reject) => {
    const headers = { "accept-encoding": "br, gzip", ...(cookie ? { cookie } : {}) };
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode, encoding: res.headers["content-encoding"] ?? "identity", body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

async function firstLoad(server, address, cookie) {
  const page = await get(`${server.url}${address}`, cookie);
  if (page.status !== 200) throw new Error(`${address}: ${page.status}`);
  const decode = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b) => b }[page.encoding];
  const html = decode(page.body).toString("utf8");
  const files = new Set([...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)].map((m) => m[1]));
  const js = [...files].find((f) => f.endsWith(".js"));
  const script = (await get(`${server.url}${js}`)).body;
  const loader = brotliDecompressSync(script).toString("utf8").match(/__wasm_split\.[A-Za-z0-9_-]+\.js/);
  if (loader) files.add(`/pkg/${loader[0]}`);
  let bytes = page.body.length;
  for (const file of files) {
    const answer = await get(`${server.url}${file}`);
    if (answer.status !== 200) throw new Error(`${file}: ${answer.status}`);
    if (answer.encoding !== "br") throw new Error(`${file} was not sent as brotli (${answer.encoding})`);
    bytes += answer.body.length;
  }
  return { requests: files.size + 1, html: page.body.length, bytes };
}

const kib = (n) => (n / 1024).toFixed(1);

export async function measure() {
  const server = await startServer();
  try {
    const admin = await signIn(server.url, "demo.admin");
    const inspector = await signIn(server.url, "demo.inspector");
    // One page of each chunk: what each kind of visitor opens first.
    const pages = [
      ["/sign-in", "signed out", null, "entry"],
      ["/", "inspector", inspector, "entry"],
      ["/tasks", "inspector", inspector, "page"],
      ["/persons", "inspector", inspector, "page"],
      ["/meetings", "inspector", inspector, "page"],
      ["/map", "inspector", inspector, "page"],
      ["/admin/accounts", "admin", admin, "page"],
    ];
    const rows = [];
    for (const [address, who, cookie, kind] of pages) {
      rows.push({ address, who, kind, ...(await firstLoad(server, address, cookie)) });
    }
    return rows;
  } finally {
    await server.dispose();
  }
}

export function table(rows) {
  return [
    "| page | as | requests | HTML KiB | first load KiB (brotli) | budget KiB |",
    "|---|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| \`${r.address}\` | ${r.who} | ${r.requests} | ${kib(r.html)} | ${kib(r.bytes)} | ${BUDGET_KIB[r.kind]} |`),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measure();
  const text = table(rows);
  console.log(text);
  if (process.argv.includes("--write")) {
    const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/transfer-sizes.sh\` (release build, demo data, Russian pages, an empty cache).`;
    const file = path.join(ROOT, "BENCHMARKS.md");
    const doc = readFileSync(file, "utf8");
    const start = "<!-- budget:start -->";
    const end = "<!-- budget:end -->";
    writeFileSync(file, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${stamp}\n\n${text}\n${end}`));
  }
  const over = rows.filter((r) => r.bytes / 1024 > BUDGET_KIB[r.kind]);
  for (const r of over) console.error(`over budget: ${r.address} ${kib(r.bytes)} KiB > ${BUDGET_KIB[r.kind]} KiB`);
  process.exit(over.length ? 1 : 0);
}
