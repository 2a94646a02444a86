// Clients that misbehave the way phones on a weak link do (issue 33): a connection cut in the
// middle of a request, before or after its body was sent, a few milliseconds into the wait for
// the answer. Each request goes over a socket of its own, so a cut reaches the server as the
// peer closing the connection, which makes hyper drop the handler's future wherever it is.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import net from "node:net";
import { isPostgres, run } from "./postgres.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A whole number in [low, high]. */
export const between = (low, high) => low + Math.floor(Math.random() * (high - low + 1));

/**
 * Sends one HTTP/1.1 request and cuts the connection: `cutAtByte` sends only that many bytes of
 * the request (headers and body) before the cut; `cutAfterMs` waits that long after the last
 * byte sent. Resolves with { status, body, cut } once the answer is whole or the socket is gone:
 * `status` is null when no whole answer arrived before the cut (the client never learns what
 * happened, as a phone that lost signal does not).
 */
export function rudeRequest(url, { method = "GET", path, headers = {}, body = "" }, { cutAfterMs = 5, cutAtByte } = {}) {
  const { hostname, port } = new URL(url);
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head =
    `${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n` +
    Object.entries({ ...headers, "content-length": String(payload.length) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("") +
    "\r\n";
  const whole = Buffer.concat([Buffer.from(head), payload]);
  const sent = cutAtByte === undefined ? whole : whole.subarray(0, Math.min(cutAtByte, whole.length));
  return new Promise((resolve) => {
    const chunks = [];
    let settled = false;
    const finish = (cut) => {
      if (settled) return;
      settled = true;
      resolve({ ...parseAnswer(cut ? null : Buffer.concat(chunks)), cut });
    };
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.setNoDelay(true);
      socket.write(sent, () => {
        setTimeout(() => {
          if (!settled) {
            socket.destroy();
            finish(true);
          }
        }, cutAfterMs);
      });
    });
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => finish(false));
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(chunks.length === 0));
  });
}

/** { status, body } of a whole HTTP/1.1 answer (body parsed as JSON when it is JSON). */
function parseAnswer(bytes) {
  if (!bytes || bytes.length === 0) return { status: null, body: null };
  const text = bytes.toString("utf8");
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) return { status: null, body: null };
  const status = Number(text.slice(9, 12));
  let body = text.slice(split + 4);
  if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, split))) body = dechunk(body);
  try {
    return { status, body: JSON.parse(body) };
  } catch {
    return { status, body };
  }
}

function dechunk(text) {
  let out = "";
  let rest = text;
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/**
 * Sends `count` requests made by `makeRequest(i)`, `parallel` at a time, each cut at a random
 * point: a third of them before the whole request was sent, the rest 1 to `maxWaitMs` ms into
 * the wait for the answer. Resolves with each request and its answer, in order.
 */
export async function storm(url, count, makeRequest, { parallel = 8, maxWaitMs = 15 } = {}) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const request = makeRequest(i);
      const beforeEnd = Math.random() < 1 / 3;
      const size = Buffer.byteLength(request.body ?? "") + 200;
      const cut = beforeEnd ? { cutAtByte: between(1, size), cutAfterMs: between(1, maxWaitMs) } : { cutAfterMs: between(1, maxWaitMs) };
      results[i] = { request, answer: await rudeRequest(url, request, cut) };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/**
 * Whether another process can take the database's write lock now: on SQLite a `BEGIN
 * IMMEDIATE` from Python with a 1 s wait; on PostgreSQL no session of the server idle inside a
 * transaction and the writers' advisory lock (app/src/db.rs WRITE_LOCK) free. Tried a few
 * times over `settleMs`, since a rollback may still be on its way when the storm ends.
 */
export async function writeLockFree(database, settleMs = 2_000) {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const holders = lockHolders(database);
    if (holders === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

function lockHolders(database) {
  if (isPostgres(database)) {
    const name = new URL(database).pathname.slice(1);
    const [[idle]] = run(
      database,
      `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '${name}' AND state LIKE 'idle in transaction%'`,
    );
    const [[locked]] = run(database, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7318200 AND granted");
    return idle + locked;
  }
  // The lock itself: Python's sqlite3 with a 1 s busy wait, then a rollback.
  const script =
    "import sqlite3,sys;c=sqlite3.connect(sys.argv[1],timeout=1,isolation_level=None);" +
    "c.execute('BEGIN IMMEDIATE');c.execute('ROLLBACK')";
  return spawnSync("python3", ["-c", script, database], { encoding: "utf8" }).status === 0 ? 0 : 1;
}

/** `/healthz` answered 200 within a second. */
export async function healthy(url) {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
  return res?.status === 200;
}

/** The server's log holds no sign of a transaction left open or of a writer that gave up. */
export function assertCleanLog(server) {
  const log = server.stderr();
  assert.doesNotMatch(log, /non-zero transaction depth/);
  assert.doesNotMatch(log, /database is locked|busy/i);
}
