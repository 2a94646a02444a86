// Talking the sync contract (DESIGN §4) the way a device does, for the HTTP tests and the
// benchmarks.
import { randomUUID } from "node:crypto";
import { after, before } from "node:test";
import { signIn, startServer } from "./server.mjs";

/** What the app sends with each request: the sync endpoints answer nothing else (docs/offline-unlock.md). */
export const APP_HEADER = { "x-zq-app-version": "test" };

/** POST /api/v1/sync/push; resolves with { status, body }. */
export async function push(url, cookie, deviceId, mutations) {
  return pushBody(url, cookie, JSON.stringify({ device_id: deviceId, mutations }));
}

/**
 * POST /api/v1/sync/push with a body as given (plain JSON text or compressed bytes) and extra
 * headers (`content-encoding`, `accept-language`); resolves with { status, body }.
 */
export async function pushBody(url, cookie, body, headers = {}) {
  const res = await fetch(`${url}/api/v1/sync/push`, {
    method: "POST",
    headers: { ...APP_HEADER, cookie, "content-type": "application/json", accept: "application/json", ...headers },
    body,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** GET /api/v1/sync/pull; `device`: the asking device's sync id (its own pushes are left out). */
export async function pull(url, cookie, { since = 0, stream = "records", limit, device } = {}) {
  const query = new URLSearchParams({ since: String(since), stream });
  if (limit) query.set("limit", String(limit));
  if (device) query.set("device", device);
  const res = await fetch(`${url}/api/v1/sync/pull?${query}`, { headers: { ...APP_HEADER, cookie, accept: "application/json" } });
  return { status: res.status, body: await res.json() };
}

/** Every change after `since`, following pages to the end. */
export async function pullAll(url, cookie, options = {}) {
  let since = options.since ?? 0;
  const changes = [];
  for (;;) {
    const page = await pull(url, cookie, { ...options, since });
    if (page.status !== 200) throw new Error(`pull: ${page.status} ${JSON.stringify(page.body)}`);
    changes.push(...page.body.changes);
    since = page.body.cursor;
    if (!page.body.more) return { changes, cursor: since };
  }
}

export async function reference(url, cookie) {
  const res = await fetch(`${url}/api/v1/sync/reference`, { headers: { ...APP_HEADER, cookie } });
  return res.json();
}

/** A device: its id and next seq, making mutations in order. */
export function device() {
  let seq = 0;
  return {
    id: randomUUID(),
    mutation(entity, op, recordId, payload, baseVersion) {
      seq += 1;
      return {
        id: randomUUID(),
        seq,
        entity,
        op,
        record_id: recordId,
        base_version: baseVersion ?? null,
        payload: payload ?? null,
      };
    },
  };
}

export const newId = () => randomUUID();

export function proposal(villageId, n) {
  return {
    village_id: villageId,
    author: `Житель ${n}`,
    category: "lighting",
    body: `Предложение ${n}: Көшеге шам қою керек 💡`,
    submitted_on: "2026-11-01",
  };
}

export function event(villageId, n) {
  return { village_id: villageId, kind: "sport", title: `Мероприятие ${n}`, held_on: "2026-11-02", attendance: n % 90 };
}

/** A person of attention as the inspector's form sends them (`name` defaults to a demo name). */
export function person(villageId, name = "Демо Серік Жанатұлы") {
  return {
    village_id: villageId,
    full_name: name,
    birth_year: 1990,
    household: "ул. Целинная, 4",
    categories: ["preventive_register"],
    register_basis: "parole",
    status: "active",
    note: "Демо",
  };
}

export function task(villageId, n, assignees = []) {
  return { village_id: villageId, title: `Задача ${n}`, details: null, due_on: "2026-12-31", priority: "normal", assignees };
}

/**
 * For a describe block: a server with demo data and the demo inspector signed in, started
 * before its tests and stopped after. Fields are filled in by the time the tests run.
 */
export function inspectorServer() {
  const env = {
    server: null,
    inspector: null,
    villages: [],
    village: (name) => env.villages.find((v) => v.name.ru === name).id,
  };
  before(async () => {
    env.server = await startServer();
    env.inspector = await signIn(env.server.url, "demo.inspector");
    env.villages = (await reference(env.server.url, env.inspector)).villages;
  });
  after(async () => env.server.dispose());
  return env;
}
