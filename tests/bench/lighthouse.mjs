// Lighthouse at its mobile profile (simulated slow 4G, a CPU four times slower, a phone's
// screen) on the release build: the sign-in page signed out, home and a village map signed in
// as the demo inspector. Prints the table and, with --write, puts it into BENCHMARKS.md.
// Timings vary from run to run: this is a benchmark, never a test. Run through
// tests/bench/lighthouse.sh, which installs Lighthouse into tests/bench/lighthouse/.
import * as chromeLauncher from "./lighthouse/node_modules/chrome-launcher/dist/index.js";
import lighthouse from "./lighthouse/node_modules/lighthouse/core/index.js";
import { signIn, sqlite, startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function audit(port, url, cookie) {
  const flags = {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance"],
    // Lighthouse's default form factor and throttling are the mobile profile.
    extraHeaders: cookie ? { Cookie: cookie } : undefined,
  };
  const result = await lighthouse(url, flags);
  const { audits, categories } = result.lhr;
  const ms = (id) => Math.round(audits[id].numericValue);
  // Where the main thread's time went (script evaluation, compilation, parsing …), for reading.
  const work = audits["mainthread-work-breakdown"].details?.items ?? [];
  console.error(`${url}: ${work.map((w) => `${w.groupLabel ?? w.group} ${Math.round(w.duration)} ms`).join(", ")}`);
  return {
    performance: Math.round(categories.performance.score * 100),
    fcp: ms("first-contentful-paint"),
    lcp: ms("largest-contentful-paint"),
    tbt: ms("total-blocking-time"),
    tti: ms("interactive"),
    kib: audits["total-byte-weight"].numericValue / 1024,
  };
}

const server = await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const rows = [];
try {
  const inspector = await signIn(server.url, "demo.inspector");
  const village = sqlite(server.database, "SELECT id FROM villages WHERE name_ru = 'Шуйское'")[0][0];
  const pages = [
    ["/sign-in", "signed out", null],
    ["/", "inspector", inspector],
    [`/villages/${village}/map`, "inspector", inspector],
  ];
  for (const [address, who, cookie] of pages) {
    const figures = await audit(chrome.port, `${server.url}${address}`, cookie);
    rows.push({ address: address.replace(village, ":id"), who, ...figures });
    console.error(`${address}: ${JSON.stringify(figures)}`);
  }
} finally {
  await chrome.kill();
  await server.dispose();
}

const s = (n) => (n / 1000).toFixed(1);
const text = [
  "| page | as | performance | first paint s | LCP s | total blocking ms | interactive s | KiB |",
  "|---|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) => `| \`${r.address}\` | ${r.who} | ${r.performance} | ${s(r.fcp)} | ${s(r.lcp)} | ${r.tbt} | ${s(r.tti)} | ${r.kib.toFixed(0)} |`,
  ),
].join("\n");
console.log(text);
if (process.argv.includes("--write")) {
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/lighthouse.sh\` (Lighthouse 12.2.3, mobile profile, Debian's Chromium, release build, demo data, an empty cache).`;
  writeSection("lighthouse", `${stamp}\n\n${text}`);
}
