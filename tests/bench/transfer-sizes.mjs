// First-load transfer sizes of the release build, per file: the sign-in page, js, main wasm,
// css, the chunk loader and the sign-in page's chunks as the server sends them (identity, gzip,
// brotli, or gzip where a page is asked for brotli: pages are gzipped on the fly), plus what the
// best brotli/gzip settings would give.
// Prints a table and writes it into BENCHMARKS.md between its markers.
import http from "node:http";
import zlib from "node:zlib";
import { startServer } from "../support/server.mjs";
import { writeSection } from "../support/benchmarks.mjs";

function rawGet(url, encoding) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "accept-encoding": encoding } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"] ?? "identity", body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

const kb = (n) => (n / 1024).toFixed(1);

const server = await startServer();
try {
  const page = await rawGet(`${server.url}/sign-in`, "identity");
  const html = page.body.toString("utf8");
  const main = (ext) => html.match(new RegExp(`(?:href|src)="(/pkg/ziyaly-qauym[^"]+\\.${ext})"`))[1];
  const script = (await rawGet(`${server.url}${main("js")}`, "identity")).body.toString("utf8");
  const loader = script.match(/__wasm_split\.[A-Za-z0-9_-]+\.js/);
  const chunks = [...html.matchAll(/href="(\/pkg\/(?:chunk|split)_[^"]+\.wasm)"/g)].map((m) => m[1]);
  const files = [
    ["HTML (/sign-in)", ["/sign-in"]],
    ["JS", [main("js")]],
    ["WASM (main)", [main("wasm")]],
    ["CSS", [main("css")]],
    ...(loader ? [["JS chunk loader", [`/pkg/${loader[0]}`]]] : []),
    [`WASM chunks of the page (${chunks.length})`, chunks],
  ];
  const rows = [];
  for (const [kind, group] of files) {
    const row = { kind, raw: 0, gzip: 0, br: 0, bestGzip: 0, bestBr: 0 };
    for (const file of group) {
      const one = await measureFile(file);
      for (const key of ["raw", "gzip", "br", "bestGzip", "bestBr"]) row[key] += one[key];
    }
    rows.push(row);
  }
  async function measureFile(file) {
    const identity = await rawGet(`${server.url}${file}`, "identity");
    const gzip = await rawGet(`${server.url}${file}`, "gzip");
    // As Chromium asks: build files come as brotli, pages gzipped.
    const br = await rawGet(`${server.url}${file}`, "gzip, deflate, br, zstd");
    if (gzip.encoding !== "gzip" || br.encoding === "identity") throw new Error(`${file} was not compressed`);
    const bestGzip = zlib.gzipSync(identity.body, { level: 9 }).length;
    const bestBr = zlib.brotliCompressSync(identity.body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.body.length },
    }).length;
    return { raw: identity.body.length, gzip: gzip.body.length, br: br.body.length, bestGzip, bestBr };
  }
  const total = rows.reduce(
    (t, r) => ({ kind: "Total", raw: t.raw + r.raw, gzip: t.gzip + r.gzip, br: t.br + r.br, bestGzip: t.bestGzip + r.bestGzip, bestBr: t.bestBr + r.bestBr }),
    { raw: 0, gzip: 0, br: 0, bestGzip: 0, bestBr: 0 },
  );
  const lines = [
    "| file | raw KiB | gzip KiB (served) | as a browser asks KiB (served: brotli, pages gzip) | gzip -9 KiB | brotli q11 KiB |",
    "|---|---:|---:|---:|---:|---:|",
    ...[...rows, total].map((r) => `| ${r.kind} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.br)} | ${kb(r.bestGzip)} | ${kb(r.bestBr)} |`),
  ];
  const table = lines.join("\n");
  console.log(table);

  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`bash tests/bench/transfer-sizes.sh\` (release build, demo data, Russian sign-in page, signed out).`;
  writeSection("transfer-sizes", `${stamp}\n\n${table}`);
} finally {
  await server.dispose();
}
