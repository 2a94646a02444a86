// The tests on the PostgreSQL backend (issue 18): with ZQ_TEST_BACKEND=postgres each server
// started by a test gets a database of its own in the test cluster (ZQ_TEST_POSTGRES, an
// administrator's URL set by .ci/lib.sh ensure_postgres), and the tests read and change it the
// way they read a SQLite file: synchronously, rows as arrays, flags as 1 and 0.
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";

export const ADMIN_URL = process.env.ZQ_TEST_POSTGRES;
export const ON_POSTGRES = process.env.ZQ_TEST_BACKEND === "postgres";

export const isPostgres = (database) => typeof database === "string" && database.startsWith("postgres://");

/** The URL of a database in the same cluster. */
const databaseUrl = (name) => ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

/** Makes an empty database and returns its URL. */
export function newDatabase() {
  if (!ADMIN_URL) throw new Error("ZQ_TEST_BACKEND=postgres needs ZQ_TEST_POSTGRES (.ci/lib.sh ensure_postgres)");
  const name = `zq_t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  run(ADMIN_URL, `CREATE DATABASE ${name}`, false);
  return databaseUrl(name);
}

/** Drops a database made by `newDatabase`, whoever is still connected. */
export function dropDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  run(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, false);
}

/** Runs `sql` on the database at `url`; with `rows`, returns them as arrays. */
export function run(url, sql, rows = true) {
  const script = `
    import pg from "pg";
    pg.types.setTypeParser(20, Number);   // bigint
    pg.types.setTypeParser(1700, Number); // numeric
    pg.types.setTypeParser(701, Number);  // double precision
    const client = new pg.Client({ connectionString: process.argv[1] });
    await client.connect();
    const result = await client.query({ text: process.argv[2], rowMode: "array" });
    await client.end();
    const flag = (v) => (typeof v === "boolean" ? Number(v) : v);
    process.stdout.write(JSON.stringify((result.rows ?? []).map((r) => r.map(flag))));
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script, url, sql], {
    encoding: "utf8",
    cwd: new URL("../..", import.meta.url).pathname,
  });
  if (result.status !== 0) throw new Error(`${sql}\n${result.stderr}`);
  return rows ? JSON.parse(result.stdout) : undefined;
}
