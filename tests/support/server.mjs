// Starts the real server binary on port 0 with its own temporary SQLite file, the way a user
// would run it, and reads the chosen address from its first line of output.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { dropDatabase, isPostgres, newDatabase, ON_POSTGRES, run } from "./postgres.mjs";

export { ON_POSTGRES };

export const ROOT = path.resolve(import.meta.dirname, "../..");
// test.sh builds the server under test beside the release browser build's hash.txt
// (.ci/lib.sh build_for_tests); a plain debug build's server is the fallback.
const UNDER_TEST = path.join(ROOT, "target/release/server-under-test");
export const SERVER_BIN = process.env.ZQ_SERVER_BIN ?? (existsSync(UNDER_TEST) ? UNDER_TEST : path.join(ROOT, "target/debug/server"));
export const SITE_ROOT = process.env.ZQ_SITE_ROOT ?? path.join(ROOT, "target/site");

export function tempDir() {
  return mkdtempSync(path.join(tmpdir(), "zq-test-"));
}

export async function startServer({
  dir = tempDir(),
  database,
  demo = true,
  args = [],
  log,
  bin = SERVER_BIN,
  siteRoot = SITE_ROOT,
  addr = "127.0.0.1:0",
} = {}) {
  // On the PostgreSQL backend the server gets a database of its own in the test cluster.
  const db = database ?? (ON_POSTGRES ? newDatabase() : path.join(dir, "zq.sqlite"));
  const env = { ...process.env, ZQ_LOG: log ?? process.env.ZQ_LOG ?? "warn" };
  // demo: null starts the server as a real installation would: no flag, no variable, its default.
  const demoFlag = demo === null ? [] : ["--demo-data", String(demo)];
  if (demo === null) delete env.ZQ_DEMO_DATA;
  const child = spawn(
    bin,
    ["--addr", addr, "--database", db, ...demoFlag, "--site-root", siteRoot, ...args],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  // Every server's log in one file, to find a failing request's cause after a run.
  if (process.env.ZQ_TEST_SERVER_LOG) child.stderr.on("data", (chunk) => appendFileSync(process.env.ZQ_TEST_SERVER_LOG, chunk));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s\n${stderr}`)), 60_000);
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const match = line.match(/^listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid,
    dir,
    database: db,
    stderr: () => stderr,
    exited,
    /** Sends `signal` and resolves with the exit code and signal once the process is gone. */
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async dispose({ keepDir = false } = {}) {
      await this.stop("SIGKILL");
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
      if (!keepDir && isPostgres(db) && database === undefined) dropDatabase(db);
    },
  };
}

/**
 * A new, empty database for a server a test starts itself: a file in `dir`, or on the
 * PostgreSQL backend a database of its own in the test cluster.
 */
export function freshDatabase(dir, name = "zq.sqlite") {
  return ON_POSTGRES ? newDatabase() : path.join(dir, name);
}

/** SQL naming every table with a column `column`, in the words of the backend under test. */
export function tablesWithColumn(column) {
  return ON_POSTGRES
    ? `SELECT table_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = '${column}'`
    : `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = '${column}'`;
}

/** The highest change version the database ever gave (DESIGN §4.9), backend by backend. */
export const HIGHEST_VERSION = ON_POSTGRES
  ? "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync_version"
  : "SELECT seq FROM sqlite_sequence WHERE name = 'sync_changes'";

/** Why a test of SQLite's own behaviour (its file, WAL, `server backup`) is not run. */
export const SQLITE_ONLY = ON_POSTGRES ? "SQLite's own behaviour: this run is on PostgreSQL" : false;

/** Runs the server binary to completion (for start-up failures and --help). */
export function runServer(args, { timeout = 60_000 } = {}) {
  const result = spawnSync(SERVER_BIN, args, { encoding: "utf8", timeout, env: { ...process.env, ZQ_LOG: "warn" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Reads a SQLite file with Python's sqlite3 (the tests must not go through the server). */
export function sqlite(database, sql) {
  if (isPostgres(database)) return run(database, sql);
  const script = "import json,sqlite3,sys;c=sqlite3.connect(sys.argv[1]);print(json.dumps(c.execute(sys.argv[2]).fetchall()))";
  const result = spawnSync("python3", ["-c", script, database, sql], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** Changes a SQLite file directly (an administrator's manual fix, a test's setup). */
export function sqliteWrite(database, sql) {
  if (isPostgres(database)) return run(database, sql, false);
  const script = "import sqlite3,sys;c=sqlite3.connect(sys.argv[1]);c.execute(sys.argv[2]);c.commit()";
  const result = spawnSync("python3", ["-c", script, database, sql], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
}

/** The password of every demo account (server/src/seed/demo.rs). */
export const DEMO_PASSWORD = "demo-zq-2026";

/** Today in Akmola (UTC+5) as YYYY-MM-DD: the day the server's periods and months turn on. */
export function regionToday() {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
}

/** Calls a server function the way the app does (form-encoded, JSON answer). */
export function callFn(url, name, fields = {}, { cookie, headers = {} } = {}) {
  return fetch(`${url}/api/${name}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** The `name=value` pairs a response sets, as one Cookie header (deleted cookies left out). */
export function cookiesFrom(response) {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

/** Signs in and returns the Cookie header for the new session; throws on failure. */
export async function signIn(url, login, password = DEMO_PASSWORD, options = {}) {
  const res = await callFn(url, "sign_in", { login, password }, options);
  if (res.status !== 200) throw new Error(`sign-in as ${login}: ${res.status} ${await res.text()}`);
  return cookiesFrom(res);
}

/** A fetch that carries `login`'s session cookie and does not follow redirects. */
export async function signedInFetch(url, login) {
  const cookie = await signIn(url, login);
  const get = (address, init = {}) =>
    fetch(address, { redirect: "manual", ...init, headers: { cookie, ...(init.headers ?? {}) } });
  get.cookie = cookie;
  return get;
}
